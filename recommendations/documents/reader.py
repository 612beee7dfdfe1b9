"""Reading a plain-text outcome document into its title, headings and numbered paragraphs.

Outcome documents arrive as text copied out of word processors and PDFs, so the reader
expects what such text looks like: CRLF or LF line ends, hard-wrapped lines, stray spaces,
decorative lines of asterisks, headings that are numbered, lettered or not numbered at all,
heading numbers that collide with paragraph numbers, and headings with no blank line before
them. It never guesses silently: what it cannot read is an `OutcomeDocumentError` naming the
line, and what it reads with a doubt is a warning.

How a numbered line is told apart as a heading or a paragraph: paragraph numbers only go up,
so a number at or below the last paragraph's is a heading; beyond that, a paragraph reads as
prose (more than 30 words, or ending with a full stop or other sentence-ending mark), a
heading does not, and the two numbering sequences settle what shape leaves open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_HEADING_WORDS = 30

_NUMBERED = re.compile(r"^\(?(?P<number>\d{1,3})\s*[.)](?:\s+(?P<rest>.*))?$")
_LABELLED_HEADING = re.compile(r"^(?P<label>[IVXLC]{1,7}|[A-Z])[.)]\s+(?P<rest>\S.*)$")
_SENTENCE_END = re.compile(r"[.!?;:…][\"'”’»)\]]*$")
_WRAPPED_HYPHEN = re.compile(r"\w-$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class OutcomeDocumentError(ValueError):
    """The document cannot be read; `line` is where the problem is (1-based)."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Heading:
    line: int
    label: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    line: int
    number: int
    text: str
    heading: int | None
    """Index into `Document.headings`, or None before the first heading."""


@dataclass
class Document:
    text: str
    title: str = ""
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Block:
    """Consecutive lines that belong together: one heading, paragraph or title."""

    line: int
    kind: str  # "number", "label" or "text"
    label: str
    parts: list[str]

    @property
    def text(self) -> str:
        """The lines joined with a space, or with nothing after a hyphenated word ("capacity-" "building")."""
        text = ""
        for part in filter(None, self.parts):
            joiner = "" if not text or _WRAPPED_HYPHEN.search(text) else " "
            text += joiner + part
        return text

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def reads_as_prose(self) -> bool:
        return self.words > MAX_HEADING_WORDS or bool(_SENTENCE_END.search(self.text))


def decode(data: bytes) -> str:
    """The document's text with LF line ends; binary or non-UTF-8 data is an error."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise OutcomeDocumentError(line, "binary data (a NUL byte): the file is not a plain-text document.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise OutcomeDocumentError(
            line, f"byte 0x{data[error.start]:02x} is not UTF-8 text; save the document as UTF-8 plain text."
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if match := _CONTROL.search(line):
            raise OutcomeDocumentError(number, f"control character U+{ord(match.group()):04X} in the text.")
    if not text.strip():
        raise OutcomeDocumentError(1, "the document is empty.")
    document = Document(text=text)
    _classify(_blocks(lines), document, last_line=len(lines))
    return document


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for index, raw in enumerate(lines):
        line_number = index + 1
        line = raw.strip()
        if not line or not any(char.isalnum() for char in line):
            current = None
            continue
        if match := _NUMBERED.match(line):
            current = _Block(line_number, "number", match["number"], [(match["rest"] or "").strip()])
            blocks.append(current)
        elif match := _LABELLED_HEADING.match(line):
            current = _Block(line_number, "label", match["label"], [match["rest"].strip()])
            blocks.append(current)
        elif current is not None and not _starts_heading_after_prose(current, line, lines[index + 1 :]):
            current.parts.append(line)
        else:
            current = _Block(line_number, "text", "", [line])
            blocks.append(current)
    return blocks


def _starts_heading_after_prose(current: _Block, line: str, rest: list[str]) -> bool:
    """Whether `line`, written straight after a finished paragraph, is an unnumbered heading.

    It is when the paragraph so far ends a sentence, the line is short, starts with a capital
    and ends no sentence, and the next line with text starts a numbered paragraph.
    """
    if current.kind != "number" or not _SENTENCE_END.search(current.parts[-1]):
        return False
    if not line[0].isupper() or _SENTENCE_END.search(line) or len(line.split()) > MAX_HEADING_WORDS:
        return False
    following = next((candidate.strip() for candidate in rest if candidate.strip()), "")
    return bool(_NUMBERED.match(following))


def _classify(blocks: list[_Block], document: Document, last_line: int) -> None:
    last_paragraph = 0
    last_heading_number = 0
    first_number = next((i for i, block in enumerate(blocks) if block.kind == "number"), len(blocks))
    for position, block in enumerate(blocks):
        if not block.text:
            raise OutcomeDocumentError(block.line, f"{block.label}. has no text after it.")
        if block.kind == "label":
            _add_heading(document, block)
        elif block.kind == "text":
            if position == 0:
                document.title = block.text
            elif document.paragraphs and not _is_heading_shaped(block):
                _continue_paragraph(document, block)
            elif _is_heading_shaped(block) and (document.paragraphs or position == first_number - 1):
                _add_heading(document, block)
            else:
                document.warnings.append(
                    f"line {block.line}: text before the first paragraph is kept only in the source text."
                )
        else:
            number = int(block.label)
            if _is_numbered_heading(block, number, last_paragraph, last_heading_number):
                _add_heading(document, block)
                last_heading_number = number
            elif number <= last_paragraph:
                raise OutcomeDocumentError(
                    block.line,
                    f"paragraph {number} comes after paragraph {last_paragraph}; paragraph numbers must go up "
                    f"(and a heading is at most {MAX_HEADING_WORDS} words long).",
                )
            else:
                if number != last_paragraph + 1:
                    document.warnings.append(
                        f"line {block.line}: paragraph numbers jump from {last_paragraph} to {number}."
                    )
                heading = len(document.headings) - 1 if document.headings else None
                document.paragraphs.append(Paragraph(block.line, number, block.text, heading))
                last_paragraph = number
    if not document.paragraphs:
        raise OutcomeDocumentError(
            last_line, "no numbered paragraphs found (a paragraph starts with a number: '7. ...')."
        )


def _is_heading_shaped(block: _Block) -> bool:
    return not block.reads_as_prose


def _is_numbered_heading(block: _Block, number: int, last_paragraph: int, last_heading: int) -> bool:
    if block.words > MAX_HEADING_WORDS:
        return False
    if number <= last_paragraph:
        return number == last_heading + 1 or _is_heading_shaped(block)
    if block.reads_as_prose:
        return False
    if number == last_heading + 1:
        return True
    return number != last_paragraph + 1


def _add_heading(document: Document, block: _Block) -> None:
    label = "" if block.kind == "text" else block.label
    document.headings.append(Heading(block.line, label, block.text))


def _continue_paragraph(document: Document, block: _Block) -> None:
    """An unnumbered block of prose after a paragraph is that paragraph's next sub-paragraph."""
    previous = document.paragraphs[-1]
    document.paragraphs[-1] = Paragraph(
        previous.line, previous.number, f"{previous.text}\n\n{block.text}", previous.heading
    )
