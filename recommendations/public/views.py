"""The public site: published data only, a fixed number of queries per page."""

from __future__ import annotations

import datetime
import functools
import hashlib
import itertools
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Max, Min, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from ..models import (
    Actor,
    DataPart,
    FollowUpAction,
    ImplementationStatus,
    Meeting,
    Paragraph,
    Status,
    Theme,
)
from ..progress import changes, figures, history
from ..progress.freshness import figures_generation, parts_of
from ..progress.history import TODAY, WORKSHOP, BadReading, Reading, parse_reading, quick_choices, status_details_on
from . import charts, exports, maps, paging, paper
from .filters import MatrixFilter, ParagraphFilter
from .page_cache import shows_only
from .paper.brief import brief
from .paper.report import report

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


def _action_page(request: HttpRequest, actions: QuerySet, joined: QuerySet | None = None) -> dict:
    """One page of the `actions` and of an actor's `joined` ones, newest status first, without counting them.

    Each is read up to one past the end of the page, the actions in their index's order, the
    joint ones (a few among many) whole then sorted, and the results merged. One query each,
    then three for the page's partners, recommendations and evidence links.
    """
    number = paging.requested_page(request)
    if number > MAX_ACTION_PAGES:
        raise Http404(f"Pages of actions stop at {MAX_ACTION_PAGES}; the actions export holds them all.")
    end = number * ACTIONS_PAGE_SIZE + 1
    read = actions.newest(*NEWEST_STATUS_FIRST, count=end, joined=joined)
    page = paging.page_of(read, ACTIONS_PAGE_SIZE, number, missing="There are no actions on this page.")
    prefetch_related_objects(page.object_list, "partners", _answered(), "evidence_links")
    return {"actions": page}


# Entries are keyed by the versions of the milestones they are drawn from and by the day (the
# last month ends today), so they never go stale; they expire to free the space.
CHART_SECONDS = 24 * 60 * 60


def _progress_chart(
    request: HttpRequest, reading: Reading, *, name: str, about: str, drawn_from: str, **scope
) -> SafeString:
    """The chart of statuses by month over `scope` (see `history.monthly_statuses`), in the reading, its date marked;
    from the cache while the milestones it is drawn from (`drawn_from`, a DataPart) and the day stay the same."""
    drawn = repr((name, about, sorted(scope.items()), reading.cache_key, timezone.now().date()))
    key = f"chart:{_milestones_generation(request, drawn_from)}:{hashlib.sha256(drawn.encode()).hexdigest()}"
    chart = cache.get(key)
    if chart is None:
        series = _monthly_series(request, reading, drawn_from, **scope)
        chart = charts.status_chart(series, name=name, about=about, markers=charts.reading_markers(reading))
        cache.set(key, chart, CHART_SECONDS)
    return chart


def _monthly_series(request: HttpRequest, reading: Reading, drawn_from: str, **scope) -> list:
    """The counts at each month end over `scope` in the reading, from the cache while the milestones they are
    counted from and the day stay the same. Every date of a reading has the same series (only its marker
    differs), so a page on another date draws its chart without counting again."""
    counted = repr((sorted(scope.items()), reading.date_field, timezone.now().date()))
    key = f"chart-series:{_milestones_generation(request, drawn_from)}:{hashlib.sha256(counted.encode()).hexdigest()}"
    series = cache.get(key)
    if series is None:
        series = [(month.end, month.counts) for month in history.monthly_statuses(reading, **scope)]
        cache.set(key, series, CHART_SECONDS)
    return series


def _milestones_generation(request: HttpRequest, part: str) -> str:
    """The generation of these milestones (a DataPart) and of the whole together: a publication that
    leaves them as they were leaves the charts drawn from them in the cache."""
    return "-".join(parts_of(request, [part, DataPart.WHOLE]).values())


# Parameters of the address that the date picker leaves to the page's own links and forms.
_READING_PARAMS = ("as_of", "record", "page")


def reads_a_date(view):
    """The view takes `?as_of=YYYY-MM-DD&record=1` as its `reading`; a date that cannot be read is a 400 saying why."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            reading = parse_reading(request.GET)
        except BadReading as error:
            if "fmt" in kwargs:
                return exports.bad_request(kwargs["fmt"], str(error))
            return render(request, "400.html", {"reason": str(error)}, status=400)
        return view(request, *args, reading=reading, **kwargs)

    return wrapped


def date_picker(request: HttpRequest, reading: Reading) -> dict:
    """What the date picker shows: the reading, the page's other parameters to keep, and the quick choices;
    with `reading_query`, the reading as a query string for the page's links to exports."""
    kept = [(name, value) for name, value in request.GET.items() if name not in _READING_PARAMS]
    record = [("record", "1")] if reading.record else []

    def address(day: datetime.date | None) -> str:
        params = kept + ([("as_of", day.isoformat()), *record] if day else [])
        return "?" + urlencode(params)

    return {
        "reading": reading,
        "reading_query": urlencode(reading.params),
        "picker": {
            "kept": kept,
            "first": WORKSHOP.isoformat(),
            "last": timezone.now().date().isoformat(),
            "choices": [(label, day, address(day)) for label, day in quick_choices()],
            "today": address(None),
        },
    }


def _render(request: HttpRequest, template: str, context: dict, reading: Reading) -> HttpResponse:
    return render(request, template, {**context, **date_picker(request, reading)})


@require_safe
@reads_a_date
def home(request: HttpRequest, reading: Reading) -> HttpResponse:
    if not reading.is_today:
        # On a past date: the milestones, and the latest actions published by then.
        shows_only(request, DataPart.MILESTONES, *DataPart.published_by(reading.as_of))
    # The page body is cached until the figures change (see freshness), for each reading; these
    # are only computed when it has to be rendered again.
    dashboard = SimpleLazyObject(lambda: figures.dashboard(reading))
    latest = SimpleLazyObject(lambda: list(_latest(reading).prefetch_related(_answered())[:8]))
    chart = SimpleLazyObject(
        lambda: _progress_chart(
            request,
            reading,
            name="chart-all",
            about="all actors",
            drawn_from=DataPart.MILESTONES,
            actor_kinds=figures.REPORTING_KINDS,
        )
    )
    context = {
        "figures": dashboard,
        "figures_map": SimpleLazyObject(lambda: maps.progress_map(dashboard.by_actor, reading)),
        "report_meetings": SimpleLazyObject(
            lambda: list({paragraph.meeting_id: paragraph.meeting for paragraph in dashboard.recommendations}.values())
        ),
        "latest": latest,
        "statuses": list(Status),
        "generation": figures_generation(request),
        "chart": chart,
    }
    return _render(request, "public/home.html", context, reading)


def _latest(reading: Reading) -> QuerySet:
    """The latest published actions, on a past date those published by the end of that day (UTC)."""
    actions = _published_actions().order_by("-published_at", "-pk")
    if reading.is_today:
        return actions
    end = datetime.datetime.combine(reading.as_of + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC)
    return actions.filter(published_at__lt=end)


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
@reads_a_date
def recommendation_list(request: HttpRequest, reading: Reading) -> HttpResponse:
    filterset = _filtered_paragraphs(request, reading=reading)
    page = paging.page_of(
        filterset.qs,
        LIST_PAGE_SIZE,
        paging.requested_page(request),
        missing="There is no such page of recommendations.",
    )
    if not request.GET.get("q", "").strip():
        # Without a search, which reads the actions' words, the list shows the statuses alone.
        shows_only(request, _statuses_part(reading))
    tallies = figures.regional_tallies([paragraph.pk for paragraph in page], list(filterset.actors.values()), reading)
    matches = filterset.matching_actions(page.object_list)
    rows = [(paragraph, tallies[paragraph.pk], matches.get(paragraph.pk)) for paragraph in page]
    context = {"filterset": filterset, "page": page, "rows": rows}
    return _render(request, "public/recommendation_list.html", context, reading)


@require_safe
@reads_a_date
def paragraph_detail(request: HttpRequest, code: str, number: int, reading: Reading) -> HttpResponse:
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("meeting", "theme"), meeting__code=code, number=number
    )
    neighbours = Paragraph.objects.filter(meeting=paragraph.meeting_id).aggregate(
        previous=Max("number", filter=Q(number__lt=number)), next=Min("number", filter=Q(number__gt=number))
    )
    shows_only(
        request,
        DataPart.of_paragraph(paragraph.pk),
        DataPart.statuses_of_paragraph(paragraph.pk),
        DataPart.milestones_of_paragraph(paragraph.pk),
    )
    statuses = _statuses_of(paragraph, reading)
    actors = list(figures.reporting_actors())
    cells = figures.cells([paragraph.pk], actors, reading)
    context = {
        "paragraph": paragraph,
        "neighbours": neighbours,
        "addressees": list(paragraph.addressees.order_by("kind", "short_name")),
        "statuses": statuses,
        "tally": figures.tally(cells.values()),
        "silent_addressees": [actor for actor in actors if cells.get((actor.pk, paragraph.pk)) == ""],
        "map": maps.status_map(paragraph.number, actors, cells, paragraph.pk, reading),
        "chart": _progress_chart(
            request,
            reading,
            name="chart-paragraph",
            about=f"the actors on paragraph {paragraph.number}",
            drawn_from=DataPart.milestones_of_paragraph(paragraph.pk),
            paragraph_ids=[paragraph.pk],
            actor_kinds=figures.REPORTING_KINDS,
        )
        if paragraph.is_tracked
        else None,
        **_action_page(request, _published_actions().filter(recommendations=paragraph)),
    }
    return _render(request, "public/paragraph.html", context, reading)


def _statuses_of(paragraph: Paragraph, reading: Reading) -> list:
    """Each actor's status on the paragraph, with its actor, by kind and name: today's rows, or on a past date."""
    if reading.is_today:
        rows = ImplementationStatus.objects.filter(paragraph=paragraph).select_related("actor")
        return list(rows.order_by("actor__kind", "actor__short_name"))
    found = status_details_on(reading, paragraph_ids=[paragraph.pk])
    actors = Actor.objects.in_bulk({actor_id for actor_id, _ in found})
    for (actor_id, _), row in found.items():
        row.actor = actors[actor_id]
    return sorted(found.values(), key=lambda row: (row.actor.kind, row.actor.short_name))


@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published action as the public sees it, with the history of what was published."""
    action = get_object_or_404(_published_actions().prefetch_related("partners", _answered(), "evidence_links"), pk=pk)
    # A page of its own, for the snippet that shows pages of actions.
    return render(request, "public/action.html", {"action": action, "actions": Paginator([action], 1).page(1)})


@require_safe
@reads_a_date
def actor_detail(request: HttpRequest, code: str, reading: Reading) -> HttpResponse:
    actor = get_object_or_404(Actor, code=code.upper())
    if actor.is_group:
        return _group_detail(request, actor)
    shows_only(request, *_actor_parts(actor))
    recommendations = list(
        Paragraph.objects.tracked()
        .with_addressed(actor)
        .select_related("meeting", "theme")
        .order_by("meeting", "number")
    )
    if reading.is_today:
        own = {row.paragraph_id: row for row in ImplementationStatus.objects.filter(actor=actor)}
    else:
        own = {paragraph_id: row for (_, paragraph_id), row in status_details_on(reading, actor_ids=[actor.pk]).items()}
    found = figures.actor_figures(actor, recommendations, reading)
    context = {
        "actor": actor,
        "rows": [(paragraph, own.get(paragraph.pk)) for paragraph in recommendations],
        "tally": found.own,
        "region": found.kind,
        "chart": _progress_chart(
            request,
            reading,
            name="chart-actor",
            about=f"{actor.short_name} on the recommendations",
            drawn_from=DataPart.milestones_of_kind(actor.kind),
            actor_ids=[actor.pk],
        ),
        **_action_page(
            request,
            _published_actions().filter(actor=actor),
            joined=_published_actions().joined_by(actor),
        ),
    }
    return _render(request, "public/actor.html", context, reading)


def _statuses_part(reading: Reading) -> str:
    """Every actor's statuses on every recommendation: today's, or their milestones for a past date."""
    return DataPart.STATUSES if reading.is_today else DataPart.MILESTONES


def _actor_parts(actor: Actor) -> tuple[str, ...]:
    """What an actor's page and brief show that changes: its actions, and its kind's statuses (its own and
    its peers' for comparison) today and on past dates."""
    return DataPart.of_actor(actor.pk), DataPart.statuses_of_kind(actor.kind), DataPart.milestones_of_kind(actor.kind)


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
@reads_a_date
def document(request: HttpRequest, code: str, reading: Reading) -> HttpResponse:
    meeting = get_object_or_404(Meeting, code=code)
    shows_only(request, _statuses_part(reading))
    paragraphs = list(meeting.paragraphs.select_related("theme").order_by("number"))
    tallies = figures.regional_tallies(
        [paragraph.pk for paragraph in paragraphs if paragraph.is_tracked], reading=reading
    )
    rows, theme = [], None
    for paragraph in paragraphs:
        heading = paragraph.theme if paragraph.theme_id and paragraph.theme != theme else None
        theme = paragraph.theme or theme
        rows.append((heading, paragraph, tallies.get(paragraph.pk)))
    return _render(request, "public/document.html", {"meeting": meeting, "rows": rows}, reading)


def _filtered_paragraphs(
    request: HttpRequest, filters: type[ParagraphFilter] = ParagraphFilter, reading: Reading = TODAY
) -> ParagraphFilter:
    """The list's filters over the paragraphs, with their choices in two queries, the statuses on the reading's date."""
    return filters(
        request.GET,
        queryset=figures.with_progress(Paragraph.objects.select_related("meeting", "theme"), reading),
        meetings=Meeting.objects.with_themes(),
        actors=list(Actor.objects.order_by("kind", "short_name")),
        reading=reading,
    )


@require_safe
@reads_a_date
def export(request: HttpRequest, dataset: str, fmt: str, reading: Reading) -> HttpResponse:
    if dataset not in exports.DATASETS or fmt not in exports.FORMATS:
        raise Http404("No such export.")
    # Only the statuses change with the date; the other datasets are today's.
    filterset = _filtered_paragraphs(request, reading=reading if dataset == "statuses" else TODAY)
    if not filterset.is_valid():
        return exports.bad_request(fmt, " ".join(filterset.messages))
    return exports.conditional(request, lambda version: exports.respond(dataset, fmt, filterset, request))


@require_safe
@reads_a_date
def matrix_export(request: HttpRequest, fmt: str, reading: Reading) -> HttpResponse:
    """The status matrix in wide form: an actor a row, a tracked recommendation a column."""
    if fmt not in exports.MATRIX_FORMATS:
        raise Http404("The wide matrix is exported as CSV or Excel; the statuses export has it as JSON.")
    filterset = _filtered_paragraphs(request, MatrixFilter, reading)
    if not filterset.is_valid():
        return exports.bad_request(fmt, " ".join(filterset.messages))
    return exports.conditional(request, lambda version: exports.respond_matrix(fmt, filterset, request))


@require_safe
@reads_a_date
def datapackage(request: HttpRequest, reading: Reading) -> HttpResponse:
    return exports.conditional(
        request,
        lambda version: JsonResponse(exports.datapackage(request, version, reading), json_dumps_params={"indent": 2}),
    )


@require_safe
@reads_a_date
def theme_detail(request: HttpRequest, code: str, position: int, reading: Reading) -> HttpResponse:
    """A theme of an outcome document: its recommendations with their regional status, and their progress over time."""
    theme = get_object_or_404(Theme.objects.select_related("meeting"), meeting__code=code, position=position)
    # The regional statuses, and their chart over time.
    shows_only(request, _statuses_part(reading), DataPart.MILESTONES)
    paragraphs = list(theme.paragraphs.select_related("meeting").order_by("number"))
    tracked = [paragraph.pk for paragraph in paragraphs if paragraph.is_tracked]
    tallies = figures.regional_tallies(tracked, reading=reading)
    context = {
        "theme": theme,
        "rows": [(paragraph, tallies.get(paragraph.pk)) for paragraph in paragraphs],
        "chart": _progress_chart(
            request,
            reading,
            name="chart-theme",
            about=f"the actors on the recommendations of theme {theme}",
            drawn_from=DataPart.MILESTONES,
            paragraph_ids=tracked,
            actor_kinds=figures.REPORTING_KINDS,
        ),
    }
    return _render(request, "public/theme.html", context, reading)


CHANGES_PAGE_SIZE = 50
# What the page shows without ?since=: the changes of the last thirty days.
CHANGES_DEFAULT_DAYS = 30


def _since(request: HttpRequest) -> datetime.date:
    """The ?since= date, from the workshop to today; 400 with the reason for any other value."""
    today = timezone.now().date()
    raw = request.GET.get("since", "").strip()
    if not raw:
        return max(history.WORKSHOP, today - datetime.timedelta(days=CHANGES_DEFAULT_DAYS))
    try:
        day = datetime.date.fromisoformat(raw) if len(raw) == len("2006-09-14") else None
    except ValueError:
        day = None
    if day is None:
        raise BadRequest(f"since={raw[:20]!r} is not a date: give it as YYYY-MM-DD, e.g. since=2026-01-01.")
    if not history.WORKSHOP <= day <= today:
        raise BadRequest(f"since={raw} is not between the workshop (26 April 2006) and today ({today.isoformat()}).")
    return day


def _status_changes_since(request: HttpRequest, since: datetime.date) -> list[changes.StatusChange]:
    """The changes on or after `since`, newest first (see `changes.status_changes`). Every change is
    worked out once while the data version stays the same and kept in the cache as plain values;
    the changes since any date are then the first of them."""
    key = f"status-changes:{figures_generation(request)}"
    found = cache.get(key)
    if found is None:
        found = [change.values for change in changes.status_changes()]
        cache.set(key, found, CHART_SECONDS)
    return list(itertools.takewhile(lambda change: change.day >= since, (changes.StatusChange(*v) for v in found)))


@require_safe
def what_changed(request: HttpRequest) -> HttpResponse:
    """Each status change on the public record since a date, newest first, a page at a time."""
    since = _since(request)
    page = paging.page_of(
        _status_changes_since(request, since),
        CHANGES_PAGE_SIZE,
        paging.requested_page(request),
        missing="There is no such page of changes.",
    )
    changes.load(page.object_list)
    today = timezone.now().date()
    choices = [
        (label, day)
        for label, day in [
            ("A week ago", today - datetime.timedelta(days=7)),
            ("A month ago", today - datetime.timedelta(days=30)),
            ("A year ago", today - datetime.timedelta(days=365)),
            ("The High-level Dialogue", history.DIALOGUE),
        ]
        if day >= history.WORKSHOP
    ]
    context = {"since": since, "today": today, "page": page, "choices": choices}
    return render(request, "public/changes.html", context)


def _pdf(request: HttpRequest, kind: str, code: str, reading: Reading, make) -> HttpResponse:
    """A PDF made by `make(base_url)`, cached by the data version and the reading, answering 304
    while the data is unchanged; its file name says what it is and the reading."""
    base_url = request.build_absolute_uri("/").rstrip("/")

    def respond(version) -> HttpResponse:
        content = paper.cached_pdf((kind, code, version.etag, reading.cache_key, base_url), lambda: make(base_url))
        response = HttpResponse(content, content_type="application/pdf")
        filename = "-".join(filter(None, [f"apc-tracker-{kind}", code, reading.slug])) + ".pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    return exports.conditional(request, respond)


@require_safe
@reads_a_date
def actor_brief(request: HttpRequest, code: str, reading: Reading) -> HttpResponse:
    """The actor's page as a country brief in PDF, on a date and in a reading (`as_of`, `record`)."""
    actor = get_object_or_404(Actor.objects.that_act(), code=code.upper())
    shows_only(request, *_actor_parts(actor))
    return _pdf(
        request, "brief", actor.code, reading, lambda base_url: brief(actor, base_url=base_url, reading=reading)
    )


@require_safe
@reads_a_date
def meeting_report(request: HttpRequest, code: str, reading: Reading) -> HttpResponse:
    """The report to the Dialogue on the meeting's recommendations in PDF, on a date and in a reading."""
    meeting = get_object_or_404(Meeting, code=code)
    return _pdf(
        request, "report", meeting.code, reading, lambda base_url: report(meeting, base_url=base_url, reading=reading)
    )
