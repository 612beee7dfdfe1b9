"""What every public page's header shows: the countdown to the event a meeting prepares for, and the demo notice.

The header changes only with the data, so it is cached by the data version: a page reads
that version (once, whatever else it caches by it) rather than the meetings and the actions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from ..models import Actor, FollowUpAction, Meeting
from ..progress.freshness import figures_generation

# Entries are keyed by the data version, so they never go stale; they expire to free the space.
HEADER_SECONDS = 24 * 60 * 60


def site(request: HttpRequest) -> dict:
    """The header's countdown and demo notice; read only by pages that show them."""
    return {"site": SimpleLazyObject(lambda: site_header(request))}


@dataclass(frozen=True)
class HeaderMeeting:
    """What the header shows of the first meeting: its document's address and the event it prepares for."""

    code: str
    prepares_for: str
    prepares_for_start: datetime.date | None
    prepares_for_end: datetime.date | None


@dataclass
class SiteHeader:
    meeting: HeaderMeeting | None
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


def site_header(request: HttpRequest | None = None) -> SiteHeader:
    """The header, from the cache while the data version stays the same."""
    key = f"site-header:{figures_generation(request)}"
    shown = cache.get(key)
    if shown is None:
        shown = _read_header()
        cache.set(key, shown, HEADER_SECONDS)
    meeting, has_demo_data = shown
    return SiteHeader(
        meeting=HeaderMeeting(**meeting) if meeting else None, has_demo_data=has_demo_data, today=timezone.localdate()
    )


def _read_header() -> tuple[dict | None, bool]:
    """The first meeting and whether any demo record exists, in one query, as plain values to cache."""
    meeting = (
        Meeting.objects.order_by("start_date", "code")
        .annotate(
            demo_actors=Exists(Actor.objects.filter(is_demo=True)),
            demo_actions=Exists(FollowUpAction.objects.filter(is_demo=True)),
        )
        .values("code", "prepares_for", "prepares_for_start", "prepares_for_end", "demo_actors", "demo_actions")
        .first()
    )
    if meeting is None:
        return None, False
    demo_actors, demo_actions = meeting.pop("demo_actors"), meeting.pop("demo_actions")
    return meeting, demo_actors or demo_actions
