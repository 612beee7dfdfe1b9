"""`make run` tells the app the address it serves, so that links in mail lead there."""

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]


def runserver_command(*arguments: str, **env: str) -> list[str]:
    """The command `make run` would start the server with, as make prints it without running anything."""
    if shutil.which("make") is None:
        skip_or_fail("no make on this machine")
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_SITE_URL"}
    environment.update(env)
    result = subprocess.run(
        ["make", "--dry-run", "run", *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return next(shlex.split(line) for line in result.stdout.splitlines() if " runserver " in line)


def test_links_in_mail_lead_to_the_port_make_run_serves():
    command = runserver_command("PORT=8101")
    assert command[0] == "DJANGO_SITE_URL=http://127.0.0.1:8101"
    assert command[-2:] == ["runserver", "127.0.0.1:8101"]


def test_a_site_url_set_by_the_user_is_kept():
    command = runserver_command("PORT=8101", DJANGO_SITE_URL="https://apc.example.org")
    assert command[0] == "DJANGO_SITE_URL=https://apc.example.org"
