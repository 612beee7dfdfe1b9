"""Two tracked recommendations of the workshop that the readings' and the changes' tests write on."""

import pytest


@pytest.fixture
def p15(workshop):
    return workshop.paragraphs.get(number=15)


@pytest.fixture
def p16(workshop):
    return workshop.paragraphs.get(number=16)
