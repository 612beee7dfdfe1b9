"""Pages of results on the public site: the number ?page= asks for, and that page of the rows.

Every paged page answers a ?page= that is not a page number with 400 and one past the last
page with 404, and hands its template a Django `Page`, which knows the pages beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest


def requested_page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    # ASCII digits only: str.isdigit() also accepts "¹" and "①", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise BadRequest("?page= must be a whole number from 1.")
    return int(raw)


def page_of(rows: QuerySet | Sequence, per_page: int, number: int, *, missing: str) -> Page:
    """Page `number` of `rows`; a 404 saying `missing` when the rows end before it.

    `rows` need not be all of them: rows read up to one past the page are enough for the page
    to know whether there is a next one, without counting the rest.
    """
    try:
        return Paginator(rows, per_page).page(number)
    except EmptyPage as error:
        raise Http404(missing) from error
