"""What every public page's header shows: the countdown to the event a meeting prepares for, and the demo notice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from ..models import Actor, FollowUpAction, Meeting


def site(request: HttpRequest) -> dict:
    """The header's countdown and demo notice; queried only by pages that show them."""
    return {"site": SimpleLazyObject(site_header)}


@dataclass
class SiteHeader:
    meeting: Meeting | None
    has_demo_data: bool
    today: datetime.date

    @property
    def countdown(self) -> str:
        """Days left to the event the meeting prepares for, or when it was held."""
        meeting = self.meeting
        if meeting is None or meeting.prepares_for_start is None:
            return ""
        start, end = meeting.prepares_for_start, meeting.prepares_for_end or meeting.prepares_for_start
        if self.today < start:
            days = (start - self.today).days
            return f"{days} day{'s' if days != 1 else ''} to the {meeting.prepares_for}"
        if self.today <= end:
            return f"The {meeting.prepares_for} is under way"
        same_month = (start.year, start.month) == (end.year, end.month)
        span = f"{start.day}–{end:%-d %B %Y}" if same_month else f"{start:%-d %B %Y}–{end:%-d %B %Y}"
        return f"The {meeting.prepares_for} was held on {span}"


def site_header() -> SiteHeader:
    """The first meeting and whether any demo record exists, in one query."""
    meeting = (
        Meeting.objects.order_by("start_date", "code")
        .annotate(
            demo_actors=Exists(Actor.objects.filter(is_demo=True)),
            demo_actions=Exists(FollowUpAction.objects.filter(is_demo=True)),
        )
        .first()
    )
    return SiteHeader(
        meeting=meeting,
        has_demo_data=bool(meeting and (meeting.demo_actors or meeting.demo_actions)),
        today=timezone.localdate(),
    )
