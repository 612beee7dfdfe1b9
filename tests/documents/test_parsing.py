"""Reading outcome documents as they really come: the seed and the ways real text goes wrong."""

import re
import textwrap
from pathlib import Path

import pytest

from recommendations.documents.reader import OutcomeDocumentError, decode, parse

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "apc-gcim-workshop-bangkok-2006.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def shape(document):
    """What an import keeps: title, headings, and each paragraph's number, text and heading."""
    return (
        document.title,
        [(heading.label, heading.text) for heading in document.headings],
        [(p.number, p.text, p.heading) for p in document.paragraphs],
    )


SEED_SHAPE = shape(parse(SEED_TEXT))


def test_the_seed_has_six_context_paragraphs_and_nineteen_under_six_headings():
    document = parse(SEED_TEXT)
    assert document.title == "Summary of the Deliberations of the Workshop"
    assert [h.label for h in document.headings] == ["1", "2", "3", "4", "5", ""]
    assert document.headings[5].text == "Expectations Regarding the High Level Dialogue"
    assert [p.number for p in document.paragraphs] == list(range(1, 26))
    assert all(p.heading is None for p in document.paragraphs[:6])
    by_heading = {n: [p.number for p in document.paragraphs if p.heading == n] for n in range(6)}
    assert by_heading == {
        0: [7],
        1: [8, 9, 10, 11, 12],
        2: [13, 14, 15, 16],
        3: [17, 18, 19, 20, 21],
        4: [22, 23, 24],
        5: [25],
    }
    assert document.warnings == []


def test_the_hard_wrapped_paragraph_twelve_is_joined_with_one_space():
    paragraph = parse(SEED_TEXT).paragraphs[11]
    assert paragraph.text.startswith(
        "Coherent and comprehensive migration policies, backed by good governance and research, are more likely"
    )


def test_paragraph_text_is_verbatim_apart_from_the_number_and_surrounding_space():
    texts = {p.number: p.text for p in parse(SEED_TEXT).paragraphs}
    assert texts[2].endswith("will be made known to all stakeholders.  (Acknowledgement of the hospitality of RTG)")
    assert texts[24] == (
        "Contributions of international organizations particularly IOM and UNHCR and donor countries are "
        "valuable to address the issue of resources, coordination and capacity."
    )
    for number, text in texts.items():
        if number != 12:
            assert f"{number}. {text}" in SEED_TEXT


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends_read_the_same(newline):
    assert shape(parse(SEED_TEXT.replace("\n", newline))) == SEED_SHAPE


def test_decode_strips_a_byte_order_mark_and_normalises_line_ends():
    data = b"\xef\xbb\xbf" + SEED_TEXT.replace("\n", "\r\n").encode()
    assert shape(parse(decode(data))) == SEED_SHAPE


def test_stray_spaces_and_tabs_around_lines_and_numbers_do_not_matter():
    messy = "\n".join(f"  \t{line}   " for line in SEED_TEXT.split("\n"))
    messy = re.sub(r"^(\s*\d+)\. ", r"\1.   ", messy, flags=re.MULTILINE)
    assert shape(parse(messy)) == SEED_SHAPE


def squeeze(document_shape):
    """The shape with runs of spaces folded: wrapping a line loses the double spaces it breaks at."""
    title, headings, paragraphs = document_shape
    return title, headings, [(number, " ".join(text.split()), heading) for number, text, heading in paragraphs]


def test_every_paragraph_hard_wrapped_at_sixty_columns_reads_the_same():
    wrapped = "\n".join(textwrap.fill(line, 60) if len(line) > 60 else line for line in SEED_TEXT.split("\n"))
    assert wrapped.count("\n") > SEED_TEXT.count("\n") + 100
    assert squeeze(shape(parse(wrapped))) == squeeze(SEED_SHAPE)


def test_headings_straight_after_a_paragraph_without_blank_lines_are_found():
    packed = "\n".join(line for line in SEED_TEXT.split("\n") if line.strip())
    assert shape(parse(packed)) == SEED_SHAPE


def test_decorative_lines_are_ignored():
    decorated = SEED_TEXT.replace("\n\n", "\n\n-------\n\n").replace("1. Efforts", "* * * * *\n1. Efforts")
    assert shape(parse("=========\n" + decorated)) == SEED_SHAPE


def test_roman_and_lettered_headings_and_parenthesised_numbers():
    document = parse(
        "Outcome of a later meeting\n\n"
        "I. Policy coherence\n\n"
        "(1) States should coordinate their agencies.\n\n"
        "2) Laws should define roles.\n\n"
        "II. Remittances\n"
        "3. Transfers should cost less.\n"
        "A. Annex\n"
        "4. A note.\n"
    )
    assert [(h.label, h.text) for h in document.headings] == [
        ("I", "Policy coherence"),
        ("II", "Remittances"),
        ("A", "Annex"),
    ]
    assert [(p.number, p.heading) for p in document.paragraphs] == [(1, 0), (2, 0), (3, 1), (4, 2)]


def test_a_number_alone_on_its_line_starts_the_paragraph_below_it():
    document = parse("Title\n\n1.\nThe first paragraph,\nwrapped.\n")
    assert [(p.number, p.text) for p in document.paragraphs] == [(1, "The first paragraph, wrapped.")]


def test_unnumbered_prose_after_a_paragraph_is_its_next_sub_paragraph():
    document = parse("Title\n\n1. First part.\n\nSecond part of the same paragraph, which reads as prose.\n")
    assert document.paragraphs[0].text == "First part.\n\nSecond part of the same paragraph, which reads as prose."


def test_a_wrapped_line_that_starts_with_a_decimal_is_not_a_new_paragraph():
    document = parse("Title\n\n1. Remittances reached\n1.5 million transfers.\n")
    assert [(p.number, p.text) for p in document.paragraphs] == [(1, "Remittances reached 1.5 million transfers.")]


def test_a_paragraph_number_that_skips_is_imported_with_a_warning():
    document = parse(
        SEED_TEXT.replace("\n9. The economic", "\n10. The economic")
        .replace("\n10. Depending", "\n11. Depending")
        .replace("\n11. The negative", "\n11a. x")
    )  # noqa: E501
    assert [p.number for p in document.paragraphs][7:10] == [8, 10, 11]
    assert any("jump from 8 to 10" in warning for warning in document.warnings)


def test_text_before_the_first_paragraph_is_reported():
    document = parse("Title\n\nDistr.: General. 2 May 2006.\n\nSection\n\n1. Text.\n")
    assert document.title == "Title"
    assert [h.text for h in document.headings] == ["Section"]
    assert document.warnings == ["line 3: text before the first paragraph is kept only in the source text."]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the document is empty"),
        ("  \n\t\n\n", 1, "the document is empty"),
        ("Title only\n\nNo numbers here, just prose that goes on.\n", 4, "no numbered paragraphs found"),
        (
            "Title\n\n1. First.\n\n2. Second.\n\n2. Second again, which is prose of more than thirty words "
            + "and more " * 12
            + ".\n",
            7,
            "paragraph 2 comes after paragraph 2",
        ),  # noqa: E501
        ("Title\n\n1. Fine.\n\n2.\n", 5, "2. has no text"),
        ("Title\n\n1. A bell\x07 rings.\n", 3, "control character U+0007"),
    ],
)
def test_unreadable_documents_are_errors_that_name_the_line(text, line, message):
    with pytest.raises(OutcomeDocumentError) as error:
        parse(text)
    assert error.value.line == line
    assert message in str(error.value)
    assert str(error.value).startswith(f"line {line}: ")


def test_binary_data_is_refused_with_its_line():
    with pytest.raises(OutcomeDocumentError, match=r"^line 2: binary data"):
        decode(b"%PDF-1.4\n\x00\x01\x02stream")


def test_text_that_is_not_utf8_is_refused_with_its_line():
    with pytest.raises(OutcomeDocumentError, match=r"^line 3: byte 0xe9 is not UTF-8"):
        decode("Title\n\n1. Caf\u00e9 culture.\n".encode("latin-1"))
