"""Fixtures for the reporting workflow: actions in each state, and a private place for uploads."""

import datetime
import socket

import pytest

from recommendations.models import FollowUpAction, Paragraph
from recommendations.reporting import workflow

JUNE_1 = datetime.date(2006, 6, 1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a scratch directory; mail goes to Django's test outbox by itself."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mail_server_down(settings):
    """Mail goes by SMTP to a local port that refuses connections, as a mail server that is down."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # held but never listening: nothing else can answer there
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed.getsockname()[1], 2
        yield


@pytest.fixture
def p15(workshop) -> Paragraph:
    return workshop.paragraphs.get(number=15)


def action_input(recommendations, links=(), **content) -> workflow.ActionInput:
    return workflow.ActionInput(
        links=links,
        content={
            "title": "National action plan on labour migration",
            "description": "",
            "status": "planned",
            "status_as_of": JUNE_1,
            "status_source": "Cabinet resolution",
            "start_date": None,
            "end_date": None,
            "responsible_agency": "Ministry of Labour",
            **content,
        },
        recommendations=recommendations,
    )


@pytest.fixture
def thai_draft(thai_focal_point, thailand, p15) -> FollowUpAction:
    return workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15]))


@pytest.fixture
def thai_submitted(thai_draft, thai_focal_point) -> FollowUpAction:
    workflow.submit(action=thai_draft, user=thai_focal_point, version=thai_draft.version)
    thai_draft.refresh_from_db()
    return thai_draft


@pytest.fixture
def thai_published(thai_submitted, secretariat) -> FollowUpAction:
    return workflow.approve(action=thai_submitted, user=secretariat)


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "resolution.pdf", content: bytes = PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def thai_restricted_file(thai_published, thai_focal_point):
    from recommendations.models import EvidenceFile

    return EvidenceFile.objects.create(
        action=thai_published,
        file=pdf("internal-note.pdf"),
        name="internal-note.pdf",
        content_type="application/pdf",
        size=len(PDF),
        is_restricted=True,
        uploaded_by=thai_focal_point,
    )
