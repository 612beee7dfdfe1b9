"""A logged value cannot forge a log line: control characters are escaped in both log formats."""

import json
import logging
import subprocess
import sys

import pytest

from security.log_format import JsonFormatter, TextFormatter
from tests.project.test_production_serving import ROOT, production_env

FORGER = "alice\nINFO security: forged"
# A failed sign-in, as the production settings log it.
SIGN_IN_AS_FORGER = (
    "import django; django.setup(); "
    "from django.core.management import call_command; call_command('migrate', verbosity=0); "
    "from django.test import Client; "
    f"Client().post('/accounts/login/', {{'username': {FORGER!r}, 'password': 'wrong'}}, secure=True)"
)


def test_a_username_with_a_newline_stays_on_its_line_in_the_text_log(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SIGN_IN_AS_FORGER],
        cwd=ROOT,
        env=production_env(DJANGO_LOG_FORMAT="text", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # One line, the username folded to lower case as the security log writes it.
    [line] = [line for line in result.stderr.splitlines() if "forged" in line]
    assert " INFO security: sign-in failed: user=alice\\ninfo security: forged address=127.0.0.1 " in line


CONTROLS = [
    ("\n", "\\n"),
    ("\r", "\\r"),
    ("\t", "\\t"),
    ("\x00", "\\x00"),
    ("\x1b[2J", "\\x1b[2J"),
    ("\x7f", "\\x7f"),
    ("\x85", "\\x85"),
    ("\x9b", "\\x9b"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
]


def record(message: str, *args, **extra) -> logging.LogRecord:
    logged = logging.makeLogRecord({"name": "security", "levelname": "INFO", "msg": message, "args": args})
    vars(logged).update(extra)
    return logged


@pytest.mark.parametrize(("control", "escaped"), CONTROLS)
def test_every_control_character_is_escaped_in_the_message_and_in_extra_fields(control, escaped):
    logged = record("user=%s", f"a{control}b", user=f"a{control}b")
    assert TextFormatter("%(message)s %(user)s").format(logged) == f"user=a{escaped}b a{escaped}b"
    written = JsonFormatter("%(message)s").format(logged)
    assert "\n" not in written
    assert json.loads(written) == {"message": f"user=a{escaped}b", "user": f"a{escaped}b"}
    assert logged.getMessage() == f"user=a{control}b"


def test_no_line_of_a_traceback_can_pass_for_a_record_in_the_text_log():
    try:
        raise ValueError(f"no such page: {FORGER}")
    except ValueError:
        logged = record("Internal Server Error: /", exc_info=sys.exc_info())
    first, *rest = TextFormatter("%(levelname)s %(name)s: %(message)s").format(logged).split("\n")
    assert first == "INFO security: Internal Server Error: /"
    assert rest and all(line.startswith("    ") for line in rest)
    assert rest[-2:] == ["    ValueError: no such page: alice", "    INFO security: forged"]
