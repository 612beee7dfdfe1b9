"""Open data: recommendations, actions and the status matrix as CSV, JSON and Excel, and the
matrix in wide form (an actor a row, a recommendation a column) as CSV and Excel.

Every format has one row shape with stable identifiers (`bangkok-2006/12` for a paragraph, the
actor's code, `action-42` for an action). Rows are produced one at a time from a chunked
database cursor and written out as they come, so a large export starts at once and its memory
stays flat. The Excel files are written as XML escaped with the standard library; nothing
here parses XML.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode
from xml.sax.saxutils import escape  # nosec B406

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from stream_zip import ZIP_32, stream_zip

from ..models import (
    ActionPartner,
    ActionRecommendation,
    Actor,
    ActorKind,
    DataVersion,
    EvidenceLink,
    FollowUpAction,
    ImplementationStatus,
    Meeting,
    OpenDataLicence,
    Paragraph,
    Status,
)
from ..progress.freshness import data_version
from ..progress.history import TODAY, Reading, status_details_on, statuses_on
from .filters import ParagraphFilter, involving

PARAGRAPH_COLUMNS = [
    "id", "meeting", "paragraph", "theme_number", "theme", "text", "tracked", "addressees", "addressed_to", "url",
]  # fmt: skip

FORMATS = ["csv", "json", "xlsx"]

CHUNK_SIZE = 2000

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Dataset:
    """One export. `types` gives a column's Table Schema type and constraints when it is not a
    plain string; `primary_key` and `foreign_keys` say how the datasets join."""

    name: str
    title: str
    description: str
    columns: dict[str, str]
    rows: Callable[[ParagraphFilter, HttpRequest], Iterator[dict]]
    types: dict[str, dict] = field(default_factory=dict)
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)

    def schema(self) -> dict:
        """Its Table Schema: each column's type, the key, and what each foreign key points at."""
        return {
            "fields": [
                {"name": name, "description": text, "type": "string", **self.types.get(name, {})}
                for name, text in self.columns.items()
            ],
            "missingValues": [""],
            "primaryKey": self.primary_key,
            "foreignKeys": [
                {"fields": column, "reference": {"resource": resource, "fields": key}}
                for column, (resource, key) in self.foreign_keys.items()
            ],
        }


def paragraph_rows(
    paragraphs: Iterable[Paragraph], addressed: dict[int, list[str]], request: HttpRequest
) -> Iterator[dict]:
    """One row per paragraph; `addressed` holds the codes of the actors each addresses, groups resolved."""
    for paragraph in paragraphs:
        yield {
            "id": f"{paragraph.meeting.code}/{paragraph.number}",
            "meeting": paragraph.meeting.code,
            "paragraph": paragraph.number,
            "theme_number": paragraph.theme.label if paragraph.theme else "",
            "theme": paragraph.theme.heading if paragraph.theme else "",
            "text": paragraph.text,
            "tracked": paragraph.is_tracked,
            "addressees": [actor.code for actor in paragraph.addressees.all()],
            "addressed_to": addressed.get(paragraph.pk, []),
            "url": request.build_absolute_uri(paragraph.get_absolute_url()),
        }


def _recommendations(filterset: ParagraphFilter, request: HttpRequest) -> Iterator[dict]:
    return recommendation_rows(filterset.qs, _paragraph_ids(filterset), filterset.actors.values(), request)


def recommendation_rows(
    paragraphs: QuerySet, ids: list[int], actors: Iterable[Actor], request: HttpRequest
) -> Iterator[dict]:
    """The rows of `paragraphs` (whose keys are `ids`), each with the codes of the `actors` it addresses."""
    paragraphs = paragraphs.prefetch_related(Prefetch("addressees", queryset=Actor.objects.order_by("code")))
    actors = sorted((actor for actor in actors if not actor.is_group), key=lambda a: a.code)
    code_of = {actor.pk: actor.code for actor in actors}
    addressed: dict[int, list[str]] = defaultdict(list)
    for actor_id, paragraph_id in sorted(
        Paragraph.objects.addressed_pairs(ids, actors), key=lambda pair: code_of[pair[0]]
    ):
        addressed[paragraph_id].append(code_of[actor_id])
    return paragraph_rows(paragraphs, addressed, request)


def _paragraph_ids(filterset: ParagraphFilter) -> list[int]:
    return list(filterset.qs.values_list("pk", flat=True))


_ACTION_FIELDS = [
    "pk", "actor__code", "actor__name", "title", "description", "status", "status_as_of", "status_source",
    "start_date", "end_date", "responsible_agency", "published_at", "is_demo",
]  # fmt: skip


def _grouped(pairs: Iterable[tuple]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for action_id, value in pairs:
        grouped[action_id].append(value)
    return grouped


def published_actions(filterset: ParagraphFilter, paragraph_ids: list[int]) -> QuerySet:
    """The published actions answering any of `paragraph_ids`, by the chosen actor and status if any."""
    data = filterset.form.cleaned_data
    answers = ActionRecommendation.objects.filter(action=OuterRef("pk"), paragraph_id__in=paragraph_ids)
    actions = FollowUpAction.objects.published().filter(Exists(answers))
    if data.get("actor"):
        actions = involving(actions, data["actor"])
    if data.get("status"):
        actions = actions.filter(status=data["status"])
    return actions


def _actions(filterset: ParagraphFilter, request: HttpRequest) -> Iterator[dict]:
    """Published actions answering the listed recommendations, by the chosen actor and status if any."""
    return action_rows(published_actions(filterset, _paragraph_ids(filterset)).order_by("pk"), request)


def action_rows(actions: QuerySet, request: HttpRequest) -> Iterator[dict]:
    """The rows of `actions`, in their order.

    Read as plain values, a chunk at a time with one query per chunk for each list column:
    model instances and prefetching would cost several times as much per row.
    """
    rows = actions.values_list(*_ACTION_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    # One reverse() for the whole export: the rows differ only in the number.
    action_url = request.build_absolute_uri(reverse("recommendations:action", args=[0])).replace("/0/", "/{}/")
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        ids = [row[0] for row in chunk]
        partners = _grouped(
            ActionPartner.objects.filter(action_id__in=ids)
            .order_by("actor__code")
            .values_list("action_id", "actor__code")
        )
        answered = _grouped(
            (action_id, f"{meeting}/{number}")
            for action_id, meeting, number in ActionRecommendation.objects.filter(action_id__in=ids)
            .order_by("paragraph__number")
            .values_list("action_id", "paragraph__meeting__code", "paragraph__number")
        )
        evidence = _grouped(
            EvidenceLink.objects.filter(action_id__in=ids).order_by("pk").values_list("action_id", "url")
        )
        for pk, code, name, title, description, status, as_of, source, start, end, agency, published, demo in chunk:
            yield {
                "id": f"action-{pk}",
                "actor": code,
                "actor_name": name,
                "partners": partners.get(pk, []),
                "recommendations": answered.get(pk, []),
                "title": title,
                "description": description,
                "status": status,
                "status_as_of": as_of,
                "status_source": source,
                "start_date": start or "",
                "end_date": end or "",
                "responsible_agency": agency,
                "evidence": evidence.get(pk, []),
                "published_at": published,
                "demo": demo,
                "url": action_url.format(pk),
            }


def _statuses(filterset: ParagraphFilter, request: HttpRequest) -> Iterator[dict]:
    """Each actor's status on each listed recommendation; a pair without a row has no information."""
    if not filterset.reading.is_today:
        return _statuses_on_a_date(filterset, request)
    rows = statuses_of(filterset, _paragraph_ids(filterset)).order_by(
        "paragraph__meeting__code", "paragraph__number", "actor__code"
    )
    return status_rows(rows, request)


def statuses_of(filterset: ParagraphFilter, paragraph_ids: list[int]) -> QuerySet:
    """The statuses on `paragraph_ids`, of the chosen actor and with the chosen status if any."""
    data = filterset.form.cleaned_data
    rows = ImplementationStatus.objects.filter(paragraph_id__in=paragraph_ids)
    if data.get("actor"):
        rows = rows.filter(actor__code=data["actor"])
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    return rows


def status_rows(statuses: QuerySet, request: HttpRequest) -> Iterator[dict]:
    """The rows of `statuses`, in their order."""
    for row in statuses.select_related("actor", "paragraph__meeting").iterator(chunk_size=CHUNK_SIZE):
        paragraph = row.paragraph
        yield {
            "recommendation": f"{paragraph.meeting.code}/{paragraph.number}",
            "actor": row.actor.code,
            "actor_name": row.actor.name,
            "actor_kind": row.actor.kind,
            "status": row.status,
            "status_label": row.status_label,
            "as_of": row.as_of,
            "set_by": "secretariat" if row.is_explicit else "actions",
            "source": row.explicit_source,
            "url": request.build_absolute_uri(paragraph.get_absolute_url()),
        }


def _statuses_on_a_date(filterset: ParagraphFilter, request: HttpRequest) -> Iterator[dict]:
    """The statuses export on the reading's date: the same rows, from the status milestones."""
    data = filterset.form.cleaned_data
    actor = filterset.actors.get(data.get("actor") or "")
    found = status_details_on(
        filterset.reading, paragraph_ids=_paragraph_ids(filterset), actor_ids=[actor.pk] if actor else None
    )
    paragraphs = Paragraph.objects.select_related("meeting").in_bulk({paragraph_id for _, paragraph_id in found})
    actors = {actor.pk: actor for actor in filterset.actors.values()}
    rows = [
        (paragraphs[paragraph_id], actors[actor_id], row)
        for (actor_id, paragraph_id), row in found.items()
        if data.get("status") in (None, "", row.status)
    ]
    rows.sort(key=lambda row: (row[0].meeting.code, row[0].number, row[1].code))
    for paragraph, actor, row in rows:
        yield {
            "recommendation": f"{paragraph.meeting.code}/{paragraph.number}",
            "actor": actor.code,
            "actor_name": actor.name,
            "actor_kind": actor.kind,
            "status": row.status,
            "status_label": row.status_label,
            "as_of": row.as_of,
            "set_by": "secretariat" if row.is_explicit else "actions",
            "source": "",
            "url": request.build_absolute_uri(paragraph.get_absolute_url()),
        }


def _actors(filterset: ParagraphFilter, request: HttpRequest) -> Iterator[dict]:
    """Every actor, stakeholder groups too: the ones the filters' choices have read already."""
    return actor_rows(sorted(filterset.actors.values(), key=lambda actor: actor.code), request)


def actor_rows(actors: Iterable[Actor], request: HttpRequest) -> Iterator[dict]:
    """The rows of `actors`, in their order."""
    actor_url = request.build_absolute_uri(reverse("recommendations:actor", args=["CODE"])).replace("CODE", "{}")
    for actor in actors:
        yield {
            "code": actor.code,
            "name": actor.name,
            "short_name": actor.short_name,
            "kind": actor.kind,
            "description": actor.description,
            "website": actor.website,
            "demo": actor.is_demo,
            "url": actor_url.format(actor.code),
        }


def _action_recommendations(filterset: ParagraphFilter, request: HttpRequest) -> Iterator[dict]:
    paragraph_ids = _paragraph_ids(filterset)
    pairs = (
        ActionRecommendation.objects.filter(
            action__in=published_actions(filterset, paragraph_ids), paragraph_id__in=paragraph_ids
        )
        .order_by("action_id", "paragraph__meeting__code", "paragraph__number")
        .values_list("action_id", "paragraph__meeting__code", "paragraph__number")
    )
    for action_id, meeting, number in pairs.iterator(chunk_size=CHUNK_SIZE):
        yield {"action": f"action-{action_id}", "recommendation": f"{meeting}/{number}"}


def _action_partners(filterset: ParagraphFilter, request: HttpRequest) -> Iterator[dict]:
    pairs = (
        ActionPartner.objects.filter(action__in=published_actions(filterset, _paragraph_ids(filterset)))
        .order_by("action_id", "actor__code")
        .values_list("action_id", "actor__code")
    )
    for action_id, code in pairs.iterator(chunk_size=CHUNK_SIZE):
        yield {"action": f"action-{action_id}", "partner": code}


def _paragraph_addressees(filterset: ParagraphFilter, request: HttpRequest) -> Iterator[dict]:
    pairs = (
        Paragraph.addressees.through.objects.filter(paragraph_id__in=_paragraph_ids(filterset))
        .order_by("paragraph__meeting__code", "paragraph__number", "actor__code")
        .values_list("paragraph__meeting__code", "paragraph__number", "actor__code")
    )
    for meeting, number, code in pairs.iterator(chunk_size=CHUNK_SIZE):
        yield {"recommendation": f"{meeting}/{number}", "actor": code}


_DATE = {"type": "date"}
_URL = {"format": "uri"}
_BOOLEAN = {"type": "boolean"}
_STATUS = {"constraints": {"enum": list(Status.values)}}
_ACTOR_KIND = {"constraints": {"enum": list(ActorKind.values)}}
_REQUIRED = {"constraints": {"required": True}}
_RECOMMENDATION = ("recommendations", "id")
_ACTOR = ("actors", "code")
_ACTION = ("actions", "id")

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in [
        Dataset(
            "recommendations",
            "Recommendations",
            "Every paragraph of the outcome documents, verbatim, with its theme and addressees.",
            {
                "id": "Stable identifier: meeting code / paragraph number.",
                "meeting": "Code of the meeting whose outcome document holds the paragraph.",
                "paragraph": "Paragraph number as written.",
                "theme_number": "The theme heading's number as written, empty if none.",
                "theme": "The theme heading as written.",
                "text": "The paragraph, verbatim.",
                "tracked": "true for a tracked recommendation, false for a context paragraph.",
                "addressees": "Codes of the actors the paragraph names or addresses, as written: groups stay groups "
                "(; between them in CSV).",
                "addressed_to": "Codes of the governments, organisations and regional processes the paragraph "
                "addresses, by name or as members of a group it names: All States is every government, "
                "International organisations every UN agency and intergovernmental organisation, and the other "
                "groups the members the secretariat has entered with a source.",
                "url": "The paragraph's permalink.",
            },
            _recommendations,
            types={"paragraph": {"type": "integer"}, "tracked": _BOOLEAN, "url": _URL},
            primary_key=["id"],
        ),
        Dataset(
            "actions",
            "Follow-up actions",
            "Every published follow-up action answering the chosen recommendations.",
            {
                "id": "Stable identifier of the action.",
                "actor": "Code of the actor that reports the action.",
                "actor_name": "Its name.",
                "partners": "Codes of partner actors of a joint action; it counts for each of them.",
                "recommendations": "Identifiers of the recommendations it answers.",
                "title": "Title as reported.",
                "description": "Description as reported.",
                "status": "Status code (see the status table).",
                "status_as_of": "Date the status holds on (ISO 8601).",
                "status_source": "What shows the status: a law, gazette notice, report paragraph or link.",
                "start_date": "When the action started, if given.",
                "end_date": "When it ended or is to end, if given.",
                "responsible_agency": "The agency responsible.",
                "evidence": "Addresses of the evidence.",
                "published_at": "When the secretariat published it (ISO 8601, UTC).",
                "demo": "true for demonstration data, which is not a real record.",
                "url": "The action's page.",
            },
            _actions,
            types={
                "status": _STATUS,
                "status_as_of": _DATE,
                "start_date": _DATE,
                "end_date": _DATE,
                "published_at": {"type": "datetime", "format": "any"},
                "demo": _BOOLEAN,
                "url": _URL,
            },
            primary_key=["id"],
            foreign_keys={"actor": _ACTOR},
        ),
        Dataset(
            "statuses",
            "Status matrix",
            "Each actor's status on each recommendation; a missing pair means no information provided.",
            {
                "recommendation": "Identifier of the recommendation.",
                "actor": "Actor code.",
                "actor_name": "Actor name.",
                "actor_kind": "government, international_organisation, regional_process or stakeholder_group.",
                "status": "Status code (see the status table).",
                "status_label": "Status as shown on the site.",
                "as_of": "Date the status holds on (ISO 8601).",
                "set_by": "actions when derived from published actions, secretariat when set by it.",
                "source": "The secretariat's source for a status it set.",
                "url": "The recommendation's page.",
            },
            _statuses,
            types={
                "actor_kind": _ACTOR_KIND,
                "status": _STATUS,
                "as_of": _DATE,
                "set_by": {"constraints": {"enum": ["actions", "secretariat"]}},
                "url": _URL,
            },
            primary_key=["recommendation", "actor"],
            foreign_keys={"recommendation": _RECOMMENDATION, "actor": _ACTOR},
        ),
        Dataset(
            "actors",
            "Actors",
            "Every government, organisation, regional process and stakeholder group the documents address "
            "or that reports actions.",
            {
                "code": "Stable identifier: the ISO 3166 alpha-3 code of a government, an agreed code otherwise.",
                "name": "Full name; for governments the United Nations' formal name.",
                "short_name": "Name as shown on the site.",
                "kind": "government, international_organisation, regional_process or stakeholder_group.",
                "description": "What the actor is, e.g. UN specialised agency.",
                "website": "Its website, if recorded.",
                "demo": "true for demonstration data, which is not a real record.",
                "url": "The actor's page.",
            },
            _actors,
            types={"kind": _ACTOR_KIND, "demo": _BOOLEAN, "website": _URL, "url": _URL},
            primary_key=["code"],
        ),
        Dataset(
            "action-recommendations",
            "Which recommendations each action answers",
            "One row per published action and recommendation it answers.",
            {"action": "Identifier of the action.", "recommendation": "Identifier of the recommendation."},
            _action_recommendations,
            primary_key=["action", "recommendation"],
            foreign_keys={"action": _ACTION, "recommendation": _RECOMMENDATION},
        ),
        Dataset(
            "action-partners",
            "The partners of joint actions",
            "One row per published joint action and partner; the action counts for each partner.",
            {"action": "Identifier of the action.", "partner": "Code of the partner actor."},
            _action_partners,
            primary_key=["action", "partner"],
            foreign_keys={"action": _ACTION, "partner": _ACTOR},
        ),
        Dataset(
            "paragraph-addressees",
            "Whom each paragraph addresses, as written",
            "One row per paragraph and actor or group it names or addresses; groups stay groups.",
            {"recommendation": "Identifier of the paragraph.", "actor": "Code of the actor or group."},
            _paragraph_addressees,
            primary_key=["recommendation", "actor"],
            foreign_keys={"recommendation": _RECOMMENDATION, "actor": _ACTOR},
        ),
    ]
}


MATRIX_FORMATS = ["csv", "xlsx"]
MATRIX_TITLE = "Status matrix, wide"
NO_INFORMATION = "No information provided"
NOT_ADDRESSED = "Not addressed"
MATRIX_COLUMNS = {
    "actor": "Actor code; one row per actor that reports (every actor but the stakeholder groups).",
    "actor_name": "Actor name.",
    "actor_kind": "government, international_organisation or regional_process.",
    "bangkok-2006/12, …": "One column per tracked recommendation, named by its identifier: the actor's status "
    f"as shown on the site, {NO_INFORMATION} when it addresses the actor and the actor has not reported, "
    f"{NOT_ADDRESSED} when it does not address the actor and the actor has not reported on it anyway.",
}


def matrix(filterset: ParagraphFilter) -> tuple[list[str], Iterator[dict]]:
    """The columns and rows of the wide matrix, in four queries after the filter's.

    Its size is the number of actors times the number of recommendations, whatever the number
    of actions, so the statuses are read at once and the rows written from them.
    """
    data = filterset.form.cleaned_data
    paragraphs = list(filterset.qs.filter(is_tracked=True).values_list("pk", "meeting__code", "number"))
    ids = [pk for pk, _, _ in paragraphs]
    actors = sorted(
        (
            actor
            for actor in filterset.actors.values()
            if not actor.is_group
            and data.get("kind") in (None, "", actor.kind)
            and data.get("actor") in (None, "", actor.code)
        ),
        key=lambda actor: actor.code,
    )
    addressed = Paragraph.objects.addressed_pairs(ids, actors)
    if filterset.reading.is_today:
        statuses = ImplementationStatus.objects.filter(paragraph_id__in=ids).values_list(
            "actor_id", "paragraph_id", "status"
        )
    else:
        statuses = ((a, p, status) for (a, p), status in statuses_on(filterset.reading, ids).items())
    labels = {(actor_id, paragraph_id): Status(status).label for actor_id, paragraph_id, status in statuses}
    names = [f"{meeting}/{number}" for _, meeting, number in paragraphs]

    def rows() -> Iterator[dict]:
        for actor in actors:
            row = {"actor": actor.code, "actor_name": actor.name, "actor_kind": actor.kind}
            for pk, name in zip(ids, names, strict=True):
                pair = (actor.pk, pk)
                row[name] = labels.get(pair) or (NO_INFORMATION if pair in addressed else NOT_ADDRESSED)
            yield row

    return ["actor", "actor_name", "actor_kind", *names], rows()


def datapackage(request: HttpRequest, version: DataVersion, reading: Reading = TODAY) -> dict:
    """The CSV exports as a Frictionless Data Package: one resource per dataset, each with its
    Table Schema, keys and the joins between them, at the data's current version.

    On a past date the statuses resource is the statuses export on that date and reading, and
    the package says so in its name, title and `asOf`; the other resources are today's.

    The data the site produces carries the licence the secretariat sets; the paragraphs' text is
    quoted from the outcome documents, so that resource names them as its sources instead.
    """
    licence = OpenDataLicence.objects.current()
    documents = [
        {
            "title": meeting.document_title or meeting.title,
            "path": request.build_absolute_uri(reverse("recommendations:document", args=[meeting.code])),
        }
        for meeting in Meeting.objects.order_by("code")
    ]
    resources = []
    for dataset in DATASETS.values():
        resource = {
            "name": dataset.name,
            "title": dataset.title,
            "description": dataset.description,
            "path": request.build_absolute_uri(reverse("recommendations:export", args=[dataset.name, "csv"]))
            + (f"?{urlencode(reading.params)}" if dataset.name == "statuses" and reading.params else ""),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "schema": dataset.schema(),
        }
        if dataset.name == "recommendations":
            resource["description"] += (
                " The text is quoted verbatim from the outcome documents listed as sources; it is theirs and "
                "is not licensed by this site. The licence covers the rest: themes, identifiers and addressees."
            )
            resource["sources"] = documents
        resources.append(resource)
    dated = {}
    if not reading.is_today:
        dated = {
            "asOf": {"date": reading.as_of.isoformat(), "reading": "record" if reading.record else "known now"},
            "description": f"The statuses are {reading.label}; the recommendations, actors, addressees and "
            "actions are today's.",
        }
    return {
        "name": "-".join(filter(None, ["apc-tracker", reading.slug])),
        "title": " ".join(
            filter(None, ["APC Tracker: recommendations, follow-up actions and implementation statuses", reading.label])
        ),
        **dated,
        "homepage": request.build_absolute_uri(reverse("recommendations:about")),
        "version": version.label,
        "created": version.changed_at.isoformat(),
        "licenses": [{"name": licence.name, "title": licence.title, "path": licence.path}],
        "sources": documents,
        "resources": resources,
    }


def neutralise(value: str) -> str:
    """Make a cell that a spreadsheet would run as a formula read as text."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _iso(value: datetime.date) -> str:
    """Dates and datetimes in CSV and JSON as ISO 8601; rows keep them typed for the Excel cells."""
    return value.isoformat()


def csv_cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(value)
    elif isinstance(value, datetime.date):
        value = _iso(value)
    return neutralise(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, line by line, so that a response can stream it."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_cell(row[column]) for column in columns])


def json_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array, one object per line, streamed."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False, default=_iso)
        separator = ",\n"
    yield "\n]\n"


# Characters XML 1.0 cannot hold; a spreadsheet cell loses them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel's limit, the header row included.
XLSX_MAX_ROWS = 1_048_576

# Day 0 of the serial numbers that date cells hold (1900 date system, as Excel and LibreOffice read it).
_EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 - serial numbers have no time zone

# Cell styles, by their index in styles.xml's cellXfs.
_DATE_STYLE = 1
_DATETIME_STYLE = 2


def _text(value: str) -> str:
    # An XML parser reads a carriage return as a line feed unless it is a character reference.
    return escape(_XML_ILLEGAL.sub("", value)).replace("\r", "&#13;")


def _xlsx_cell(value: object) -> str:
    """A typed cell: a boolean, a number, a date or datetime (a serial number styled as such) or
    an inline string, which a spreadsheet never runs as a formula."""
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, datetime.datetime):
        # Cells have no time zone: datetimes are written in UTC, to the second the style shows.
        if value.tzinfo:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        serial = (value.replace(microsecond=0) - _EPOCH) / datetime.timedelta(days=1)
        return f'<c s="{_DATETIME_STYLE}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c s="{_DATE_STYLE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, list):
        value = ";".join(value)
    return f'<c t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def _row(values: Iterable[object]) -> bytes:
    return ("<row>" + "".join(_xlsx_cell(value) for value in values) + "</row>").encode()


def _sheet(columns: list[str], rows: Iterable[dict], cut_note: str) -> Iterator[bytes]:
    """The sheet's rows as they come; past Excel's row limit, a last row says the sheet is cut.

    The response has started by the time the limit is reached, so it cannot become an error:
    counting the rows first would cost a second pass over the table before the first byte.
    """
    yield (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ) + _row(columns)
    rows = iter(rows)
    for row in itertools.islice(rows, XLSX_MAX_ROWS - 2):
        yield _row(row[column] for column in columns)
    if (last := next(rows, None)) is not None:
        yield _row((last[column] for column in columns) if next(rows, None) is None else [cut_note])
    yield b"</sheetData></worksheet>"


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_XLSX_PARTS = {
    "[Content_Types].xml": (
        f"{_XML}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SPREADSHEET}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_SPREADSHEET}.styles+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SPREADSHEET}.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f"{_XML}"
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f"{_XML}"
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # The cell formats: 0 the default, 1 (_DATE_STYLE) dates, 2 (_DATETIME_STYLE) datetimes, in ISO order.
    "xl/styles.xml": (
        f"{_XML}"
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def xlsx_chunks(title: str, columns: list[str], rows: Iterable[dict], cut_note: str) -> Iterator[bytes]:
    """An Excel workbook of one sheet, zipped as it is written.

    Every member is a 32-bit zip entry whose sizes follow its data in a data descriptor, so that
    the sheet streams without knowing its size (up to 4 GiB): LibreOffice refuses the zip64
    entries that unknown sizes would otherwise need.
    """
    now = timezone.now().replace(tzinfo=None)
    workbook = (
        f"{_XML}"
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{_RELATIONSHIPS}">'
        f'<sheets><sheet name="{escape(title[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts = {**_XLSX_PARTS, "xl/workbook.xml": workbook}
    members = [(name, now, 0o600, ZIP_32, (text.encode(),)) for name, text in parts.items()]
    members.append(("xl/worksheets/sheet1.xml", now, 0o600, ZIP_32, _sheet(columns, rows, cut_note)))
    return stream_zip(members)


def respond(dataset_name: str, fmt: str, filterset: ParagraphFilter, request: HttpRequest) -> HttpResponse:
    dataset = DATASETS[dataset_name]
    columns = list(dataset.columns)
    rows = dataset.rows(filterset, request)
    filename = _filename(dataset.name, fmt, filterset.reading)
    if fmt == "json":
        response = StreamingHttpResponse(json_chunks(rows), content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            xlsx_chunks(dataset.title, columns, rows, _cut_note(dataset.name, request)), content_type=XLSX_TYPE
        )
    if fmt != "json":
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def respond_matrix(fmt: str, filterset: ParagraphFilter, request: HttpRequest) -> HttpResponse:
    columns, rows = matrix(filterset)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            xlsx_chunks(MATRIX_TITLE, columns, rows, _cut_note("matrix", request)), content_type=XLSX_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{_filename("matrix", fmt, filterset.reading)}"'
    return response


def _filename(name: str, fmt: str, reading: Reading = TODAY) -> str:
    """`apc-tracker-statuses-2026-12-01.csv`, on a past date with the reading after the name:
    `apc-tracker-statuses-as-of-2006-09-14-record-2026-12-01.csv`."""
    stamp = datetime.date.today().isoformat()  # noqa: DTZ011 - the file name's date is the server's
    return "-".join(filter(None, ["apc-tracker", name, reading.slug, stamp])) + f".{fmt}"


def _cut_note(name: str, request: HttpRequest) -> str:
    """The last row of a sheet cut at Excel's row limit, with the address of the same export as CSV."""
    query = request.GET.urlencode()
    csv_url = request.build_absolute_uri(reverse("recommendations:export", args=[name, "csv"]))
    return (
        f"Cut here: this export has more rows than Excel's {XLSX_MAX_ROWS:,}. The CSV export holds them all: "
        f"{csv_url}{'?' + query if query else ''}"
    )


def conditional(request: HttpRequest, make_response: Callable[[DataVersion], HttpResponse]) -> HttpResponse:
    """The response, or 304 Not Modified when the client holds the current data version.

    One ETag and Last-Modified for every export and the descriptor: the data version, which
    every write that changes public data replaces. A reuser polling an export downloads it
    again only when something changed.
    """
    version = data_version(request)
    last_modified = int(version.changed_at.timestamp())
    response = get_conditional_response(request, etag=version.etag, last_modified=last_modified)
    if response is None:
        response = make_response(version)
    response["ETag"] = version.etag
    response["Last-Modified"] = http_date(last_modified)
    return response


def bad_request(fmt: str, message: str) -> HttpResponse:
    if fmt == "json":
        return JsonResponse({"error": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
