"""The reporting workflow: focal points write, the secretariat reviews, the public sees what is published.

An action is written as a draft, submitted, then published or returned with a comment. Once
published, an edit goes to a revision that is reviewed the same way, while the public keeps
seeing the published content. Every write here takes the action's `version` as the form saw
it and refuses to save over someone else's change (see `EditConflict`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import (
    ActionContent,
    ActionRevision,
    ActionState,
    Actor,
    EvidenceFile,
    EvidenceLink,
    FocalPoint,
    FollowUpAction,
    ImplementationStatus,
    Paragraph,
    Reminder,
    ReportingRound,
    Status,
)
from .services import refresh_implementation_statuses, status_pairs
from .uploads import sniff_content_type, stored_name

logger = logging.getLogger(__name__)

CONTENT_FIELDS = [
    "title",
    "description",
    "status",
    "status_as_of",
    "status_source",
    "start_date",
    "end_date",
    "responsible_agency",
]


class WorkflowError(Exception):
    """A transition that the action's state does not allow."""


class EditConflict(Exception):
    """Someone saved the action since the form was opened; nothing was written."""

    def __init__(self, action: FollowUpAction, differences: list[tuple[str, str, str]]):
        self.action = action
        self.differences = differences
        super().__init__(f"{action} was changed by someone else.")


@dataclass
class ActionInput:
    """What a focal point's form says about an action."""

    content: dict
    recommendations: Sequence[Paragraph]
    partners: Sequence[Actor] = ()
    links: Sequence[tuple[str, str]] = ()
    files: Sequence[tuple[UploadedFile, bool]] = field(default_factory=list)


def is_secretariat(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def current_actor(user: AbstractBaseUser) -> Actor | None:
    """The actor the user is currently focal point of, if any (kept on the user for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_current_actor"):
        appointment = FocalPoint.objects.current().filter(user=user).select_related("actor").first()
        user._current_actor = appointment.actor if appointment else None
    return user._current_actor


def working_copy(action: FollowUpAction) -> ActionContent:
    """What a focal point edits and submits: the action until published, then its open revision."""
    if action.state != ActionState.PUBLISHED:
        return action
    return action.open_revision() or action


@transaction.atomic
def create_action(*, actor: Actor, user: AbstractBaseUser, data: ActionInput) -> FollowUpAction:
    """A new draft action of `actor`, with its recommendations, partners, links and files."""
    action = FollowUpAction(actor=actor, created_by=user, updated_by=user, **data.content)
    action.full_clean()
    action._change_reason = "Created"
    action.save()
    action.recommendations.set(data.recommendations)
    action.partners.set([partner for partner in data.partners if partner != actor])
    _replace_links(action, data.links)
    _add_files(action, None, data.files, user)
    return action


@transaction.atomic
def edit_action(*, action: FollowUpAction, user: AbstractBaseUser, version: int, data: ActionInput) -> ActionContent:
    """Save an edit: on the action while it is new, on its revision once it is published.

    The first edit of a published action opens a revision; the public keeps seeing the
    published content until the secretariat approves it. A submitted action or revision
    cannot be edited: it waits for review.
    """
    target = working_copy(action)
    if target.state == ActionState.SUBMITTED:
        raise WorkflowError("This action is submitted and waits for review; it can be edited once it is returned.")
    _claim(action, version, data)
    if target.state == ActionState.PUBLISHED:
        target = ActionRevision(action=action, created_by=user)
    for name, value in data.content.items():
        setattr(target, name, value)
    partners = [partner for partner in data.partners if partner != action.actor]
    if target is not action:  # the action's own version was taken by _claim
        target.version = target.version + 1 if target.pk else 1
    if isinstance(target, ActionRevision):
        target.evidence_links = [{"url": url, "label": label} for url, label in data.links]
        target.full_clean(exclude=["action"])
        target._change_reason = "Edited"
        target.save()
        target.recommendations.set(data.recommendations)
        target.partners.set(partners)
        _add_files(action, target, data.files, user)
        return target
    target.updated_by = user
    target.full_clean()
    target._change_reason = "Edited"
    target.save()
    target.recommendations.set(data.recommendations)
    target.partners.set(partners)
    _replace_links(target, data.links)
    _add_files(target, None, data.files, user)
    return target


def submit(*, action: FollowUpAction, user: AbstractBaseUser, version: int) -> ActionContent:
    """Send the draft or returned action (or revision) to the secretariat for review."""
    with transaction.atomic():
        target = working_copy(action)
        if target.state not in (ActionState.DRAFT, ActionState.RETURNED):
            raise WorkflowError(f"Only a draft or a returned action can be submitted; this one is {_state(target)}.")
        _claim(action, version)
        target.state = ActionState.SUBMITTED
        target.submitted_at, target.submitted_by = timezone.now(), user
        target._change_reason = "Submitted for review"
        target.save()
    return target


def approve(
    *, action: FollowUpAction, user: AbstractBaseUser, validated_status: str = "", comment: str = ""
) -> FollowUpAction:
    """Publish the submitted action, or replace its published content with the submitted revision.

    `validated_status` is the secretariat's status when it differs from the reported one.
    The focal points of the actor are told by email.
    """
    _require_secretariat(user)
    if validated_status and validated_status not in Status.values:
        raise WorkflowError(f"{validated_status!r} is not a status.")
    with transaction.atomic():
        action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        target = working_copy(action)
        if target.state != ActionState.SUBMITTED:
            raise WorkflowError(f"Only a submitted action can be approved; this one is {_state(target)}.")
        pairs = status_pairs(action)
        now = timezone.now()
        if isinstance(target, ActionRevision):
            _apply_revision(action, target)
            target.state, target.reviewed_at, target.reviewed_by = ActionState.PUBLISHED, now, user
            target.review_comment = comment
            target.validated_status = "" if validated_status == target.status else validated_status
            target._change_reason = comment or "Approved"
            target.save()
        action.publish()
        action.validated_status = "" if validated_status == action.status else validated_status
        action.reviewed_at, action.reviewed_by, action.review_comment = now, user, comment
        action.submitted_at, action.submitted_by = target.submitted_at, target.submitted_by
        action.version += 1
        action.updated_by = user
        action._change_reason = comment or "Published"
        action.save()
        refresh_implementation_statuses(pairs | status_pairs(action))
    _notify(action, f"Published: {action.title}", "The secretariat published this action.", comment)
    return action


def return_for_revision(*, action: FollowUpAction, user: AbstractBaseUser, comment: str) -> ActionContent:
    """Send the submitted action or revision back to its focal points with what to change."""
    _require_secretariat(user)
    if not comment.strip():
        raise WorkflowError("Say what needs to change: a returned action needs a comment.")
    with transaction.atomic():
        action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        target = working_copy(action)
        if target.state != ActionState.SUBMITTED:
            raise WorkflowError(f"Only a submitted action can be returned; this one is {_state(target)}.")
        target.state = ActionState.RETURNED
        target.reviewed_at, target.reviewed_by, target.review_comment = timezone.now(), user, comment.strip()
        target._change_reason = comment.strip()
        target.save()
        FollowUpAction.objects.filter(pk=action.pk).update(version=F("version") + 1)
    _notify(action, f"Returned for revision: {action.title}", "The secretariat returned this action.", comment)
    return target


def approve_many(*, actions: Iterable[FollowUpAction], user: AbstractBaseUser) -> tuple[int, list[str]]:
    """Approve each submitted action as reported; returns how many and why the others were not."""
    approved, problems = 0, []
    for action in actions:
        try:
            approve(action=action, user=user)
        except WorkflowError as error:
            problems.append(f"{action}: {error}")
        else:
            approved += 1
    return approved, problems


def _require_secretariat(user: AbstractBaseUser) -> None:
    if not is_secretariat(user):
        raise PermissionDenied("Only the secretariat reviews and publishes actions.")


def _state(target: ActionContent) -> str:
    return ActionState(target.state).label.lower()


def _claim(action: FollowUpAction, version: int, data: ActionInput | None = None) -> None:
    """Take the action's next version, or refuse when someone else took it first."""
    claimed = FollowUpAction.objects.filter(pk=action.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        current = FollowUpAction.objects.get(pk=action.pk)
        raise EditConflict(current, _differences(working_copy(current), data))
    action.version = version + 1


def _differences(stored: ActionContent, data: ActionInput | None) -> list[tuple[str, str, str]]:
    """(field label, stored value, value in the form) for each field where they differ."""
    if data is None:
        return []
    rows = []
    for name in CONTENT_FIELDS:
        theirs, yours = getattr(stored, name), data.content.get(name)
        if (theirs or "") != (yours or ""):
            label = stored._meta.get_field(name).verbose_name
            rows.append((label.capitalize(), _display(stored, name), _display_value(name, yours)))
    return rows


def _display(stored: ActionContent, name: str) -> str:
    return _display_value(name, getattr(stored, name))


def _display_value(name: str, value) -> str:
    if name == "status" and value:
        return Status(value).label
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value or "—")


def _apply_revision(action: FollowUpAction, revision: ActionRevision) -> None:
    for name in CONTENT_FIELDS:
        setattr(action, name, getattr(revision, name))
    action.recommendations.set(revision.recommendations.all())
    action.partners.set(revision.partners.all())
    _replace_links(action, [(link["url"], link.get("label", "")) for link in revision.evidence_links])


def _replace_links(action: FollowUpAction, links: Sequence[tuple[str, str]]) -> None:
    action.evidence_links.all().delete()
    EvidenceLink.objects.bulk_create(EvidenceLink(action=action, url=url, label=label) for url, label in links)


def _add_files(
    action: FollowUpAction,
    revision: ActionRevision | None,
    files: Sequence[tuple[UploadedFile, bool]],
    user: AbstractBaseUser,
) -> None:
    for upload, restricted in files:
        EvidenceFile.objects.create(
            action=action,
            revision=revision,
            file=File(upload, name=stored_name(upload.name)),
            name=upload.name,
            content_type=sniff_content_type(upload),
            size=upload.size,
            is_restricted=restricted,
            uploaded_by=user,
        )


def focal_point_addresses(actor: Actor) -> list[str]:
    return list(
        FocalPoint.objects.current()
        .filter(actor=actor, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _notify(action: FollowUpAction, subject: str, opening: str, comment: str) -> None:
    recipients = focal_point_addresses(action.actor)
    if not recipients:
        return
    lines = [opening, "", f"Action: {action.title}", f"Actor: {action.actor}"]
    if comment:
        lines += ["", "Comment from the secretariat:", comment.strip()]
    lines += ["", f"Your workspace: {settings.SITE_URL}{reverse('recommendations:workspace-action', args=[action.pk])}"]
    try:
        send_mail(f"[APC Tracker] {subject}", "\n".join(lines), None, recipients)
    except OSError:
        # The review has happened all the same; the focal points see it in their workspace.
        logger.exception("Could not send the notice %r to %s", subject, ", ".join(recipients))


@dataclass
class RoundResponse:
    """Where one actor stands in a reporting round."""

    actor: Actor
    submitted: int
    drafts: int
    with_status: int
    not_started: int

    @property
    def answer(self) -> str:
        if self.submitted:
            return "reported"
        return "drafts" if self.drafts else "nothing"


def round_actors(round_: ReportingRound) -> QuerySet[Actor]:
    """The actors asked to report: those the meeting's recommendations address, its participants,
    and any actor with a focal point."""
    addressed = Q(addressed_paragraphs__meeting=round_.meeting, addressed_paragraphs__is_tracked=True)
    took_part = Q(participations__meeting=round_.meeting)
    appointed = Q(pk__in=FocalPoint.objects.current().values("actor"))
    return Actor.objects.filter(addressed | took_part | appointed).distinct().order_by("short_name")


def responses(round_: ReportingRound) -> list[RoundResponse]:
    """Each asked actor's response to the round, in a fixed number of queries.

    An actor has reported when it submitted an action, or an edit of one, on or after the
    day the round opened; it has drafts when something of its is still draft or returned.
    Statuses count the meeting's recommendations: those without any are "no information
    provided", which the page keeps apart from "not started".
    """
    actors = list(round_actors(round_))
    since = Q(submitted_at__date__gte=round_.opens_on)
    unsent = Q(state__in=[ActionState.DRAFT, ActionState.RETURNED])
    submitted = _count_by_actor(FollowUpAction.objects.filter(since), "actor")
    _add(submitted, _count_by_actor(ActionRevision.objects.filter(since), "action__actor"))
    drafts = _count_by_actor(FollowUpAction.objects.filter(unsent), "actor")
    _add(drafts, _count_by_actor(ActionRevision.objects.filter(unsent), "action__actor"))
    statuses = ImplementationStatus.objects.filter(paragraph__meeting=round_.meeting, paragraph__is_tracked=True)
    with_status = _count_by_actor(statuses, "actor")
    not_started = _count_by_actor(statuses.filter(status=Status.NOT_STARTED), "actor")
    return [
        RoundResponse(
            actor=actor,
            submitted=submitted.get(actor.pk, 0),
            drafts=drafts.get(actor.pk, 0),
            with_status=with_status.get(actor.pk, 0),
            not_started=not_started.get(actor.pk, 0),
        )
        for actor in actors
    ]


def _count_by_actor(queryset: QuerySet, actor_field: str) -> dict[int, int]:
    return dict(queryset.order_by().values_list(actor_field).annotate(n=Count("pk")).values_list(actor_field, "n"))


def _add(totals: dict[int, int], more: dict[int, int]) -> None:
    for key, value in more.items():
        totals[key] = totals.get(key, 0) + value


def last_submission(actor: Actor) -> datetime.date | None:
    """The day the actor last submitted an action or an edit, in two queries."""
    dates = [
        FollowUpAction.objects.filter(actor=actor).aggregate(last=Max("submitted_at"))["last"],
        ActionRevision.objects.filter(action__actor=actor).aggregate(last=Max("submitted_at"))["last"],
    ]
    latest = max((date for date in dates if date), default=None)
    return timezone.localdate(latest) if latest else None


REMIND_BEFORE = datetime.timedelta(days=7)
REMIND_OVERDUE_EVERY = datetime.timedelta(days=7)


@dataclass
class ReminderEmail:
    round: ReportingRound
    actor: Actor
    address: str
    kind: str


@dataclass
class ReminderRun:
    """The reminders one run sent, and those the mail server refused or could not be reached for."""

    sent: list[ReminderEmail] = field(default_factory=list)
    failed: list[ReminderEmail] = field(default_factory=list)


def send_reminders(*, today: datetime.date | None = None) -> ReminderRun:
    """Email the focal points of actors that have not reported in an open round.

    A week before the due date they get one "due soon" reminder; after it, an "overdue"
    reminder once a week. Each is recorded, so running this daily never sends one twice.
    A reminder that could not be sent is logged and not recorded, so the next run tries it
    again; the others are sent all the same.
    """
    today = today or timezone.localdate()
    run = ReminderRun()
    for round_ in ReportingRound.objects.open().filter(due_date__lte=today + REMIND_BEFORE).select_related("meeting"):
        kind = Reminder.Kind.DUE_SOON if today <= round_.due_date else Reminder.Kind.OVERDUE
        silent = [response.actor for response in responses(round_) if response.answer != "reported"]
        earlier = Reminder.objects.filter(round=round_, kind=kind)
        if kind == Reminder.Kind.OVERDUE:
            earlier = earlier.filter(sent_on__gt=today - REMIND_OVERDUE_EVERY)
        reminded = set(earlier.values_list("user_id", flat=True))
        appointments = (
            FocalPoint.objects.current()
            .filter(actor__in=silent, user__is_active=True)
            .exclude(user__email="")
            .select_related("user", "actor")
        )
        for appointment in appointments:
            if appointment.user_id in reminded:
                continue
            reminder = ReminderEmail(round_, appointment.actor, appointment.user.email, kind)
            try:
                with transaction.atomic():
                    _, created = Reminder.objects.get_or_create(
                        round=round_,
                        user=appointment.user,
                        sent_on=today,
                        defaults={"actor": appointment.actor, "kind": kind},
                    )
                    if created:
                        _send_reminder(round_, appointment, kind, today)
            except OSError as error:  # smtplib's errors are OSErrors too
                logger.error(
                    "Could not send the %s reminder of %r to %s, focal point of %s: %s",
                    Reminder.Kind(kind).label.lower(),
                    round_.title,
                    appointment.user.username,
                    appointment.actor.code,
                    error,
                )
                run.failed.append(reminder)
                continue
            if created:
                run.sent.append(reminder)
    return run


def _send_reminder(round_: ReportingRound, appointment: FocalPoint, kind: str, today: datetime.date) -> None:
    due = round_.due_date.strftime("%-d %B %Y")
    when = f"is due on {due}" if kind == Reminder.Kind.DUE_SOON else f"was due on {due}"
    body = "\n".join(
        [
            f"The reporting round “{round_.title}” on {round_.meeting} {when}.",
            f"{appointment.actor} has not submitted anything in it yet.",
            "",
            f"Log or update your actions in your workspace: {settings.SITE_URL}{reverse('recommendations:workspace')}",
        ]
    )
    send_mail(f"[APC Tracker] Reminder: {round_.title}", body, None, [appointment.user.email])
