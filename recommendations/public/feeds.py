"""Atom feeds of what changed on the public record, for feed readers.

Newly published actions, and changes of status (see `progress.changes`), each for the whole
site, for one actor (with the actions it joins as a partner) and for one recommendation. Each
feed reads a fixed number of rows, the newest first, in a fixed number of queries. Django's
syndication framework writes the XML and escapes every value.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from ..models import Actor, DataPart, FollowUpAction, Paragraph, Status
from ..progress import changes
from ..progress.changes import StatusChange
from .page_cache import shows_only

FEED_LENGTH = 20


def _newest(actions: QuerySet, joined: QuerySet | None = None) -> list[FollowUpAction]:
    """The newest published of the `actions` and of an actor's `joined` ones, each read up to the
    feed's length: the actions in index order, the joint ones (a few among many) whole then sorted."""
    return actions.newest("-published_at", "-pk", count=FEED_LENGTH, joined=joined)


def _published() -> QuerySet:
    answered = Prefetch("recommendations", queryset=Paragraph.objects.select_related("meeting").order_by("number"))
    return FollowUpAction.objects.published().select_related("actor").prefetch_related(answered)


class PublishedActions(Feed):
    """Every newly published action: when it was first published, by whom, with its status."""

    feed_type = Atom1Feed
    title = "APC Tracker: newly published actions"
    subtitle = "Follow-up actions on the recommendations of the APC workshop (Bangkok, 2006), newest first."

    def link(self, obj=None) -> str:
        return reverse("recommendations:home")

    def items(self, obj=None) -> list[FollowUpAction]:
        return _newest(_published())

    def item_title(self, item: FollowUpAction) -> str:
        return f"{item.title} (demo data)" if item.is_demo else item.title

    def item_link(self, item: FollowUpAction) -> str:
        return reverse("recommendations:action", args=[item.pk])

    def item_description(self, item: FollowUpAction) -> str:
        answered = format_html_join(", ", "¶{}", ((paragraph.number,) for paragraph in item.recommendations.all()))
        summary = format_html(
            "<p>{actor}: {status} as of {as_of}, on {answered}.</p>",
            actor=item.actor.short_name,
            status=Status(item.public_status).label,
            as_of=f"{item.status_as_of.day} {item.status_as_of:%B %Y}",
            answered=answered,
        )
        return format_html("{}<p>{}</p>", summary, item.description) if item.description else summary

    def item_pubdate(self, item: FollowUpAction):
        return item.published_at

    def item_updateddate(self, item: FollowUpAction):
        return item.published_at

    def item_author_name(self, item: FollowUpAction) -> str:
        return item.actor.short_name

    def item_categories(self, item: FollowUpAction) -> list[str]:
        return [f"{paragraph.meeting.code}/{paragraph.number}" for paragraph in item.recommendations.all()]


class ActorActions(PublishedActions):
    """An actor's newly published actions, its own and those it joins as a partner."""

    def get_object(self, request: HttpRequest, code: str) -> Actor:
        actor = _actor(code)
        shows_only(request, DataPart.of_actor(actor.pk))
        return actor

    def title(self, obj: Actor) -> str:
        return f"APC Tracker: newly published actions of {obj.name}"

    def subtitle(self, obj: Actor) -> str:
        return f"Follow-up actions that {obj.name} reported or joins as a partner, newest first."

    def link(self, obj: Actor) -> str:
        return reverse("recommendations:actor", args=[obj.code])

    def items(self, obj: Actor) -> list[FollowUpAction]:
        return _newest(_published().filter(actor=obj), joined=_published().joined_by(obj))


class RecommendationActions(PublishedActions):
    """The newly published actions that answer one recommendation."""

    def get_object(self, request: HttpRequest, code: str, number: int) -> Paragraph:
        paragraph = _paragraph(code, number)
        shows_only(request, DataPart.of_paragraph(paragraph.pk))
        return paragraph

    def title(self, obj: Paragraph) -> str:
        return f"APC Tracker: newly published actions on paragraph {obj.number} of {obj.meeting.title}"

    def subtitle(self, obj: Paragraph) -> str:
        return f"Follow-up actions that answer paragraph {obj.number}, newest first."

    def link(self, obj: Paragraph) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Paragraph) -> list[FollowUpAction]:
        return _newest(_published().filter(recommendations=obj))


def _day(change: StatusChange) -> datetime.datetime:
    """The day a change reached the public record, as the start of that day, UTC."""
    return datetime.datetime.combine(change.day, datetime.time(), tzinfo=datetime.UTC)


class StatusChanges(Feed):
    """Every change of an actor's status on a recommendation, on the public record, newest first."""

    feed_type = Atom1Feed
    title = "APC Tracker: status changes"
    subtitle = "Changes of the actors' statuses on the recommendations of the APC workshop (Bangkok, 2006)."

    def link(self, obj=None) -> str:
        return reverse("recommendations:changes")

    def items(self, obj=None) -> list[StatusChange]:
        return changes.load(changes.latest_status_changes(FEED_LENGTH, **self.scope(obj)))

    def scope(self, obj) -> dict:
        return {}

    def item_title(self, item: StatusChange) -> str:
        demo = " (demo data)" if item.actor.is_demo else ""
        return f"{item.actor.short_name} on ¶{item.paragraph.number}: {item.before_label} → {item.after_label}{demo}"

    def item_link(self, item: StatusChange) -> str:
        return f"{item.paragraph.get_absolute_url()}#status-{item.actor.code}"

    def item_guid(self, item: StatusChange) -> str:
        return f"{self.item_link(item)}/{item.day.isoformat()}/{item.after}"

    item_guid_is_permalink = False

    def item_description(self, item: StatusChange) -> str:
        if item.is_explicit:
            through = "set by the secretariat"
        elif item.action is not None:
            through = format_html("through the action “{}”", item.action.title)
        else:
            through = "through an action no longer published"
        return format_html(
            "<p>{actor}'s status on paragraph {number} of {meeting} went from {before} to {after}, "
            "as of {as_of}, {through}.</p>",
            actor=item.actor.short_name,
            number=item.paragraph.number,
            meeting=item.paragraph.meeting.title,
            before=item.before_label,
            after=item.after_label,
            as_of=f"{item.as_of.day} {item.as_of:%B %Y}",
            through=through,
        )

    def item_pubdate(self, item: StatusChange) -> datetime.datetime:
        return _day(item)

    def item_updateddate(self, item: StatusChange) -> datetime.datetime:
        return _day(item)

    def item_author_name(self, item: StatusChange) -> str:
        return item.actor.short_name

    def item_categories(self, item: StatusChange) -> list[str]:
        return [f"{item.paragraph.meeting.code}/{item.paragraph.number}", item.after]


class ActorStatusChanges(StatusChanges):
    """An actor's changes of status, on every recommendation."""

    link = ActorActions.link

    def get_object(self, request: HttpRequest, code: str) -> Actor:
        actor = _actor(code)
        # The changes are the milestones' (see progress.changes); the actions they name are the actor's.
        shows_only(request, DataPart.of_actor(actor.pk), DataPart.milestones_of_kind(actor.kind))
        return actor

    def title(self, obj: Actor) -> str:
        return f"APC Tracker: status changes of {obj.name}"

    def subtitle(self, obj: Actor) -> str:
        return f"Changes of the status of {obj.name} on the recommendations, newest first."

    def scope(self, obj: Actor) -> dict:
        return {"actor": obj}


class RecommendationStatusChanges(StatusChanges):
    """The changes of every actor's status on one recommendation."""

    link = RecommendationActions.link

    def get_object(self, request: HttpRequest, code: str, number: int) -> Paragraph:
        paragraph = _paragraph(code, number)
        shows_only(request, DataPart.of_paragraph(paragraph.pk), DataPart.milestones_of_paragraph(paragraph.pk))
        return paragraph

    def title(self, obj: Paragraph) -> str:
        return f"APC Tracker: status changes on paragraph {obj.number} of {obj.meeting.title}"

    def subtitle(self, obj: Paragraph) -> str:
        return f"Changes of the actors' statuses on paragraph {obj.number}, newest first."

    def scope(self, obj: Paragraph) -> dict:
        return {"paragraph": obj}


def _actor(code: str) -> Actor:
    return get_object_or_404(Actor.objects.exclude(kind=Actor.Kind.STAKEHOLDER_GROUP), code=code.upper())


def _paragraph(code: str, number: int) -> Paragraph:
    return get_object_or_404(Paragraph.objects.select_related("meeting"), meeting__code=code, number=number)
