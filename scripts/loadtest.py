"""make loadtest: the production server on PostgreSQL under load from wrk, on this machine.

    .venv/bin/python scripts/loadtest.py [--actions 1000000] [--seconds 10] [--before REF]
                                         [--only PATTERN] [--connections 8]

Prepares a PostgreSQL database (DATABASE_URL, by default apc_tracker_load on the local
server) with the workshop, the demo volume of published actions, load-test focal points with
one draft each and a secretariat account; starts gunicorn with production settings (and, with
--before, a second gunicorn from a temporary worktree of that git ref, on the same database);
checks that every address measured answers 200; then, while a thread publishes an action
through the reporting workflow every few seconds:

1. measures each row (/healthz, a static file, then each public page over a fixed, randomised
   mix of addresses) with wrk for a fixed time, on each server in turn, and prints requests
   per second, p95 latency, errors and the ratio to the same server's /healthz rate;
2. runs the mixed phase on each server: focal points signed in editing their own drafts beside
   anonymous visitors reading pages and exports, then checks that no edit was lost or saved
   twice.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime
import functools
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FOCAL_POINTS = 20
USERNAME_PREFIX = "load-focal-point-"
SECRETARIAT = "load-secretariat"
WORKSHOP = datetime.date(2006, 4, 26)
DIALOGUE = datetime.date(2006, 9, 14)
MEETING = "bangkok-2006"
# Redis databases of the two servers' caches: each its own, so that neither warms the other's.
REDIS_DATABASES = {"after": 10, "before": 11}
API_RATE = "1000000/minute"
EXPORT_MAX_ROWS = 10_000
SEED = 2006
SEARCHES = ["labour migration", "trafficking", "migrant workers", '"social protection"', "recruitment -agency"]
# The mixed phase's anonymous visitors: how often each kind of page comes up (the rows whose
# names match: the dashboard, the list with a filter or a search, a recommendation, an export).
MIXED_WEIGHTS = {"/": 6, r"/recommendations/\?.*": 2, f"/recommendations/{MEETING}/<n>/": 1, r"/actions/export.*": 1}
RESULT = re.compile(r"^loadtest (.*)$", re.MULTILINE)
EDITS = re.compile(r"^loadtest-edits (.*)$", re.MULTILINE)


@dataclass
class Result:
    """What wrk measured for one row on one server."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Row:
    """A line of the table: a name and the addresses its requests pick from at random."""

    name: str
    paths: list[str]


@dataclass
class Facts:
    """What the addresses are made of, read from the prepared database."""

    today: datetime.date
    governments: list[str]
    addressees: list[str]
    theme_ids: list[int]
    theme_positions: list[int]
    recommendations: list[int]
    statuses: list[str]
    sorts: list[str]


@dataclass
class Server:
    """A gunicorn serving one checkout."""

    label: str
    root: Path
    port: int
    process: subprocess.Popen | None = None
    log: Path | None = None
    healthz: Result | None = None

    def address(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def parse_wrk(output: str) -> Result:
    """The figures loadtest.lua's done() prints; errors are socket errors and answers 4xx or 5xx."""
    match = RESULT.search(output)
    if match is None:
        raise ValueError(f"wrk printed no result:\n{output}")
    values = _pairs(match[1])
    return Result(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        errors=sum(values[name] for name in ("connect", "read", "write", "status", "timeout")),
    )


def parse_edits(output: str) -> dict[str, int]:
    """The edit counts loadtest.lua sums over its threads."""
    match = EDITS.search(output)
    if match is None:
        raise ValueError(f"wrk printed no edit counts:\n{output}")
    return _pairs(match[1])


def _pairs(text: str) -> dict[str, int]:
    return {name: int(value) for name, value in (pair.split("=", 1) for pair in text.split())}


def page_rows(facts: Facts, seed: int = SEED) -> list[Row]:
    """The public pages measured, each over a fixed mix of addresses (the same for a given seed)."""
    # A fixed mix of addresses, not a secret: the same pseudo-random choices on every run.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    dates = sorted(
        {WORKSHOP, DIALOGUE, facts.today}
        | {WORKSHOP + datetime.timedelta(days=rng.randrange((facts.today - WORKSHOP).days)) for _ in range(9)}
    )
    readings = [f"as_of={day.isoformat()}{record}" for day in dates for record in ("", "&record=1")]
    numbers = facts.recommendations
    filters = {
        "meeting": [MEETING],
        "theme": [str(pk) for pk in facts.theme_ids],
        "addressee": facts.addressees,
        "actor": facts.governments,
        "status": facts.statuses,
        "tracked": ["yes", "no"],
        "sort": facts.sorts,
    }
    rows = [
        Row("/", ["/"]),
        Row("/about/", ["/about/"]),
        Row("/actors/<government>/", [f"/actors/{code}/" for code in facts.governments]),
        Row(f"/documents/{MEETING}/", [f"/documents/{MEETING}/"]),
        Row("/recommendations/", ["/recommendations/"]),
    ]
    rows += [
        Row(f"/recommendations/?{name}=", [f"/recommendations/?{name}={value}" for value in values])
        for name, values in filters.items()
    ]
    rows += [
        Row("/recommendations/?q=", [f"/recommendations/?{urlencode({'q': q})}" for q in SEARCHES]),
        Row(f"/recommendations/{MEETING}/<n>/", [f"/recommendations/{MEETING}/{n}/" for n in numbers]),
        Row(
            f"/documents/{MEETING}/themes/<n>/",
            [f"/documents/{MEETING}/themes/{n}/" for n in facts.theme_positions],
        ),
        Row("as_of: /", [f"/?{reading}" for reading in readings]),
        Row("as_of: /recommendations/", [f"/recommendations/?{reading}" for reading in readings]),
        Row(
            f"as_of: /recommendations/{MEETING}/<n>/",
            [f"/recommendations/{MEETING}/{rng.choice(numbers)}/?{reading}" for reading in readings],
        ),
        Row("as_of: /actors/<government>/", [f"/actors/{rng.choice(facts.governments)}/?{r}" for r in readings]),
        Row(f"as_of: /documents/{MEETING}/", [f"/documents/{MEETING}/?{reading}" for reading in readings]),
        Row("/changes/?since=", [f"/changes/?since={day.isoformat()}" for day in _since_dates(facts.today)]),
        Row(
            "Atom feeds",
            ["/feeds/actions.atom", "/feeds/status-changes.atom"]
            + [f"/recommendations/{MEETING}/{n}/{feed}.atom" for n in numbers[:5] for feed in _FEEDS]
            + [f"/actors/{code}/{feed}.atom" for code in facts.governments[:5] for feed in _FEEDS],
        ),
        Row("/api/v1/recommendations/", ["/api/v1/recommendations/"]),
        Row("/api/v1/actions/?actor=", [f"/api/v1/actions/?actor={code}" for code in facts.governments]),
        Row("/api/v1/statuses/", ["/api/v1/statuses/"]),
        Row("/api/v1/actors/", ["/api/v1/actors/"]),
        Row("/api/v1/themes/", ["/api/v1/themes/"]),
        Row(
            "/actions/export.csv, filtered",
            [
                f"/actions/export.csv?{urlencode({'actor': code, 'theme': theme, 'status': status})}"
                for code in facts.governments[:4]
                for theme in facts.theme_ids[:2]
                for status in facts.statuses[:3]
            ],
        ),
        Row("/recommendations/export.csv", [f"/recommendations/export.csv?meeting={MEETING}"]),
        Row("/actors/THA/brief.pdf", ["/actors/THA/brief.pdf"]),
        Row(f"/documents/{MEETING}/report.pdf", [f"/documents/{MEETING}/report.pdf"]),
    ]
    return rows


_FEEDS = ("actions", "status-changes")


def _since_dates(today: datetime.date) -> list[datetime.date]:
    days = [today - datetime.timedelta(days=n) for n in (7, 30, 365)] + [DIALOGUE]
    return [day for day in days if day >= WORKSHOP]


def mixed_paths(rows: list[Row], size: int = 200, seed: int = SEED) -> list[str]:
    """`size` addresses for the mixed phase's anonymous visitors, each kind of page in
    MIXED_WEIGHTS as often as its weight says."""
    # Which addresses, not a secret: the same mix on every run.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    total = sum(MIXED_WEIGHTS.values())
    paths = []
    for pattern, weight in MIXED_WEIGHTS.items():
        kind = [path for row in rows if re.fullmatch(pattern, row.name) for path in row.paths]
        rng.shuffle(kind)
        paths += [kind[number % len(kind)] for number in range(size * weight // total)]
    return paths


def selected(rows: list[Row], only: str | None) -> list[Row]:
    """The rows whose name matches --only (a regular expression), all without it."""
    if not only:
        return rows
    pattern = re.compile(only, re.IGNORECASE)
    return [row for row in rows if pattern.search(row.name)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1_000_000, help="demo actions in the database")
    parser.add_argument("--seconds", type=int, default=10, help="length of each row's measurement, per server")
    parser.add_argument("--mixed-seconds", type=int, default=30, help="length of the mixed phase, per server")
    parser.add_argument("--connections", type=int, default=8, help="wrk's concurrent connections for each row")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads for each row")
    parser.add_argument("--mixed-connections", type=int, default=16, help="concurrent clients in the mixed phase")
    parser.add_argument("--editors", type=int, default=4, help="of those, focal points editing their drafts")
    parser.add_argument("--publish-every", type=float, default=5, help="seconds between two publications")
    parser.add_argument("--before", metavar="REF", help="also measure this git ref, side by side")
    parser.add_argument("--only", metavar="PATTERN", help="measure only the rows whose name matches (and /healthz)")
    args = parser.parse_args()
    if not 1 <= args.editors <= min(FOCAL_POINTS, args.mixed_connections - 1):
        parser.error(f"--editors is between 1 and {min(FOCAL_POINTS, args.mixed_connections - 1)}")
    wrk = _find_wrk()

    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/apc_tracker_load")
    if not database_url.startswith("postgres"):
        sys.exit("The load test runs on PostgreSQL: set DATABASE_URL to a postgres:// address.")
    password = secrets.token_urlsafe(16)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no TLS to redirect to.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "apc_tracker.settings",
        # wrk's requests say they come through one proxy from a thousand addresses (see
        # loadtest.lua); the API's limits are raised besides, so that none is refused.
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "DJANGO_API_RATE": API_RATE,
        "DJANGO_API_TOKEN_RATE": API_RATE,
        # The publications' notices go nowhere.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    redis = _listening(6379)
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    _create_database(database_url)
    accounts, recommendation = _prepare(args.actions, password)
    rows = page_rows(_facts())
    chosen = selected(rows, args.only)
    run_mixed = not args.only or bool(re.search(args.only, "mixed", re.IGNORECASE))

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        servers = [Server("after", ROOT, _free_port())]
        try:
            if args.before:
                servers.insert(0, Server("before", _worktree(args.before, folder / "before"), _free_port()))
            for server in servers:
                _start(server, environment, redis, folder)
            _check(servers, chosen + ([Row("mixed", mixed_paths(rows))] if run_mixed else []))
            cookies = [_sign_in(servers[-1], username, password) for username, _ in accounts[: args.editors]]
            print(_heading(args, servers, redis), flush=True)
            with _publishing(args.publish_every) as published:
                _measure_rows(servers, chosen, wrk, args, folder)
                status = (
                    _mixed_phases(servers, rows, accounts, cookies, recommendation, wrk, args, folder)
                    if run_mixed
                    else 0
                )
            print(f"\nPublications during the run: {published['count']} (one every {args.publish_every:g} s)", end="")
            print(f", failed: {published['failed']}" if published["failed"] else "")
        finally:
            for server in servers:
                _stop(server)
            if args.before:
                _remove_worktree(folder / "before")
    return status


def _heading(args, servers: list[Server], redis: bool) -> str:
    checkouts = ", ".join(f"{server.label}: {_describe(server.root)}" for server in servers)
    return (
        f"\nLoad test on PostgreSQL, {args.actions:,} demo actions; gunicorn (gunicorn.conf.py) for each checkout "
        f"({checkouts}), {'Redis' if redis else 'local memory'} as the cache.\n"
        f"wrk -t{args.threads} -c{args.connections}, {args.seconds} s a row on each server in turn, "
        f"paths picked at random from each row's list, Accept-Encoding: gzip, br.\n"
        f"Requests come from 1,000 client addresses in X-Forwarded-For (DJANGO_TRUSTED_PROXY_COUNT=1); the API's "
        f"limits are raised for the run: DJANGO_API_RATE={API_RATE}, DJANGO_API_TOKEN_RATE={API_RATE}.\n"
        f"Errors: answers 4xx or 5xx and socket errors. Ratio: the row's requests/s over the same server's /healthz."
    )


def _describe(root: Path) -> str:
    commit = _git(["rev-parse", "--short", "HEAD"], cwd=root).strip()
    dirty = _git(["status", "--porcelain", "--untracked-files=no"], cwd=root).strip()
    return f"{commit}{' with uncommitted changes' if dirty else ''}"


def _measure_rows(servers: list[Server], rows: list[Row], wrk: str, args, folder: Path) -> None:
    anonymous = _lines(folder / "no-accounts", [])
    columns = "".join(f"{s.label + ' req/s':>14}{'p95 ms':>9}{'errors':>8}{'ratio':>7}" for s in servers)
    print(f"\n{'page':<42}{columns}", flush=True)
    for row in [Row("/healthz", ["/healthz"]), Row("static file (whitenoise)", []), *rows]:
        results = []
        for server in servers:
            paths = row.paths or [_static_path(server.root)]
            result = _wrk(wrk, server, [_lines(folder / "paths", paths), anonymous, "0", str(SEED)], args)
            if row.name == "/healthz":
                server.healthz = result
            results.append(result)
        cells = "".join(
            f"{_figure(result.rate):>14}{result.p95_ms:>9.0f}{result.errors:>8}{_ratio(result, server):>7}"
            for server, result in zip(servers, results, strict=True)
        )
        print(f"{_short(row.name, 41):<42}{cells}", flush=True)


def _figure(rate: float) -> str:
    """A rate to the unit, or to a tenth below ten (a PDF may take seconds)."""
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"


def _ratio(result: Result, server: Server) -> str:
    floor = server.healthz
    return f"{result.rate / floor.rate:.2f}" if floor and floor.rate else "-"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _mixed_phases(
    servers: list[Server], rows: list[Row], accounts, cookies: list[str], recommendation: int, wrk: str, args, folder
) -> int:
    """The mixed phase on each server; 1 when an edit was lost or saved twice."""
    public = _lines(folder / "mixed-paths", mixed_paths(rows))
    signed_in = _lines(
        folder / "accounts", [f"{pk}\t{cookie}" for (_, pk), cookie in zip(accounts, cookies, strict=False)]
    )
    editing = accounts[: args.editors]
    print(
        f"\nMixed phase: {args.mixed_connections} clients for {args.mixed_seconds} s on each server, "
        f"{args.editors} of them focal points signed in editing their own drafts (GET the form, POST it), "
        f"the others anonymous on the dashboard, the list, recommendations and filtered exports "
        f"(wrk -t{args.mixed_connections} -c{args.mixed_connections}). Target: >= 100 req/s, p95 <= 300 ms, no error."
    )
    status = 0
    for server in servers:
        versions = _versions(editing)
        command = [public, signed_in, str(recommendation), str(SEED)]
        output = _run_wrk(
            wrk,
            server,
            command,
            args.mixed_connections,
            args.mixed_connections,
            args.mixed_seconds,
        )
        _quiet()
        result, writes = parse_wrk(output), parse_edits(output)
        moved = sum(version - versions[pk] for pk, version in _settled(editing).items())
        # An edit still in flight when wrk stops may be saved without its answer being counted,
        # so the database may hold up to `attempted` edits, and never fewer than were confirmed.
        intact = writes["saved"] <= moved <= writes["attempted"] and not writes["failed"]
        status = status or (0 if intact else 1)
        print(
            f"  {server.label}: {result.rate:,.0f} req/s, p95 {result.p95_ms:.0f} ms, errors {result.errors}; "
            f"edits sent: {writes['attempted']}, confirmed saved: {writes['saved']}, conflicts: {writes['conflicts']}, "
            f"failed: {writes['failed']}; versions the database moved on: {moved} "
            f"({'no write lost or duplicated' if intact else 'WRITES LOST OR DUPLICATED'})",
            flush=True,
        )
    return status


def _settled(accounts: list[tuple[str, int]]) -> dict[int, int]:
    """The drafts' versions once the edits still in flight when wrk stopped are saved."""
    versions = _versions(accounts)
    for _ in range(20):
        time.sleep(0.5)
        versions, before = _versions(accounts), versions
        if versions == before:
            break
    return versions


def _wrk(wrk: str, server: Server, script_args: list[str], args) -> Result:
    result = parse_wrk(_run_wrk(wrk, server, script_args, args.threads, args.connections, args.seconds))
    _quiet()
    return result


# After a measurement, the machine counts as quiet again once its CPUs are this idle over a
# short window; it waits at most QUIET_SECONDS.
QUIET_IDLE = 0.85
QUIET_WINDOW = 0.5
QUIET_SECONDS = 30


def _quiet(stat: Path = Path("/proc/stat")) -> float:
    """Wait until the requests a server still has in hand when wrk stops are done, so that they
    do not weigh on the next measurement: a slow page's requests (and their queries) go on for
    seconds after their clients have gone. Read from /proc/stat; without it, no wait. Returns
    the seconds waited."""
    start = time.monotonic()
    if not stat.is_file():
        return 0.0
    deadline = start + QUIET_SECONDS
    while time.monotonic() < deadline:
        first = _cpu_times(stat)
        time.sleep(QUIET_WINDOW)
        second = _cpu_times(stat)
        total = sum(second) - sum(first)
        # idle and iowait, the fourth and fifth figures of the "cpu" line
        if total and (second[3] + second[4] - first[3] - first[4]) / total >= QUIET_IDLE:
            break
    return time.monotonic() - start


def _cpu_times(stat: Path) -> list[int]:
    return [int(figure) for figure in stat.read_text().split("\n", 1)[0].split()[1:]]


def _run_wrk(wrk: str, server: Server, script_args: list[str], threads: int, connections: int, seconds: int) -> str:
    """wrk's output for `seconds` of scripts/loadtest.lua with these arguments (see the script)."""
    # wrk found on the PATH, with this script's arguments and Lua script.
    completed = subprocess.run(  # nosec B603
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "scripts" / "loadtest.lua"),
            server.address("/"),
            "--",
            *script_args,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


def _lines(path: Path, lines: list[str]) -> str:
    """Writes the lines to a file for a Lua script; returns its name."""
    path.write_text("".join(f"{line}\n" for line in lines))
    return str(path)


def _find_wrk() -> str:
    """wrk on the PATH; installed with apt-get when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    apt_get = shutil.which("apt-get")
    if apt_get and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing wrk with apt-get…", flush=True)
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        # apt-get found on the PATH, installing one fixed package.
        subprocess.run([apt_get, "update", "-qq"], check=True, env=quiet)  # nosec B603
        subprocess.run([apt_get, "install", "-y", "-qq", "wrk"], check=True, env=quiet)  # nosec B603
        found = shutil.which("wrk")
    if not found:
        sys.exit("The load test needs wrk, the HTTP benchmarking tool: sudo apt-get install wrk (Debian, Ubuntu).")
    return found


def _prepare(actions: int, password: str) -> tuple[list[tuple[str, int]], int]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from recommendations.models import Actor, FocalPoint, FollowUpAction, Paragraph
    from recommendations.reporting.appointments import add_focal_point

    call_command("migrate", verbosity=0)
    call_command("load_workshop", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if FollowUpAction.objects.filter(is_demo=True).count() != actions:
        # The load-test accounts' drafts and publications belong to demo actors, which the demo data replaces.
        load_users = get_user_model().objects.filter(username__startswith="load-")
        FollowUpAction.objects.filter(created_by__in=load_users).delete()
        FocalPoint.objects.filter(user__in=load_users).delete()
        load_users.delete()
        print(f"Generating {actions:,} demo actions…", flush=True)
        call_command("generate_demo_data", "--actors", "40", "--actions", str(actions))
    recommendation = Paragraph.objects.get(meeting__code=MEETING, number=15)
    governments = list(Actor.objects.filter(is_demo=True, kind=Actor.Kind.GOVERNMENT).order_by("code")[:FOCAL_POINTS])
    accounts = []
    for number, actor in enumerate(governments, start=1):
        username = f"{USERNAME_PREFIX}{number}"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = add_focal_point(username=username, actor_code=actor.code, password=password).user
        else:
            user.set_password(password)
            user.save()
        action = _draft_for(user, actor, recommendation)
        accounts.append((username, action.pk))
    return accounts, recommendation.pk


def _draft_for(user, actor, recommendation):
    from recommendations.models import FollowUpAction
    from recommendations.reporting import workflow

    action = FollowUpAction.objects.filter(actor=actor, created_by=user, is_demo=False).first()
    if action is not None:
        return action
    data = workflow.ActionInput(
        content={
            "title": f"Load-test action of {user.username}",
            "status": "planned",
            "status_as_of": datetime.date(2006, 6, 1),
        },
        recommendations=[recommendation],
    )
    return workflow.create_action(actor=actor, user=user, data=data)


def _facts() -> Facts:
    from django.utils import timezone

    from recommendations.models import Actor, Paragraph, Status, Theme
    from recommendations.public.filters import SORTS

    themes = Theme.objects.filter(meeting__code=MEETING).order_by("position")
    return Facts(
        today=timezone.localdate(),
        governments=list(
            Actor.objects.filter(kind=Actor.Kind.GOVERNMENT).order_by("code").values_list("code", flat=True)
        ),
        addressees=list(Actor.objects.order_by("code").values_list("code", flat=True)),
        theme_ids=list(themes.values_list("pk", flat=True)),
        theme_positions=list(themes.values_list("position", flat=True)),
        recommendations=list(
            Paragraph.objects.filter(meeting__code=MEETING, is_tracked=True)
            .order_by("number")
            .values_list("number", flat=True)
        ),
        statuses=list(Status.values),
        sorts=list(SORTS),
    )


def _versions(accounts: list[tuple[str, int]]) -> dict[int, int]:
    from recommendations.models import FollowUpAction

    return dict(FollowUpAction.objects.filter(pk__in=[pk for _, pk in accounts]).values_list("pk", "version"))


class _publishing:
    """A thread that publishes an action through the reporting workflow every `every` seconds,
    as the secretariat would, so that the data changes while pages are measured."""

    def __init__(self, every: float):
        self.every = every
        self.stopping = threading.Event()
        self.counts = {"count": 0, "failed": 0}
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> dict[str, int]:
        self.thread.start()
        return self.counts

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join()

    def _run(self) -> None:
        from django.db import connection

        secretariat, actors, paragraphs = _publisher()
        # Which actor and recommendation, not a secret: the same sequence on every run.
        rng = random.Random(SEED)  # noqa: S311  # nosec B311
        try:
            while not self.stopping.wait(self.every):
                try:
                    _publish(secretariat, rng.choice(actors), rng.choice(paragraphs), rng)
                # Counted and the first one shown: the measurements go on.
                except Exception as error:
                    if not self.counts["failed"]:
                        print(f"A publication failed: {error!r}", file=sys.stderr, flush=True)
                    self.counts["failed"] += 1
                else:
                    self.counts["count"] += 1
        finally:
            connection.close()


def _publisher():
    """The secretariat account that publishes, as django-otp's middleware hands it to a view once
    signed in with both factors; the actors and recommendations it publishes actions of."""
    from django.contrib.auth import get_user_model
    from django_otp import middleware as otp_middleware
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from recommendations.models import Actor, Paragraph

    user = get_user_model().objects.filter(username=SECRETARIAT).first()
    if user is None:
        user = get_user_model().objects.create_superuser(SECRETARIAT, f"{SECRETARIAT}@example.org", None)
    user.otp_device = TOTPDevice.objects.get_or_create(user=user, name="Load test", defaults={"confirmed": True})[0]
    user.is_verified = functools.partial(otp_middleware.is_verified, user)
    actors = list(Actor.objects.filter(is_demo=True, kind=Actor.Kind.GOVERNMENT))
    paragraphs = list(Paragraph.objects.filter(meeting__code=MEETING, is_tracked=True))
    return user, actors, paragraphs


def _publish(secretariat, actor, paragraph, rng: random.Random) -> None:
    from recommendations.models import Status
    from recommendations.reporting import workflow

    data = workflow.ActionInput(
        content={
            "title": f"Load-test publication for {actor.code}",
            "status": rng.choice(Status.values),
            "status_as_of": datetime.date(2006, 6, 1) + datetime.timedelta(days=rng.randrange(7000)),
        },
        recommendations=[paragraph],
    )
    action = workflow.create_action(actor=actor, user=secretariat, data=data)
    workflow.submit(action=action, user=secretariat, version=action.version)
    workflow.approve(action=action, user=secretariat)


def _worktree(ref: str, path: Path) -> Path:
    """A detached worktree of `ref` with its static files collected, for the "before" server."""
    _git(["worktree", "add", "--detach", "--quiet", str(path), ref], cwd=ROOT)
    # This Python, on the ref's own manage.py.
    subprocess.run(  # nosec B603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=path, check=True
    )
    return path


def _remove_worktree(path: Path) -> None:
    if path.exists():
        _git(["worktree", "remove", "--force", str(path)], cwd=ROOT)


def _git(arguments: list[str], cwd: Path) -> str:
    # git found on the PATH; the ref given is one argument, never a shell's.
    return subprocess.run(  # nosec B603
        [shutil.which("git") or "git", *arguments], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def _start(server: Server, environment: dict, with_redis: bool, folder: Path) -> None:
    env = {**environment, "GUNICORN_BIND": f"127.0.0.1:{server.port}"}
    if with_redis:
        import redis

        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{REDIS_DATABASES[server.label]}"
        # Each server starts with an empty cache of its own.
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    server.log = folder / f"{server.label}.log"
    with server.log.open("w") as log:
        # The venv's gunicorn, with the checkout's own gunicorn.conf.py.
        server.process = subprocess.Popen(  # nosec B603
            [BIN / "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=server.root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    _wait_for(server.port)


def _stop(server: Server) -> None:
    if server.process is not None:
        server.process.terminate()
        server.process.wait(timeout=60)


def _check(servers: list[Server], rows: list[Row]) -> None:
    """Every address measured answers 200 on every server, and the exports stay within their size."""
    paths = list(dict.fromkeys(path for row in rows for path in row.paths))
    print(f"Checking that {len(paths)} addresses answer 200 on {len(servers)} server(s)…", flush=True)

    def problem(server: Server, path: str) -> str | None:
        status, body = _get(server, path)
        if status != 200:
            return f"{server.label} {path}: {status}"
        if "export.csv" in path and _csv_rows(body) > EXPORT_MAX_ROWS:
            return f"{server.label} {path}: more than {EXPORT_MAX_ROWS:,} rows"
        return None

    addresses = [(server, path) for server in servers for path in [_static_path(server.root), *paths]]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        failures = [found for found in pool.map(lambda address: problem(*address), addresses) if found]
    if failures:
        for server in servers:
            print(f"--- {server.label}'s log ---\n{server.log.read_text()[-3000:]}", file=sys.stderr)
        sys.exit("These addresses do not answer 200:\n  " + "\n  ".join(failures))


def _csv_rows(body: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1


def _get(server: Server, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _sign_in(server: Server, username: str, password: str) -> str:
    """Signs in through the form, as a browser does; returns the Cookie header of the session."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request("GET", "/accounts/login/")
        page = connection.getresponse()
        cookies = _cookies(page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())[1]
    finally:
        connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request(
            "POST",
            "/accounts/login/",
            body=urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(cookies)},
        )
        answer = connection.getresponse()
        answer.read()
        if answer.status != 302:
            sys.exit(f"Signing in as {username} answered {answer.status}, not a redirect.")
        cookies.update(_cookies(answer))
    finally:
        connection.close()
    return _cookie_header(cookies)


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    # The app marks its cookies Secure, which a cookie jar keeps from plain HTTP on loopback.
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _static_path(root: Path) -> str:
    """The stylesheet under its hashed name, as the pages link it, from the checkout's manifest."""
    manifest = json.loads((root / "staticfiles" / "staticfiles.json").read_text())
    return f"/static/{manifest['paths']['recommendations/site.css']}"


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    for _ in range(300):
        if _listening(port):
            return
        time.sleep(0.1)
    sys.exit("gunicorn did not start.")


if __name__ == "__main__":
    sys.exit(main())
