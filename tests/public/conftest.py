"""Published follow-up for the public pages: actions made through the same write path as the app's."""

import datetime
import itertools

import pytest
from django.utils import timezone

from recommendations.models import Actor, DataPart, EvidenceLink, FollowUpAction, Paragraph, Status
from recommendations.progress.freshness import figures_changed
from recommendations.progress.statuses import refresh_implementation_statuses, status_pairs

_counter = itertools.count(1)


def make_action(
    actor: Actor,
    numbers: list[int],
    status: Status = Status.IN_PROGRESS,
    *,
    as_of: datetime.date = datetime.date(2007, 3, 1),
    partners: tuple[Actor, ...] = (),
    published: bool = True,
    title: str = "",
    description: str = "",
    evidence: str = "",
) -> FollowUpAction:
    """An action by `actor` on the workshop paragraphs `numbers`, published unless told otherwise."""
    action = FollowUpAction(
        actor=actor,
        title=title or f"Action {next(_counter)} of {actor.code}",
        description=description,
        status=status,
        status_as_of=as_of,
        status_source="Gazette notice",
        start_date=as_of,
    )
    if published:
        action.publish()
    action.save()
    action.recommendations.set(Paragraph.objects.filter(meeting__code="bangkok-2006", number__in=numbers))
    action.partners.set(partners)
    if evidence:
        EvidenceLink.objects.create(action=action, url=evidence, label="Evidence")
    refresh_implementation_statuses(status_pairs(action))
    return action


@pytest.fixture
def follow_up(workshop, thailand, australia):
    """A little published follow-up, and a draft the public must never see.

    Thailand: ¶12 completed (a bilateral MOU with Australia as partner), ¶7 planned.
    Australia: ¶12 completed through the MOU, ¶8 not started.
    Viet Nam: a draft on ¶9 only.
    """
    mou = make_action(
        thailand,
        [12],
        Status.COMPLETED,
        partners=(australia,),
        title="Memorandum of understanding on labour migration",
        description="Signed by both ministers of labour in Canberra.",
        evidence="https://example.org/mou",
        as_of=datetime.date(2006, 8, 1),
    )
    plan = make_action(thailand, [7], Status.PLANNED, title="National plan on migration data")
    survey = make_action(australia, [8], Status.NOT_STARTED, title="Survey of remittance costs")
    draft = make_action(
        Actor.objects.get(code="VNM"), [9], Status.IN_PROGRESS, title="Secret draft about smuggling", published=False
    )
    return {"mou": mou, "plan": plan, "survey": survey, "draft": draft}


def add_actions(count: int, actor: Actor, numbers: list[int], *, partner: Actor | None = None) -> None:
    """`count` more published actions, created in bulk as a large data set would be, each joined by `partner`."""
    now = timezone.now()
    actions = FollowUpAction.objects.bulk_create(
        FollowUpAction(
            actor=actor,
            title=f"Bulk action {n}",
            status=Status.IN_PROGRESS,
            status_as_of=datetime.date(2008, 1, 1),
            state=FollowUpAction.State.PUBLISHED,
            published_at=now,
        )
        for n in range(count)
    )
    paragraphs = list(Paragraph.objects.filter(meeting__code="bangkok-2006", number__in=numbers))
    FollowUpAction.recommendations.through.objects.bulk_create(
        FollowUpAction.recommendations.through(action=action, paragraph=paragraph)
        for action in actions
        for paragraph in paragraphs
    )
    if partner is not None:
        FollowUpAction.partners.through.objects.bulk_create(
            FollowUpAction.partners.through(action=action, actor=partner) for action in actions
        )
    refresh_implementation_statuses({(actor.pk, paragraph.pk) for paragraph in paragraphs})
    # Written in bulk, without the signals: the pages of the latest actions are told here.
    figures_changed({DataPart.published_in(now.year)})
