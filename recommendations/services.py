"""Writes that span several models, each one atomic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import parsing
from .freshness import figures_changed
from .models import (
    ActionRecommendation,
    Actor,
    FocalPoint,
    FollowUpAction,
    ImplementationStatus,
    Meeting,
    Paragraph,
    Status,
    Theme,
)


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
    document = parsing.parse(text)
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


def _import_themes(meeting: Meeting, document: parsing.Document, result: ImportResult) -> list[Theme]:
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


def _import_paragraphs(meeting: Meeting, document: parsing.Document, themes: list[Theme], result: ImportResult) -> None:
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
        raise parsing.OutcomeDocumentError(line, "; ".join(error.messages)) from None
    obj.save()


def status_pairs(action: FollowUpAction) -> set[tuple[int, int]]:
    """The (actor, recommendation) pairs whose status the action counts towards."""
    actor_ids = {action.actor_id, *action.partners.values_list("pk", flat=True)}
    paragraph_ids = set(action.recommendations.values_list("pk", flat=True))
    return {(actor_id, paragraph_id) for actor_id in actor_ids for paragraph_id in paragraph_ids}


@transaction.atomic
def refresh_implementation_statuses(pairs: Iterable[tuple[int, int]]) -> None:
    """Recompute the derived status of each (actor id, paragraph id) pair from its actions.

    The derived status is the most advanced validated status among the published actions the
    actor reports or is a partner in that answer the recommendation, and it holds as of the
    latest date any of those actions gives for that status; the reported status is the same
    over the statuses the actors themselves gave. A pair with neither actions nor an explicit
    status has no row: no information provided.
    """
    pairs = set(pairs)
    if not pairs:
        return
    actor_ids = {actor_id for actor_id, _ in pairs}
    paragraph_ids = {paragraph_id for _, paragraph_id in pairs}
    # Per pair, the best (rank, as of) of the validated statuses and of the reported ones.
    validated: dict[tuple[int, int], tuple[int, object]] = {}
    reported: dict[tuple[int, int], tuple[int, object]] = {}
    links = ActionRecommendation.objects.filter(
        paragraph_id__in=paragraph_ids, action__state=FollowUpAction.State.PUBLISHED
    ).filter(Q(action__actor_id__in=actor_ids) | Q(action__partners__in=actor_ids))
    rows = links.values_list(
        "paragraph_id",
        "action__actor_id",
        "action__partners",
        "action__status",
        "action__validated_status",
        "action__status_as_of",
    )
    for paragraph_id, reporter_id, partner_id, status, validated_status, as_of in rows.distinct():
        for actor_id in {reporter_id, partner_id} & actor_ids:
            key = (actor_id, paragraph_id)
            if key not in pairs:
                continue
            for best, value in ((validated, validated_status or status), (reported, status)):
                candidate = (Status(value).rank, as_of)
                if key not in best or candidate > best[key]:
                    best[key] = candidate

    existing = {
        (row.actor_id, row.paragraph_id): row
        for row in ImplementationStatus.objects.filter(actor_id__in=actor_ids, paragraph_id__in=paragraph_ids)
    }
    statuses = list(Status)
    created, changed, emptied = [], [], []
    for key in pairs:
        row = existing.get(key) or ImplementationStatus(actor_id=key[0], paragraph_id=key[1])
        before = (row.derived_status, row.derived_as_of, row.reported_status, row.reported_as_of)
        rank, as_of = validated.get(key, (None, None))
        row.derived_status = statuses[rank].value if rank is not None else ""
        row.derived_as_of = as_of
        rank, as_of = reported.get(key, (None, None))
        row.reported_status = statuses[rank].value if rank is not None else ""
        row.reported_as_of = as_of
        if not (row.derived_status or row.explicit_status):
            if row.pk:
                emptied.append(row.pk)
        elif not row.pk:
            created.append(row)
        elif before != (row.derived_status, row.derived_as_of, row.reported_status, row.reported_as_of):
            changed.append(row)
    # In bulk, each with its history rows, so that the number of queries does not grow with the pairs.
    if created:
        bulk_create_with_history(created, ImplementationStatus)
    if changed:
        bulk_update_with_history(changed, ImplementationStatus, fields=_DERIVED_FIELDS)
    if emptied:
        ImplementationStatus.objects.filter(pk__in=emptied).delete()
    figures_changed()


_DERIVED_FIELDS = ["derived_status", "derived_as_of", "reported_status", "reported_as_of"]


class FocalPointError(Exception):
    pass


@transaction.atomic
def add_focal_point(*, username: str, actor_code: str, email: str = "", password: str | None = None) -> FocalPoint:
    """Appoint a user (created if new) as the focal point of one actor.

    A new user needs a password; an existing one keeps theirs unless one is given.
    """
    actor = Actor.objects.filter(code=actor_code.strip().upper()).first()
    if actor is None:
        raise FocalPointError(
            f"No actor has the code {actor_code!r}. Actor codes are listed in the admin under Actors."
        )
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        if not password:
            raise FocalPointError(f"{username} is a new user and needs a password.")
        user = user_model(username=username, email=email)
        _set_password(user, password)
        user.full_clean()
        user.save()
    else:
        current = user.focal_points.filter(end_date__isnull=True).select_related("actor").first()
        if current is not None:
            raise FocalPointError(
                f"{username} is already the focal point of {current.actor.code}; end that appointment first."
            )
        if email:
            user.email = email
        if password:
            _set_password(user, password)
        user.save()
    appointment = FocalPoint(user=user, actor=actor)
    appointment.full_clean()
    appointment.save()
    return appointment


def _set_password(user: AbstractBaseUser, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
