"""The import_outcomes command: creates, updates in place, and changes nothing when it fails."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import Actor, FollowUpAction, Meeting, Paragraph, Theme

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "apc-gcim-workshop-bangkok-2006.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def run_import(path, code="bangkok-2006", *extra):
    out, err = StringIO(), StringIO()
    call_command("import_outcomes", str(path), "--code", code, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    """Every imported fact, to show that a failed import changed none of them."""
    return (
        list(Meeting.objects.values_list("code", "title", "source_text")),
        list(Theme.objects.values_list("pk", "meeting__code", "position", "label", "heading")),
        list(Paragraph.objects.values_list("pk", "meeting__code", "number", "theme", "text", "is_tracked")),
    )


def write(tmp_path, text, name="outcome.txt"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_importing_the_seed_creates_the_meeting_its_themes_and_paragraphs():
    out, err = run_import(SEED)
    assert out.strip() == (
        "Created bangkok-2006. themes: 6 created, 0 changed, 0 removed; paragraphs: 25 created, 0 changed, 0 removed."
    )
    assert err == ""
    meeting = Meeting.objects.get(code="bangkok-2006")
    assert meeting.title == meeting.document_title == "Summary of the Deliberations of the Workshop"
    assert meeting.source_text == SEED_TEXT
    assert list(meeting.themes.values_list("position", "label")) == [
        (1, "1"),
        (2, "2"),
        (3, "3"),
        (4, "4"),
        (5, "5"),
        (6, ""),
    ]
    assert list(meeting.paragraphs.tracked().values_list("number", flat=True)) == list(range(7, 26))
    assert list(meeting.paragraphs.context().values_list("number", flat=True)) == list(range(1, 7))
    assert meeting.paragraphs.get(number=25).theme.heading == "Expectations Regarding the High Level Dialogue"
    assert meeting.paragraphs.get(number=3).theme is None


def test_importing_the_same_document_again_changes_and_duplicates_nothing():
    run_import(SEED)
    before = snapshot()
    out, _ = run_import(SEED)
    assert out.startswith("bangkok-2006 is already up to date")
    assert snapshot() == before


def test_a_corrected_document_updates_in_place_and_keeps_the_secretariats_decisions(tmp_path):
    run_import(SEED)
    paragraph_4 = Paragraph.objects.get(number=4)
    paragraph_4.is_tracked = True
    paragraph_4.save()
    paragraph_7 = Paragraph.objects.get(number=7)
    paragraph_7.addressees.add(
        Actor.objects.create(code="IOM", name="IOM", short_name="IOM", kind="international_organisation")
    )
    corrected = SEED_TEXT.replace("strengthening policy coherence", "strengthening overall policy coherence").replace(
        "2. Impacts of international migration", "2. Impacts of international migration flows"
    )
    out, _ = run_import(write(tmp_path, corrected))
    assert "themes: 0 created, 1 changed, 0 removed; paragraphs: 0 created, 1 changed, 0 removed" in out
    assert Paragraph.objects.get(number=7).pk == paragraph_7.pk
    assert "strengthening overall policy coherence" in Paragraph.objects.get(number=7).text
    assert list(Paragraph.objects.get(number=7).addressees.values_list("code", flat=True)) == ["IOM"]
    assert Paragraph.objects.get(number=4).is_tracked
    assert Theme.objects.get(position=2).heading.startswith("Impacts of international migration flows on")
    assert Paragraph.objects.count() == 25


def test_the_title_option_names_the_meeting_and_a_later_import_keeps_it(tmp_path):
    run_import(SEED, "bangkok-2006", "--title", "Bangkok workshop on the GCIM report")
    run_import(SEED)
    assert Meeting.objects.get().title == "Bangkok workshop on the GCIM report"


def test_the_next_meetings_document_is_imported_beside_the_first(tmp_path):
    run_import(SEED)
    later = "Chair's summary\n\nI. Follow-up\n\n1. States will report on the HLD.\n\n2. The APC will meet again.\n"
    out, _ = run_import(write(tmp_path, later), "apc-2007")
    assert out.startswith("Created apc-2007.")
    assert Meeting.objects.count() == 2
    assert list(Paragraph.objects.filter(meeting__code="apc-2007").values_list("number", "is_tracked")) == [
        (1, True),
        (2, True),
    ]


def test_a_paragraph_that_disappears_from_the_text_is_removed(tmp_path):
    run_import(SEED)
    shorter = SEED_TEXT.split("Expectations Regarding")[0]
    out, _ = run_import(write(tmp_path, shorter))
    assert "themes: 0 created, 0 changed, 1 removed; paragraphs: 0 created, 0 changed, 1 removed" in out
    assert not Paragraph.objects.filter(number=25).exists()


def test_a_paragraph_with_follow_up_cannot_disappear_and_nothing_is_imported(tmp_path):
    run_import(SEED)
    actor = Actor.objects.create(code="THA", name="Thailand", short_name="Thailand", kind="government")
    action = FollowUpAction.objects.create(
        actor=actor, title="National HLD preparation", status="completed", status_as_of=datetime.date(2006, 8, 1)
    )
    action.recommendations.add(Paragraph.objects.get(number=25))
    before = snapshot()
    shorter = SEED_TEXT.split("Expectations Regarding")[0].replace("Participants recognized", "Delegates recognized")
    with pytest.raises(CommandError, match=r"Paragraph\(s\) 25 of bangkok-2006 are not in the new text"):
        run_import(write(tmp_path, shorter))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "line 1: the document is empty."),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "line 3: binary data"),
        ("Title\n\n1. Café.\n".encode("cp1252"), "line 3: byte 0xe9 is not UTF-8"),
        (SEED_TEXT.replace("\n13. While States", "\n9. While States").encode(), "line 25: paragraph 9 comes after"),
    ],
)
def test_an_unreadable_document_names_the_line_and_changes_nothing(tmp_path, content, message):
    run_import(SEED)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path, content))
    assert message in str(error.value)
    assert str(error.value).endswith("Nothing was imported.")
    assert snapshot() == before


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match=r"Cannot read /nonexistent/outcome.txt: No such file or directory"):
        run_import(Path("/nonexistent/outcome.txt"))


def test_a_code_that_cannot_be_a_url_part_is_refused(tmp_path):
    with pytest.raises(CommandError, match="slug"):
        run_import(SEED, "Bangkok 2006")
    assert not Meeting.objects.exists()


def test_doubts_are_reported_as_warnings_naming_the_line(tmp_path):
    skipping = "Title\n\n1. First.\n\n3. Third.\n"
    out, err = run_import(write(tmp_path, skipping), "skips")
    assert "line 5: paragraph numbers jump from 1 to 3." in err
    assert list(Paragraph.objects.values_list("number", flat=True)) == [1, 3]
