"""The public read API: the exports' rows, a cursor page at a time, with the exports' filters.

Each list answers with the data version as ETag and Last-Modified, and 304 while a client holds
the current one; a bad filter is 400 with the reason, as the exports answer it. Every list runs
a fixed number of queries: the filters' choices, the data version, the page's keys, then the
page's rows as the export reads them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.fields import URLField
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from ..models import Actor, FollowUpAction, ImplementationStatus, Meeting, Paragraph, Theme
from ..public import exports
from ..public.filters import ParagraphFilter
from . import schema, serializers
from .filters import filtered


class BadFilter(ParseError):
    """400 with the filter's reason, as the exports answer it."""


class Cursor(CursorPagination):
    """Pages in the order of the identifiers, which stays put as data is added."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        """The cursor, refused (404) when its position is not a key the order could hold."""
        cursor = super().decode_cursor(request)
        if cursor and cursor.position is not None and not self.holds(cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def holds(self, position: str) -> bool:
        return position.isdigit() and len(position) <= 18


class _List(GenericAPIView):
    """A public list: anyone may read it, no credentials are read."""

    authentication_classes = []
    permission_classes = []
    pagination_class = Cursor
    filters = False

    def get(self, request: Request) -> Response:
        filterset = None
        if self.filters:
            filterset = filtered(request)
            if not filterset.is_valid():
                raise BadFilter(" ".join(filterset.messages))
        return exports.conditional(request, lambda version: self.page(request, filterset))

    def page(self, request: Request, filterset: ParagraphFilter | None) -> Response:
        raise NotImplementedError


class _Filtered(_List):
    """A list of the export's rows under the list's filters, paged by the rows' primary keys."""

    filters = True

    def page(self, request: Request, filterset: ParagraphFilter) -> Response:
        page = self.paginate_queryset(self.keys(filterset).values("pk"))
        rows = self.rows([row["pk"] for row in page], filterset, request)
        return self.get_paginated_response(_serialized(self, rows))

    def keys(self, filterset: ParagraphFilter) -> QuerySet:
        """The filtered rows, whose primary keys are paged."""
        raise NotImplementedError

    def rows(self, ids: list[int], filterset: ParagraphFilter, request: Request) -> Iterable[dict]:
        """The export's rows with these primary keys, in their order."""
        raise NotImplementedError


def _paragraph_ids(filterset: ParagraphFilter) -> list[int]:
    return list(filterset.qs.values_list("pk", flat=True))


@schema.read_list(
    serializers.RecommendationSerializer, filters=True, summary="Paragraphs (recommendations and context)"
)
class Recommendations(_Filtered):
    serializer_class = serializers.RecommendationSerializer

    def keys(self, filterset):
        return filterset.qs

    def rows(self, ids, filterset, request):
        paragraphs = Paragraph.objects.filter(pk__in=ids).select_related("meeting", "theme").order_by("pk")
        return exports.recommendation_rows(paragraphs, ids, filterset.actors.values(), request)


@schema.read_list(serializers.ActionSerializer, filters=True, summary="Published follow-up actions")
class Actions(_Filtered):
    serializer_class = serializers.ActionSerializer

    def keys(self, filterset):
        return exports.published_actions(filterset, _paragraph_ids(filterset))

    def rows(self, ids, filterset, request):
        return exports.action_rows(FollowUpAction.objects.filter(pk__in=ids).order_by("pk"), request)


@schema.read_list(serializers.StatusSerializer, filters=True, summary="Implementation statuses today")
class Statuses(_Filtered):
    serializer_class = serializers.StatusSerializer

    def keys(self, filterset):
        return exports.statuses_of(filterset, _paragraph_ids(filterset))

    def rows(self, ids, filterset, request):
        return exports.status_rows(ImplementationStatus.objects.filter(pk__in=ids).order_by("pk"), request)


class ByCode(Cursor):
    ordering = "code"

    def holds(self, position: str) -> bool:
        return len(position) <= 32


@schema.read_list(serializers.ActorSerializer, filters=False, summary="Actors")
class Actors(_List):
    serializer_class = serializers.ActorSerializer
    pagination_class = ByCode

    def page(self, request, filterset):
        page = self.paginate_queryset(Actor.objects.all())
        return self.get_paginated_response(_serialized(self, exports.actor_rows(page, request)))


@schema.read_list(serializers.MeetingSerializer, filters=False, summary="Meetings and their outcome documents")
class Meetings(_List):
    serializer_class = serializers.MeetingSerializer

    def page(self, request, filterset):
        page = self.paginate_queryset(Meeting.objects.defer("source_text"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@schema.read_list(serializers.ThemeSerializer, filters=False, summary="Themes (the documents' headings)")
class Themes(_List):
    serializer_class = serializers.ThemeSerializer

    def page(self, request, filterset):
        page = self.paginate_queryset(Theme.objects.select_related("meeting").defer("meeting__source_text"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


LISTS = ["recommendations", "actions", "statuses", "actors", "meetings", "themes"]


@extend_schema(
    summary="What the API holds: the address of each list, the schema and the documentation",
    responses={
        200: inline_serializer("Index", {name: URLField() for name in [*LISTS, "schema", "docs"]}),
        429: schema.TOO_MANY,
    },
    tags=["open data"],
)
class Index(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request: Request) -> Response:
        return Response({name: reverse(f"api:{name}", request=request) for name in [*LISTS, "schema", "docs"]})


def _serialized(view: _List, rows: Iterable[dict]) -> list:
    return view.get_serializer(list(rows), many=True).data
