"""The site's PDFs: an actor's country brief and the regional report to the Dialogue.

Typst (the `typst` package, which installs from PyPI with its engine inside) sets them from the
`.typ` sources beside this module, in the Noto fonts of `vendor/fonts/`. Everything the page
shows is handed over as JSON in `sys.inputs` and placed as text, never read as markup, so a
name holding `#`, `$`, `*`, `_` or brackets prints as written and cannot change the document.
A PDF is made on request and cached under the data version and the reading it shows.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import typst
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

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
