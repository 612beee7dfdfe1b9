"""Open-data rows: one shape for every format, with stable identifiers."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpRequest

from .models import Paragraph

PARAGRAPH_COLUMNS = ["id", "meeting", "paragraph", "theme_number", "theme", "text", "tracked", "addressees", "url"]

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def paragraph_rows(paragraphs: Iterable[Paragraph], request: HttpRequest) -> Iterator[dict]:
    for paragraph in paragraphs:
        yield {
            "id": f"{paragraph.meeting.code}/{paragraph.number}",
            "meeting": paragraph.meeting.code,
            "paragraph": paragraph.number,
            "theme_number": paragraph.theme.label if paragraph.theme else "",
            "theme": paragraph.theme.heading if paragraph.theme else "",
            "text": paragraph.text,
            "tracked": paragraph.is_tracked,
            "addressees": [actor.code for actor in paragraph.addressees.all()],
            "url": request.build_absolute_uri(paragraph.get_absolute_url()),
        }


def neutralise(value: str) -> str:
    """Make a cell that a spreadsheet would run as a formula read as text."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def csv_cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(value)
    return neutralise(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, line by line, so that a response can stream it."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_cell(row[column]) for column in columns])
