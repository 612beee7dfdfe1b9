"""Evidence files: size limit, type read from the content, and who may download them."""

import io
import tracemalloc
import zipfile
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.models import EvidenceFile
from recommendations.reporting import workflow
from recommendations.reporting.uploads import validate_evidence_file

from ..conftest import action_form, sign_in_with_second_factor
from .conftest import PDF, action_input, pdf


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("resolution.pdf", PDF),
        ("photo.PNG", b"\x89PNG\r\n\x1a\n" + b"\0" * 20),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 20),
        ("report.docx", docx_bytes()),
    ],
)
def test_documents_and_images_are_accepted_by_their_content(name, content):
    validate_evidence_file(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 a Windows program", "is not a PDF, Word"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF, Word"),
        ("archive.docx", b"PK\x03\x04 broken zip", "is not a PDF, Word"),
        ("scan.png", PDF, "is named as .png but its content is application/pdf"),
    ],
    ids=["program named pdf", "html named pdf", "broken zip named docx", "pdf named png"],
)
def test_a_file_whose_name_hides_its_type_is_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_evidence_file(SimpleUploadedFile(name, content))


def test_an_archive_is_not_unpacked_whole_to_tell_its_kind():
    """A small archive whose "mimetype" member unpacks to 100 MB (a "zip bomb") is refused
    from that member's first bytes, without the server unpacking the rest into memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("mimetype", "w") as member:
        for _ in range(100):
            member.write(bytes(1024 * 1024))
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="is not a PDF, Word"):
            validate_evidence_file(SimpleUploadedFile("bomb.odt", buffer.getvalue()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refusal:
        validate_evidence_file(SimpleUploadedFile("big.pdf", PDF + b"\0" * 2000))
    assert refusal.value.messages == ["big.pdf is 2.0\xa0KB; files may be at most 1.0\xa0KB."]


def test_the_form_keeps_the_text_when_the_file_is_refused(client, thai_focal_point, p15):
    client.force_login(thai_focal_point)
    data = action_form(p15, evidence_file=SimpleUploadedFile("act.pdf", b"MZ\x90\x00"))
    response = client.post("/my/actions/new/", data)
    assert "act.pdf is not a PDF" in response.text
    assert "Memorandum of understanding on labour cooperation" in response.text
    assert not EvidenceFile.objects.exists()


@pytest.fixture
def public_file(thai_published, thai_focal_point):
    return EvidenceFile.objects.create(
        action=thai_published, file=pdf(), name="resolution.pdf", content_type="application/pdf", size=len(PDF)
    )


def test_a_public_file_of_a_published_action_is_served_to_anyone(client, public_file):
    response = client.get(public_file.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue() == PDF


def test_files_are_stored_outside_the_static_files(public_file, settings):
    assert str(settings.MEDIA_ROOT) in public_file.file.path
    assert str(settings.STATIC_ROOT) not in public_file.file.path


def test_a_restricted_file_is_for_the_actors_focal_points_and_the_secretariat_only(
    client, thai_restricted_file, thai_focal_point, australian_focal_point, secretariat
):
    url = thai_restricted_file.get_absolute_url()
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(australian_focal_point)
    assert client.get(url).status_code == 404
    client.force_login(thai_focal_point)
    assert client.get(url).status_code == 200
    sign_in_with_second_factor(client, secretariat)
    assert client.get(url).status_code == 200


def test_a_file_of_a_draft_or_of_an_edit_under_review_is_not_public(
    client, thai_published, thai_focal_point, australian_focal_point, p15
):
    data = action_input([p15])
    data.files = [(pdf("new-decree.pdf"), False)]
    workflow.edit_action(action=thai_published, user=thai_focal_point, version=thai_published.version, data=data)
    url = EvidenceFile.objects.get(name="new-decree.pdf").get_absolute_url()
    assert client.get(url).status_code == 302
    client.force_login(australian_focal_point)
    assert client.get(url).status_code == 404


def test_a_file_missing_from_storage_is_a_404_and_a_logged_error(client, public_file, caplog):
    public_file.file.storage.delete(public_file.file.name)
    response = client.get(public_file.get_absolute_url())
    assert response.status_code == 404
    assert "The file is missing" in response.content.decode()
    assert f"Evidence file {public_file.pk} is recorded but missing from storage" in caplog.text


def test_uploads_and_downloads_go_through_the_storage_api_whatever_the_backend(client, thai_focal_point, p15, settings):
    """With another storage configured (as an S3 bucket is), a focal point's file is stored
    there, never on this server's disk, and downloads read it back from there."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    client.force_login(thai_focal_point)
    assert client.post("/my/actions/new/", action_form(p15, evidence_file=pdf("labour-act.pdf"))).status_code == 302
    evidence = EvidenceFile.objects.get()
    assert isinstance(storages["default"], InMemoryStorage)
    assert storages["default"].exists(evidence.file.name)
    assert not settings.MEDIA_ROOT.exists()

    response = client.get(evidence.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="labour-act.pdf"'
    assert response.getvalue() == PDF


def test_a_name_too_long_for_the_file_system_is_kept_whole_for_downloads(client, thai_focal_point, p15):
    """A Thai letter takes three bytes, so a long Thai name does not fit a file system's 255:
    the file is stored under a shortened name, and the record and the download keep it whole."""
    name = "รายงานผลการดำเนินงานตามข้อเสนอแนะด้านการย้ายถิ่นเพื่อการทำงาน" * 2 + ".pdf"
    client.force_login(thai_focal_point)
    assert client.post("/my/actions/new/", action_form(p15, evidence_file=pdf(name))).status_code == 302
    evidence = EvidenceFile.objects.get()
    stored = evidence.file.name.rsplit("/", 1)[-1]
    assert len(stored.encode()) <= 100 and stored.endswith(".pdf") and name.startswith(stored[:10])
    assert evidence.name == name
    response = client.get(evidence.get_absolute_url())
    assert unquote(response["Content-Disposition"]) == f"inline; filename*=utf-8''{name}"
