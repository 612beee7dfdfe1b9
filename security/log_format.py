"""The log formats (LOGGING in the settings), which keep one record on one line whatever it holds.

A logged value can come from a visitor: a username typed at sign-in, a path, a header. Written
as it is, the username "alice\\nINFO security: signed in" would forge a record of its own, and an
escape sequence would rewrite a terminal. Both formats escape every control character in the
message and in each extra field: C0 and C1 characters, DEL, and the Unicode line and paragraph
separators, as \\n, \\r, \\t, \\xNN or \\uNNNN.
"""

from __future__ import annotations

import copy
import logging
import re

from pythonjsonlogger import json

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What every record has; anything else was passed to the logger as `extra`.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _escaped(match: re.Match) -> str:
    character = match[0]
    code = ord(character)
    return _NAMED.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape(text: str) -> str:
    return _CONTROL.sub(_escaped, text)


class _EscapingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # A copy: other handlers get the record as it was logged.
        record = copy.copy(record)
        record.msg, record.args = escape(record.getMessage()), ()
        # Formatted afresh, as this formatter writes a traceback.
        record.exc_text = None
        for field, value in list(vars(record).items()):
            if field not in _RECORD_FIELDS and isinstance(value, str):
                setattr(record, field, escape(value))
        return super().format(record)


class TextFormatter(_EscapingFormatter):
    """Readable lines; each line of a traceback is indented, so that none can pass for a record."""

    def formatException(self, ei) -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(super().formatStack(stack_info))


class JsonFormatter(_EscapingFormatter, json.JsonFormatter):
    """One JSON object per line, its values escaped as the text format's are."""


def _indented(text: str) -> str:
    return "\n".join(f"    {escape(line)}" for line in text.split("\n"))
