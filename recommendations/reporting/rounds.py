"""Reporting rounds: who has answered a call to report, and the reminders to those who have not."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from ..models import (
    ActionRevision,
    ActionState,
    Actor,
    FocalPoint,
    FollowUpAction,
    ImplementationStatus,
    Reminder,
    ReportingRound,
    Status,
)
from . import mail

logger = logging.getLogger(__name__)


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
        appointments = FocalPoint.objects.reachable().filter(actor__in=silent).select_related("user", "actor")
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
                        _send_reminder(round_, appointment, kind)
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


def _send_reminder(round_: ReportingRound, appointment: FocalPoint, kind: str) -> None:
    context = {"round": round_, "actor": appointment.actor, "overdue": kind == Reminder.Kind.OVERDUE}
    mail.send("reminder", context, [appointment.user.email])
