"""Timings of every public page, export and read API list at several volumes of demo actions (`make bench`).

For each level it replaces the demo data of the database DATABASE_URL names (use PostgreSQL)
with that many actions, requests every public page and export repeatedly through Django's test
client, and prints per page the queries and the median and p95 server time in milliseconds
(exports: time to the first bytes), then the ratio of the largest level's median to the
smallest's. Pages are timed as they are made, not as the whole-page cache serves them to
visitors who are not signed in (a cache read: `make loadtest` measures that). Every page and
export that takes a date is measured again as of a past date, in
both readings. The country brief of one demo actor and the report to the Dialogue are made afresh
(not from the cache) three times each, with their times against their targets (2 s and 10 s).
The largest level's actions CSV of one demo actor and its largest Excel export (every
action, which Excel's row limit cuts at 1,000,000) are also read whole, with the CSV's rows, the
Excel file's size, the times to the first bytes and to the end, and the growth of the process's
peak memory.
"""

import argparse
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apc_tracker.settings")
# Every request comes from one address: the API's limit per address would refuse most of them.
os.environ.setdefault("DJANGO_API_RATE", "1000000/minute")
django.setup()

from django.db import connection  # noqa: E402  (Django is set up first)
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from recommendations.models import Actor, FollowUpAction  # noqa: E402
from recommendations.operations.demo import DemoDataInUse, generate_demo_data  # noqa: E402
from recommendations.progress.freshness import figures_changed  # noqa: E402
from recommendations.public import page_cache  # noqa: E402

# Every page made, as for a signed-in visitor, but through the anonymous visitor's path.
page_cache.is_cacheable_request = lambda request: False


def _first_demo_actor() -> str:
    return Actor.objects.filter(is_demo=True).order_by("code").values_list("code", flat=True).first()


def pages() -> list[str]:
    demo = _first_demo_actor()
    return [
        "/",
        "/recommendations/",
        "/recommendations/?tracked=yes&status=completed&sort=-progress",
        "/recommendations/?q=labour+migration",
        "/recommendations/bangkok-2006/12/",
        "/recommendations/bangkok-2006/12/?page=10",
        f"/actors/{demo}/",
        "/actors/THA/",
        "/documents/bangkok-2006/",
        "/about/",
        "/recommendations/export.csv",
        "/recommendations/export.json",
        "/recommendations/export.xlsx",
        "/statuses/export.csv",
        "/statuses/export.xlsx",
        f"/actions/export.csv?actor={demo}",
        f"/actions/export.json?actor={demo}",
        f"/actions/export.xlsx?actor={demo}",
        "/matrix/export.csv",
        "/matrix/export.xlsx",
        "/feeds/actions.atom",
        f"/actors/{demo}/actions.atom",
        "/actors/THA/actions.atom",
        "/recommendations/bangkok-2006/12/actions.atom",
        "/feeds/status-changes.atom",
        f"/actors/{demo}/status-changes.atom",
        "/recommendations/bangkok-2006/12/status-changes.atom",
        "/changes/",
        "/changes/?since=2006-04-26",
        "/changes/?since=2006-04-26&page=3",
        "/documents/bangkok-2006/themes/2/",
        *as_of_pages(demo),
        "/api/v1/recommendations/",
        "/api/v1/recommendations/?q=labour+migration",
        "/api/v1/actions/",
        f"/api/v1/actions/?actor={demo}&status=completed",
        "/api/v1/statuses/",
        f"/api/v1/statuses/?actor={demo}",
        "/api/v1/actors/",
        "/api/v1/themes/",
    ]


# Both readings of a past date: what we know now about the Dialogue's opening day, and the
# public record of the end of 2015.
READINGS = ["as_of=2006-09-14", "as_of=2015-12-31&record=1"]


def as_of_pages(demo: str) -> list[str]:
    """Every page and export that takes a date, in each reading."""
    urls = [
        "/",
        "/recommendations/",
        "/recommendations/?tracked=yes&status=completed&sort=-progress",
        "/recommendations/bangkok-2006/12/",
        f"/actors/{demo}/",
        "/actors/THA/",
        "/documents/bangkok-2006/",
        "/documents/bangkok-2006/themes/2/",
        "/statuses/export.csv",
        "/statuses/export.xlsx",
        "/matrix/export.csv",
        "/matrix/export.xlsx",
        "/datapackage.json",
    ]
    return [f"{url}{'&' if '?' in url else '?'}{reading}" for reading in READINGS for url in urls]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="10000,1000000", help="Numbers of demo actions, comma-separated.")
    parser.add_argument("--actors", type=int, default=10, help="Demo actors sharing the actions.")
    parser.add_argument("--repeat", type=int, default=15, help="Requests per page and level.")
    options = parser.parse_args()
    client = Client()
    results: dict[int, dict[str, tuple[int, float, float]]] = {}
    for level in [int(value) for value in options.levels.split(",")]:
        started = time.monotonic()
        try:
            generate_demo_data(actors=options.actors, actions=level)
        except DemoDataInUse as error:
            sys.exit(str(error))
        print(f"{level:,} demo actions created in {time.monotonic() - started:.1f} s", flush=True)
        if connection.vendor == "postgresql":
            # What autovacuum does in time after a bulk load: statistics for the planner,
            # and the visibility map that lets index-only scans skip the table.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        results[level] = {url: _measure(client, url, options.repeat) for url in pages()}
        _full_export(client, f"/actions/export.csv?actor={_first_demo_actor()}")
        _full_export(client, "/actions/export.xlsx")
        _paper(client, f"/actors/{_first_demo_actor()}/brief.pdf", target=2)
        _paper(client, "/documents/bangkok-2006/report.pdf", target=10)
    _table(results, connection.vendor)
    return 0


def _measure(client: Client, url: str, repeat: int) -> tuple[int, float, float]:
    timings, queries = [], 0
    for attempt in range(repeat + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            if response.streaming:
                next(iter(response.streaming_content))
            elapsed = time.perf_counter() - started
            response.close()
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}; the smallest level needs 10,000 actions.")
        if attempt:  # the first request warms caches
            timings.append(elapsed * 1000)
            queries = len(captured)
    return queries, statistics.median(timings), _percentile(timings, 0.95)


def _full_export(client: Client, url: str) -> None:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(url, secure=True)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_at = time.perf_counter() - started
    if ".xlsx" in url:
        # A zipped sheet's rows cannot be counted from its bytes without unzipping it.
        size = len(first) + sum(len(chunk) for chunk in chunks)
        read = f"{size / 1024 / 1024:,.1f} MB"
    else:
        lines = first.count(b"\n") + sum(chunk.count(b"\n") for chunk in chunks)
        read = f"{lines - 1:,} rows"
    total = time.perf_counter() - started
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    print(
        f"{url}: {read}; first bytes after {first_at * 1000:.0f} ms, whole file in {total:.1f} s; "
        f"peak memory grew by {growth:.0f} MB ({FollowUpAction.objects.count():,} actions in the database)"
    )


def _paper(client: Client, url: str, *, target: float, repeat: int = 3) -> None:
    """Time a PDF made afresh: the data version is advanced first, so the cached copy is not used."""
    timings = []
    for _ in range(repeat):
        figures_changed()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}.")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", response.content))
    print(
        f"{url}: made in {statistics.median(timings):.2f} s median, {max(timings):.2f} s slowest of {repeat} "
        f"(target ≤ {target} s); {len(response.content) / 1024:,.0f} kB, {pages} pages, {len(captured)} queries"
    )


def _table(results: dict[int, dict[str, tuple[int, float, float]]], vendor: str) -> None:
    levels = sorted(results)
    small, large = levels[0], levels[-1]
    header = f"{'page':<64} " + " ".join(f"{f'q@{n:,}':>11} {'median':>8} {'p95':>8}" for n in levels)
    print(f"\n{vendor}, times in ms (exports: time to first bytes)\n")
    print(header + f" {'ratio':>6}")
    for url in results[small]:
        cells = " ".join(
            f"{results[n][url][0]:>11} {results[n][url][1]:>8.1f} {results[n][url][2]:>8.1f}" for n in levels
        )
        ratio = results[large][url][1] / results[small][url][1]
        print(f"{url:<64} {cells} {ratio:>6.2f}")


if __name__ == "__main__":
    sys.exit(main())
