"""Importing an outcome document: the meeting, its themes and paragraphs, from the document's text."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Meeting, Paragraph, Theme
from . import reader


@dataclass
class ImportResult:
    meeting: Meeting
    meeting_created: bool
    themes: dict[str, int] = field(default_factory=lambda: {"created": 0, "changed": 0, "removed": 0})
    paragraphs: dict[str, int] = field(default_factory=lambda: {"created": 0, "changed": 0, "removed": 0})
    warnings: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return self.meeting_created or any(self.themes.values()) or any(self.paragraphs.values())

    def summary(self) -> str:
        verb = "Created" if self.meeting_created else "Updated"
        counts = "; ".join(
            f"{name}: " + ", ".join(f"{n} {what}" for what, n in figures.items())
            for name, figures in (("themes", self.themes), ("paragraphs", self.paragraphs))
        )
        if not self.changed_anything:
            return f"{self.meeting.code} is already up to date ({counts})."
        return f"{verb} {self.meeting.code}. {counts}."


@transaction.atomic
def import_outcomes(*, text: str, code: str, title: str | None = None) -> ImportResult:
    """Create or update the meeting `code` from the text of its outcome document.

    Themes are matched by their position and paragraphs by their number, so importing the
    same document again changes nothing, and a corrected document updates in place. What the
    secretariat decided (tracked or not, addressees) is kept for paragraphs that stay. A
    paragraph that disappears from the text is removed unless follow-up refers to it, in which
    case nothing is imported. Raises OutcomeDocumentError or ValidationError.
    """
    document = reader.parse(text)
    meeting = Meeting.objects.filter(code=code).first()
    result = ImportResult(meeting=meeting, meeting_created=meeting is None, warnings=document.warnings)
    if meeting is None:
        meeting = result.meeting = Meeting(code=code, title=title or document.title or code)
    elif title:
        meeting.title = title
    meeting.document_title = document.title
    meeting.source_text = document.text
    meeting.full_clean()
    meeting.save()

    themes = _import_themes(meeting, document, result)
    _import_paragraphs(meeting, document, themes, result)
    removed = meeting.themes.filter(position__gt=len(themes))
    result.themes["removed"] = removed.count()
    removed.delete()
    return result


def _import_themes(meeting: Meeting, document: reader.Document, result: ImportResult) -> list[Theme]:
    existing = {theme.position: theme for theme in meeting.themes.all()}
    themes = []
    for position, heading in enumerate(document.headings, start=1):
        theme = existing.get(position)
        if theme is None:
            theme = Theme(meeting=meeting, position=position)
            result.themes["created"] += 1
        elif (theme.label, theme.heading) == (heading.label, heading.text):
            themes.append(theme)
            continue
        else:
            result.themes["changed"] += 1
        theme.label, theme.heading = heading.label, heading.text
        _save_or_name_line(theme, heading.line)
        themes.append(theme)
    return themes


def _import_paragraphs(meeting: Meeting, document: reader.Document, themes: list[Theme], result: ImportResult) -> None:
    existing = {paragraph.number: paragraph for paragraph in meeting.paragraphs.all()}
    for parsed in document.paragraphs:
        theme = themes[parsed.heading] if parsed.heading is not None else None
        paragraph = existing.pop(parsed.number, None)
        if paragraph is None:
            paragraph = Paragraph(meeting=meeting, number=parsed.number, is_tracked=theme is not None)
            result.paragraphs["created"] += 1
        elif paragraph.text == parsed.text and paragraph.theme_id == (theme and theme.pk):
            continue
        else:
            result.paragraphs["changed"] += 1
        paragraph.text, paragraph.theme = parsed.text, theme
        _save_or_name_line(paragraph, parsed.line)
    gone = list(existing.values())
    followed = sorted(p.number for p in gone if p.actions.exists() or p.implementation_statuses.exists())
    if followed:
        raise ValidationError(
            f"Paragraph(s) {', '.join(map(str, followed))} of {meeting.code} are not in the new text, "
            "but follow-up actions or statuses refer to them. Nothing was imported."
        )
    Paragraph.objects.filter(pk__in=[p.pk for p in gone]).delete()
    result.paragraphs["removed"] = len(gone)


def _save_or_name_line(obj: Theme | Paragraph, line: int) -> None:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise reader.OutcomeDocumentError(line, "; ".join(error.messages)) from None
    obj.save()
