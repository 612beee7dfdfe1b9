"""Several processes write follow-up actions to one SQLite database at once.

Shows that the SQLite settings (WAL, IMMEDIATE transactions, busy timeout) let concurrent
writers wait their turn instead of failing with "database is locked":

    .venv/bin/python scripts/sqlite_writers.py --writers 5 --seconds 120

Prints, per writer, the actions written and the errors met, and exits 1 on any error.
"""

import argparse
import datetime
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="apc_tracker.settings", DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{database}"
    )
    import django

    django.setup()


def write(database: Path, seconds: float, results) -> None:
    setup(database)
    from django.db import OperationalError

    from recommendations.models import Actor, FollowUpAction, Paragraph
    from recommendations.progress.statuses import refresh_implementation_statuses, status_pairs

    actor = Actor.objects.get(code="THA")
    paragraphs = list(Paragraph.objects.tracked())
    written = errors = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            action = FollowUpAction(
                actor=actor, title="Concurrent write", status="in_progress", status_as_of=datetime.date(2006, 6, 1)
            )
            action.publish()
            action.save()
            action.recommendations.add(paragraphs[written % len(paragraphs)])
            refresh_implementation_statuses(status_pairs(action))
            written += 1
        except OperationalError as error:
            errors += 1
            print(f"writer {os.getpid()}: {error}", file=sys.stderr)
    results.put((os.getpid(), written, errors))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "writers.sqlite3"
        setup(database)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_workshop", verbosity=0)
        from django.db import connections

        connections.close_all()  # each writer opens its own connection
        results = multiprocessing.Queue()
        writers = [
            multiprocessing.Process(target=write, args=(database, args.seconds, results)) for _ in range(args.writers)
        ]
        for writer in writers:
            writer.start()
        outcomes = [results.get() for _ in writers]
        for writer in writers:
            writer.join()
    total_errors = sum(errors for _, _, errors in outcomes)
    for pid, written, errors in sorted(outcomes):
        print(f"writer {pid}: {written} actions written, {errors} errors")
    print(
        f"{args.writers} writers, {args.seconds:g} s: {sum(w for _, w, _ in outcomes)} actions, {total_errors} errors"
    )
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
