"""Migration 0011 gives governments named from ISO 3166 the names the United Nations writes, and back.

Like the other migration tests, these step back from the latest migration rather than start
from empty tables, and run on whichever database the suite runs on.
"""

import pytest

BEFORE = ("recommendations", "0010_action_words_name_an_action")
AFTER = ("recommendations", "0011_government_names_as_the_un_writes_them")

pytestmark = pytest.mark.django_db(transaction=True)


def names(state) -> dict[str, tuple[str, str]]:
    actors = state.apps.get_model("recommendations", "Actor").objects.order_by("code")
    return {code: (name, short_name) for code, name, short_name in actors.values_list("code", "name", "short_name")}


@pytest.fixture
def before(migrator):
    """Governments as ISO 3166 named them before, one of them renamed by the secretariat, and an organisation."""
    state = migrator.apply_tested_migration(BEFORE)
    actors = state.apps.get_model("recommendations", "Actor").objects
    for code, name, short_name in [
        ("VNM", "Viet Nam", "Vietnam"),
        ("KOR", "Korea, Republic of", "South Korea"),
        ("IRN", "Iran, Islamic Republic of", "Iran"),
        ("LAO", "Lao People's Democratic Republic", "Laos"),
        ("THA", "Thailand", "Thailand"),
        ("AUS", "Commonwealth of Australia", "Oz"),
    ]:
        actors.create(code=code, name=name, short_name=short_name, kind="government")
    actors.create(code="IOM", name="Viet Nam", short_name="Vietnam", kind="international_organisation")
    return state


def test_governments_still_named_from_iso_3166_take_the_un_names(migrator, before):
    after = migrator.apply_tested_migration(AFTER)
    assert names(after) == {
        "VNM": ("Socialist Republic of Viet Nam", "Viet Nam"),
        "KOR": ("Republic of Korea", "Republic of Korea"),
        "IRN": ("Islamic Republic of Iran", "Iran (Islamic Republic of)"),
        "LAO": ("Lao People's Democratic Republic", "Lao People's Democratic Republic"),
        "THA": ("Kingdom of Thailand", "Thailand"),
        "AUS": ("Commonwealth of Australia", "Oz"),
        "IOM": ("Viet Nam", "Vietnam"),
    }


def test_a_name_the_secretariat_set_stays_beside_the_other_taking_the_un_name(migrator, before):
    actors = before.apps.get_model("recommendations", "Actor").objects
    actors.filter(code="VNM").update(short_name="Vietnam (VN)")
    actors.filter(code="KOR").update(name="Republic of Korea (South Korea)")
    after = migrator.apply_tested_migration(AFTER)
    assert names(after)["VNM"] == ("Socialist Republic of Viet Nam", "Vietnam (VN)")
    assert names(after)["KOR"] == ("Republic of Korea (South Korea)", "Republic of Korea")


def test_going_back_restores_the_iso_names_of_governments_still_named_as_the_un_writes(migrator, before):
    expected = names(before)
    migrator.apply_tested_migration(AFTER)
    back = migrator.apply_tested_migration(BEFORE)
    assert names(back) == expected
