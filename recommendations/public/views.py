"""The public site: published data only, a fixed number of queries per page."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max, Min, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from ..models import ActionPartner, Actor, FollowUpAction, ImplementationStatus, Meeting, Paragraph, Status
from ..progress import figures
from ..progress.freshness import figures_generation
from . import exports, paging
from .filters import MatrixFilter, ParagraphFilter

LIST_PAGE_SIZE = 20
ACTIONS_PAGE_SIZE = 20
# Deeper pages would read ever more rows to skip; the exports hold every action.
MAX_ACTION_PAGES = 250


def _published_actions() -> QuerySet:
    return FollowUpAction.objects.published().select_related("actor")


def _answered() -> Prefetch:
    """The recommendations an action answers, with their meeting, in one query."""
    return Prefetch("recommendations", queryset=Paragraph.objects.select_related("meeting").order_by("number"))


NEWEST_STATUS_FIRST = ("-status_as_of", "-pk")


def _action_page(request: HttpRequest, *querysets: QuerySet) -> dict:
    """One page of the actions in `querysets`, newest status first, without counting them.

    Each queryset is read up to one past the end of the page in index order and the results
    merged, so that an actor's own and joint actions each use their index. One query per
    queryset, then three for the page's partners, recommendations and evidence links.
    """
    number = paging.requested_page(request)
    if number > MAX_ACTION_PAGES:
        raise Http404(f"Pages of actions stop at {MAX_ACTION_PAGES}; the actions export holds them all.")
    end = number * ACTIONS_PAGE_SIZE + 1
    found = {action.pk: action for queryset in querysets for action in queryset.order_by(*NEWEST_STATUS_FIRST)[:end]}
    read = sorted(found.values(), key=lambda action: (action.status_as_of, action.pk), reverse=True)[:end]
    page = paging.page_of(read, ACTIONS_PAGE_SIZE, number, missing="There are no actions on this page.")
    prefetch_related_objects(page.object_list, "partners", _answered(), "evidence_links")
    return {"actions": page}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # The page body is cached until the figures change (see freshness); these are only
    # computed when it has to be rendered again.
    dashboard = SimpleLazyObject(figures.dashboard)
    latest = SimpleLazyObject(
        lambda: list(_published_actions().prefetch_related(_answered()).order_by("-published_at", "-pk")[:8])
    )
    context = {"figures": dashboard, "latest": latest, "statuses": list(Status), "generation": figures_generation()}
    return render(request, "public/home.html", context)


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/about.html",
        {
            "statuses": [(status, figures.WEIGHTS[status]) for status in Status],
            "datasets": exports.DATASETS,
            "matrix_columns": exports.MATRIX_COLUMNS,
            "base_url": request.build_absolute_uri("/").rstrip("/"),
            "api_rate": _rate(settings.API_ANONYMOUS_RATE),
        },
    )


def _rate(rate: str) -> str:
    """The API's limit as set ("120/minute", "10/s") in words: "120 requests a minute"."""
    number, period = rate.split("/")
    return f"{number} requests a {dict(s='second', m='minute', h='hour', d='day')[period[0]]}"


@require_safe
def recommendation_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered_paragraphs(request)
    page = paging.page_of(
        filterset.qs,
        LIST_PAGE_SIZE,
        paging.requested_page(request),
        missing="There is no such page of recommendations.",
    )
    tallies = figures.regional_tallies([paragraph.pk for paragraph in page], list(filterset.actors.values()))
    matches = filterset.matching_actions(page.object_list)
    rows = [(paragraph, tallies[paragraph.pk], matches.get(paragraph.pk)) for paragraph in page]
    return render(request, "public/recommendation_list.html", {"filterset": filterset, "page": page, "rows": rows})


@require_safe
def paragraph_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("meeting", "theme"), meeting__code=code, number=number
    )
    neighbours = Paragraph.objects.filter(meeting=paragraph.meeting_id).aggregate(
        previous=Max("number", filter=Q(number__lt=number)), next=Min("number", filter=Q(number__gt=number))
    )
    statuses = list(
        ImplementationStatus.objects.filter(paragraph=paragraph)
        .select_related("actor")
        .order_by("actor__kind", "actor__short_name")
    )
    actors = list(figures.reporting_actors())
    cells = figures.cells([paragraph.pk], actors)
    context = {
        "paragraph": paragraph,
        "neighbours": neighbours,
        "addressees": list(paragraph.addressees.order_by("kind", "short_name")),
        "statuses": statuses,
        "tally": figures.tally(cells.values()),
        "silent_addressees": [actor for actor in actors if cells.get((actor.pk, paragraph.pk)) == ""],
        **_action_page(request, _published_actions().filter(recommendations=paragraph)),
    }
    return render(request, "public/paragraph.html", context)


@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published action as the public sees it, with the history of what was published."""
    action = get_object_or_404(_published_actions().prefetch_related("partners", _answered(), "evidence_links"), pk=pk)
    # A page of its own, for the snippet that shows pages of actions.
    return render(request, "public/action.html", {"action": action, "actions": Paginator([action], 1).page(1)})


@require_safe
def actor_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = get_object_or_404(Actor, code=code.upper())
    if actor.is_group:
        return _group_detail(request, actor)
    recommendations = list(
        Paragraph.objects.tracked()
        .with_addressed(actor)
        .select_related("meeting", "theme")
        .order_by("meeting", "number")
    )
    own = {row.paragraph_id: row for row in ImplementationStatus.objects.filter(actor=actor)}
    found = figures.actor_figures(actor, recommendations)
    context = {
        "actor": actor,
        "rows": [(paragraph, own.get(paragraph.pk)) for paragraph in recommendations],
        "tally": found.own,
        "region": found.kind,
        **_action_page(
            request,
            _published_actions().filter(actor=actor),
            _published_actions().filter(pk__in=ActionPartner.objects.filter(actor=actor).values("action_id")),
        ),
    }
    return render(request, "public/actor.html", context)


def _group_detail(request: HttpRequest, group: Actor) -> HttpResponse:
    """A stakeholder group: who belongs to it, and the recommendations addressed to it."""
    context = {
        "actor": group,
        "members": list(Actor.objects.members_of(group).order_by("kind", "short_name")),
        "recommendations": list(
            Paragraph.objects.addressed_to(group).select_related("meeting", "theme").order_by("meeting", "number")
        ),
    }
    return render(request, "public/group.html", context)


@require_safe
def document(request: HttpRequest, code: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, code=code)
    paragraphs = list(meeting.paragraphs.select_related("theme").order_by("number"))
    tallies = figures.regional_tallies([paragraph.pk for paragraph in paragraphs if paragraph.is_tracked])
    rows, theme = [], None
    for paragraph in paragraphs:
        heading = paragraph.theme if paragraph.theme_id and paragraph.theme != theme else None
        theme = paragraph.theme or theme
        rows.append((heading, paragraph, tallies.get(paragraph.pk)))
    return render(request, "public/document.html", {"meeting": meeting, "rows": rows})


def _filtered_paragraphs(request: HttpRequest, filters: type[ParagraphFilter] = ParagraphFilter) -> ParagraphFilter:
    """The list's filters over the paragraphs, with their choices in two queries."""
    return filters(
        request.GET,
        queryset=figures.with_progress(Paragraph.objects.select_related("meeting", "theme")),
        meetings=Meeting.objects.with_themes(),
        actors=list(Actor.objects.order_by("kind", "short_name")),
    )


@require_safe
def export(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in exports.DATASETS or fmt not in exports.FORMATS:
        raise Http404("No such export.")
    filterset = _filtered_paragraphs(request)
    if not filterset.is_valid():
        return exports.bad_request(fmt, " ".join(filterset.messages))
    return exports.conditional(request, lambda version: exports.respond(dataset, fmt, filterset, request))


@require_safe
def matrix_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The status matrix in wide form: an actor a row, a tracked recommendation a column."""
    if fmt not in exports.MATRIX_FORMATS:
        raise Http404("The wide matrix is exported as CSV or Excel; the statuses export has it as JSON.")
    filterset = _filtered_paragraphs(request, MatrixFilter)
    if not filterset.is_valid():
        return exports.bad_request(fmt, " ".join(filterset.messages))
    return exports.conditional(request, lambda version: exports.respond_matrix(fmt, filterset, request))


@require_safe
def datapackage(request: HttpRequest) -> HttpResponse:
    return exports.conditional(
        request, lambda version: JsonResponse(exports.datapackage(request, version), json_dumps_params={"indent": 2})
    )
