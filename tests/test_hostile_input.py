"""Random and hostile input: a clear 4xx or a valid result, never a 500, never a partial write."""

import io
import operator
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from recommendations.documents.importer import import_outcomes
from recommendations.documents.reader import OutcomeDocumentError, decode, parse
from recommendations.models import EvidenceFile, Meeting, Paragraph, Theme

from .conftest import action_form, multipart

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

HOSTILE = [
    "<script>alert(1)</script>",
    "&lt;b&gt;&amp;",
    "\u202eevil\u202c",
    "'; DROP TABLE recommendations_paragraph; --",
    '=HYPERLINK("http://x")',
    "x" * 10_000,
    "\x00",
    "%00",
    "../../etc/passwd",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))

document_line = st.one_of(
    st.text(max_size=80),
    st.builds("{}. {}".format, st.integers(0, 1200), st.text(max_size=120)),
    st.builds("{}) {}".format, st.sampled_from(["I", "IV", "A", "(3"]), st.text(max_size=40)),
    st.sampled_from(["", "*****", "   ", "Expectations Regarding the High Level Dialogue", "\r", "\f", "-"]),
    st.sampled_from(HOSTILE),
)
documents = st.one_of(
    st.lists(document_line, max_size=40).map("\n".join).map(str.encode),
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


def snapshot():
    return (
        list(Meeting.objects.values_list("code", "title", "source_text")),
        list(Theme.objects.values_list("pk", "position", "label", "heading")),
        list(Paragraph.objects.values_list("pk", "number", "theme", "text", "is_tracked")),
    )


@FUZZ
@given(data=documents)
def test_the_importer_imports_exactly_what_it_reads_or_changes_nothing(workshop, data):
    before = snapshot()
    try:
        text = decode(data)
        result = import_outcomes(text=text, code="fuzz")
    except (OutcomeDocumentError, ValidationError):
        assert snapshot() == before
        return
    document = parse(text)
    stored = list(result.meeting.paragraphs.order_by("number").values_list("number", "text"))
    assert stored == [(p.number, p.text) for p in document.paragraphs]
    assert result.meeting.themes.count() == len(document.headings)
    assert Meeting.objects.get(code="bangkok-2006").paragraphs.count() == 25


PUBLIC_URLS = [
    "/",
    "/recommendations/",
    "/recommendations/bangkok-2006/12/",
    "/actors/THA/",
    "/documents/bangkok-2006/",
    "/recommendations/export.json",
    "/recommendations/export.csv",
    "/actions/export.csv",
    "/statuses/export.json",
    "/matrix/export.csv",
]
PARAMETERS = [
    "meeting", "theme", "addressee", "actor", "status", "tracked", "q", "sort", "page", "format", "kind", "x",
]  # fmt: skip


@FUZZ
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), hostile_text, max_size=4))
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_urls_answer_any_query_string_without_a_server_error(client, workshop, url, params):
    response = client.get(url, params)
    assert response.status_code in (200, 400, 404)
    if response.status_code == 200 and not response.streaming:
        assert "<script>alert(1)</script>" not in response.content.decode()


@FUZZ
@given(code=hostile_text, number=st.one_of(st.integers(-5, 10**12).map(str), hostile_text))
def test_paragraph_permalinks_are_found_or_not_found_never_broken(client, workshop, code, number):
    response = client.get(f"/recommendations/{code}/{number}/")
    assert response.status_code in (200, 301, 404)


ACTION_FIELDS = ["title", "description", "status", "status_as_of", "status_source", "start_date", "end_date",
                 "responsible_agency", "recommendations", "partners", "evidence_links", "version"]  # fmt: skip


@FUZZ
@given(form=st.dictionaries(st.sampled_from(ACTION_FIELDS), hostile_text, max_size=8))
def test_the_action_form_answers_any_input_with_a_form_or_a_saved_draft(client, thai_focal_point, form):
    from recommendations.models import FollowUpAction

    client.force_login(thai_focal_point)
    before = FollowUpAction.objects.count()
    response = client.post("/my/actions/new/", form)
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert FollowUpAction.objects.count() == before
        assert "<script>alert(1)</script>" not in response.content.decode()


def zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HOSTILE_STEMS = [
    "../../../etc/cron.d/evil",
    "..\\..\\windows\\evil",
    "/etc/passwd",
    "&#46;&#46;&#47;&#46;&#46;&#47;evil",
    "report\x00",
    "\u202efdp",
    "photo\u202egnp",
    "x.exe",
    "CON",
    "x" * 300,
    "ก" * 250,
    "<script>alert(1)</script>",
    'quote"',
    "line\r\nbreak",
    "résumé — 报告",
    "",
    ".",
    "..",
]
EXTENSIONS = ["", ".", ".pdf", ".PDF", ".png", ".jpg", ".gif", ".doc", ".docx", ".odt", ".exe", ".pdf.exe", ".pdf\x00"]
stems = st.one_of(st.sampled_from(HOSTILE_STEMS), st.text(max_size=300))
file_names = st.builds(operator.add, stems, st.sampled_from(EXTENSIONS))

SIGNATURES = [b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]
ZIP_MEMBERS = ["mimetype", "[Content_Types].xml", "word/document.xml", "xl/workbook.xml", "../evil", "a"]
MIMETYPES = [b"application/pdf", b"application/vnd.oasis.opendocument.text", b"image/png", b"text/plain", b""]
zips = st.builds(
    zip_of,
    st.dictionaries(st.sampled_from(ZIP_MEMBERS), st.one_of(st.sampled_from(MIMETYPES), st.binary(max_size=40))),
    st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)


def damaged(archive: bytes, position: int, byte: int) -> bytes:
    position %= len(archive)
    return archive[:position] + bytes([byte]) + archive[position + 1 :]


# Real documents, so that hostile names also meet content the app accepts.
DOCUMENTS = {
    ".pdf": b"%PDF-1.4\n%%EOF\n",
    ".png": b"\x89PNG\r\n\x1a\n" + bytes(20),
    ".docx": zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
    ".odt": zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"}, zipfile.ZIP_DEFLATED),
}
file_contents = st.one_of(
    st.binary(max_size=2048),
    st.builds(operator.add, st.sampled_from(SIGNATURES), st.binary(max_size=200)),
    st.sampled_from(SIGNATURES).flatmap(lambda head: st.integers(0, len(head) - 1).map(lambda end: head[:end])),
    zips,
    zips.flatmap(lambda archive: st.integers(0, len(archive)).map(lambda end: archive[:end])),
    st.builds(damaged, zips, st.integers(0, 10_000), st.integers(0, 255)),
)
documents_named = st.sampled_from(list(DOCUMENTS.items()))
uploaded_files = st.one_of(
    st.tuples(file_names, file_contents),
    st.builds(lambda stem, document: (stem + document[0], document[1]), stems, documents_named),
    st.builds(
        lambda stem, document, position, byte: (stem + document[0], damaged(document[1], position, byte)),
        stems,
        documents_named,
        st.integers(0, 10_000),
        st.integers(0, 255),
    ),
)


# What each kind stored must start with: the kind's signature, or a ZIP archive's for office documents.
LEADING_BYTES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/msword": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


@pytest.fixture
def uploads(settings, tmp_path):
    """Uploads go to a scratch folder; returns the folder above it, to catch a file written beside it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@FUZZ
@given(upload=uploaded_files)
@example(upload=("ก" * 250 + ".pdf", DOCUMENTS[".pdf"]))  # more bytes than a file system allows a name
@example(upload=("claims-to-be.pdf", zip_of({"mimetype": b"application/pdf"})))
@example(upload=("damaged.odt", damaged(DOCUMENTS[".odt"], 38, 0)))  # its packed "mimetype" cannot be unpacked
@example(upload=("empty.pdf", b""))
def test_an_evidence_file_is_stored_whole_under_the_actors_folder_or_refused_with_a_reason(
    client, workshop, thai_focal_point, uploads, upload
):
    """Whatever a file is called and holds, the focal point gets a form that names the problem
    or a saved draft; a stored file has its record and its exact bytes, under the actor's
    folder, and its recorded type matches its content; a refused one leaves nothing behind.
    (A name that is nothing once Django drops folders and unprintable characters, "" or ".",
    is no file at all: the draft is saved without one.)"""
    name, content = upload
    client.force_login(thai_focal_point)
    before = set(EvidenceFile.objects.values_list("pk", flat=True))
    content_type, body = multipart(action_form(workshop.paragraphs.get(number=15)), "evidence_file", name, content)
    response = client.post("/my/actions/new/", body, content_type=content_type)
    assert response.status_code in (200, 302, 400)
    added = list(EvidenceFile.objects.exclude(pk__in=before))
    if response.status_code == 200:
        assert response.context["form"].errors["evidence_file"]
    assert len(added) <= (1 if response.status_code == 302 else 0)
    for evidence in added:
        with evidence.file.open("rb") as stored:
            assert stored.read() == content
        assert content.startswith(LEADING_BYTES.get(evidence.content_type, (b"PK\x03\x04",)))
    media = uploads / "media"
    files = [path for path in uploads.rglob("*") if path.is_file()]
    assert all(path.is_relative_to(media / "evidence" / "THA") for path in files)
    assert {path.relative_to(media).as_posix() for path in files} == {
        evidence.file.name for evidence in EvidenceFile.objects.all()
    }
