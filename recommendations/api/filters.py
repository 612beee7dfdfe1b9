"""The public list's filters, as the API takes them: the same FilterSet as the list and the exports."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from ..models import Actor, Meeting, Paragraph, Status
from ..public.filters import SEARCH_MAX_LENGTH, ParagraphFilter


def filtered(request: Request) -> ParagraphFilter:
    """The filters over the paragraphs, with their choices in two queries, as the exports read them.

    The list's `sort` is taken and checked too, but a page's order is its cursor's.
    """
    return ParagraphFilter(
        request.query_params,
        queryset=Paragraph.objects.select_related("meeting", "theme"),
        meetings=Meeting.objects.with_themes(),
        actors=list(Actor.objects.order_by("kind", "short_name")),
    )


def _code(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, description=description, pattern=r"^[A-Za-z0-9-]+$")


PARAMETERS = [
    OpenApiParameter(
        "meeting", OpenApiTypes.STR, description="A meeting's code, e.g. bangkok-2006.", pattern=r"^[-\w]+$"
    ),
    OpenApiParameter("theme", OpenApiTypes.INT, description="A theme's id (see /api/v1/themes/)."),
    _code("addressee", "An actor's or group's code: paragraphs addressed to it, by name or through a group."),
    _code("actor", "A reporting actor's code: where it has a status, and its own and joint actions."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values, description="Where some actor has this status."),
    OpenApiParameter("tracked", OpenApiTypes.STR, enum=["yes", "no"], description="Recommendations, or context."),
    OpenApiParameter(
        "q",
        description="Words in the paragraph or its published actions, as the list's search.",
        type={"type": "string", "maxLength": SEARCH_MAX_LENGTH},
    ),
]
