"""The site's PDFs: an actor's country brief and the regional report to the Dialogue.

Typst (the `typst` package, which installs from PyPI with its engine inside) sets them from the
`.typ` sources beside this module, in the Noto fonts of `vendor/fonts/`. Everything the page
shows is handed over as JSON in `sys.inputs` and placed as text, never read as markup, so a
name holding `#`, `$`, `*`, `_` or brackets prints as written and cannot change the document.
A PDF is made on request and cached under the data version and the reading it shows.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import typst
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from ...progress.history import Reading

FONTS = Path(settings.BASE_DIR) / "vendor" / "fonts"
SOURCES = Path(__file__).parent
# One engine per process, whose fonts are read once; it compiles one document at a time.
_engine: typst.Compiler | None = None
_engine_lock = threading.Lock()


def _compile(source: str, data: dict, files: dict[str, str]) -> bytes:
    global _engine
    inputs = {"data": json.dumps(data, ensure_ascii=False), **files}
    with _engine_lock:
        if _engine is None:
            _engine = typst.Compiler(root=str(SOURCES), font_paths=[str(FONTS)], ignore_system_fonts=True)
        return _engine.compile(input=str(SOURCES / source), format="pdf", sys_inputs=inputs)


@dataclass
class Paper:
    """A PDF to make: its Typst source, the data it shows and any SVG images it embeds."""

    source: str
    data: dict
    images: dict[str, str] = field(default_factory=dict)

    def pdf(self) -> bytes:
        return _compile(self.source, self.data, self.images)


def cached_pdf(parts: tuple[str, ...], make) -> bytes:
    """The PDF cached under `parts` (which name the data version and reading), made by `make()` if absent."""
    key = "paper-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = make().pdf()
        cache.set(key, pdf, 24 * 3600)
    return pdf


def generated_at() -> str:
    return f"{timezone.now():%-d %B %Y, %H:%M} UTC"


def reading_text(reading: Reading) -> str:
    """Which statuses a PDF shows, as its header says."""
    if reading.is_today:
        return "Today's statuses, as the site shows them now"
    return f"Statuses {reading.label}"


def actions_on(actions: QuerySet, reading: Reading) -> QuerySet:
    """The published actions as they read now whose status holds on or before the reading's date,
    and, for the public record of that day, that had been published by the end of it (UTC)."""
    if reading.is_today:
        return actions
    actions = actions.filter(status_as_of__lte=reading.as_of)
    if reading.record:
        end = datetime.datetime.combine(reading.as_of + datetime.timedelta(days=1), datetime.time.min, datetime.UTC)
        actions = actions.filter(published_at__lt=end)
    return actions


def address(base_url: str, path: str, reading: Reading) -> str:
    """A page's permanent address with the reading it shows."""
    query = "&".join(f"{key}={value}" for key, value in reading.params.items())
    return f"{base_url}{path}{'?' + query if query else ''}"
