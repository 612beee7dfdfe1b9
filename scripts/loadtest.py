"""make loadtest: the production server on PostgreSQL under load from locust, on this machine.

    .venv/bin/python scripts/loadtest.py [--actions 1000000] [--seconds 60] [--users 40]

Prepares a PostgreSQL database (DATABASE_URL, by default apc_tracker_load on the local
server) with the workshop, the demo volume of published actions and load-test focal points
with one draft each; starts gunicorn with production settings; then runs two phases of
locust from a second process on loopback:

1. the public dashboard alone;
2. mixed traffic: public pages and exports, and focal points signed in editing their drafts.

Prints requests per second, median and 95th-percentile latency and errors per phase and per
page, then checks that no edit was lost or saved twice.
"""

import argparse
import csv
import datetime
import json
import os
import secrets
import socket
import subprocess  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FOCAL_POINTS = 20
USERNAME_PREFIX = "load-focal-point-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1_000_000, help="demo actions in the database")
    parser.add_argument("--seconds", type=int, default=60, help="length of each phase")
    parser.add_argument("--users", type=int, default=30, help="simultaneous locust users")
    args = parser.parse_args()

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
    }
    if _listening(6379):
        environment["REDIS_URL"] = "redis://127.0.0.1:6379/13"
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    _create_database(database_url)
    accounts, recommendation = _prepare(args.actions, password)
    versions_before = _versions(accounts)

    port = _free_port()
    server = subprocess.Popen(  # nosec B603
        [BIN / "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        with tempfile.TemporaryDirectory() as folder:
            results = Path(folder)
            locust_env = {
                **environment,
                "LOADTEST_FOCAL_POINTS": json.dumps(accounts),
                "LOADTEST_PASSWORD": password,
                "LOADTEST_RECOMMENDATION": str(recommendation),
                "LOADTEST_RESULTS": str(results / "writes.json"),
            }
            host = f"http://127.0.0.1:{port}"
            dashboard = _locust(host, results / "dashboard", args, locust_env, ["DashboardVisitor"])
            mixed = _locust(host, results / "mixed", args, locust_env, ["PublicVisitor", "FocalPointEditor"])
            writes = json.loads((results / "writes.json").read_text())
    finally:
        server.terminate()
        server.wait(timeout=60)

    print(f"\nLoad test on PostgreSQL, {args.actions:,} demo actions, {args.users} users, {args.seconds} s per phase")
    print(f"{'phase':<28}{'requests':>10}{'req/s':>9}{'median ms':>11}{'p95 ms':>9}{'errors':>8}")
    for name, row in (("public dashboard", dashboard), ("mixed, focal points signed in", mixed)):
        print(
            f"{name:<28}{row['Request Count']:>10}{float(row['Requests/s']):>9.1f}"
            f"{row['Median Response Time']:>11}{row['95%']:>9}{row['Failure Count']:>8}"
        )
    moved = sum(version - versions_before[pk] for pk, version in _versions(accounts).items())
    # An edit still in flight when locust stops may be saved without its answer being counted,
    # so the database may hold up to `attempted` edits, and never fewer than were confirmed.
    intact = writes["saved"] <= moved <= writes["attempted"] and not writes["failed"]
    print(
        f"edits sent: {writes['attempted']}, confirmed saved: {writes['saved']}, conflicts: {writes['conflicts']}, "
        f"failed: {writes['failed']}; versions the database moved on: {moved} "
        f"({'no write lost or duplicated' if intact else 'WRITES LOST OR DUPLICATED'})"
    )
    return 0 if intact else 1


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
        # The load-test accounts and drafts belong to demo actors, which the demo data replaces.
        load_users = get_user_model().objects.filter(username__startswith=USERNAME_PREFIX)
        FollowUpAction.objects.filter(created_by__in=load_users).delete()
        FocalPoint.objects.filter(user__in=load_users).delete()
        load_users.delete()
        print(f"Generating {actions:,} demo actions…", flush=True)
        call_command("generate_demo_data", "--actors", "40", "--actions", str(actions))
    recommendation = Paragraph.objects.get(meeting__code="bangkok-2006", number=15)
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


def _versions(accounts: list[tuple[str, int]]) -> dict[int, int]:
    from recommendations.models import FollowUpAction

    return dict(FollowUpAction.objects.filter(pk__in=[pk for _, pk in accounts]).values_list("pk", "version"))


def _locust(host: str, prefix: Path, args, environment: dict, user_classes: list[str]) -> dict:
    print(f"Running {', '.join(user_classes)} for {args.seconds} s…", flush=True)
    subprocess.run(  # nosec B603
        [
            BIN / "locust",
            "-f",
            ROOT / "scripts" / "locustfile.py",
            "--headless",
            "--only-summary",
            "--host",
            host,
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            "--run-time",
            f"{args.seconds}s",
            "--csv",
            str(prefix),
            *user_classes,
        ],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    for row in rows:
        if row["Name"] != "Aggregated":
            print(f"  {row['Name']:<26}{row['Request Count']:>8}{row['Median Response Time']:>8} ms{row['95%']:>8} ms")
    return next(row for row in rows if row["Name"] == "Aggregated")


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
