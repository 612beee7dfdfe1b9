"""Whole public pages from the shared cache, for the crowd that follows one link at once.

A view wrapped in `cached_page` answers an anonymous GET or HEAD from the cache while the data
version (see progress.freshness) is the one its entry was made under: one query for the
version and one cache read, instead of the view's queries and templates. A page that shows only
some parts of the data (one actor's, one recommendation's) says so while it is made
(`shows_only`): its entry is then kept while those parts and the whole stay as they were, so
that a publication for one actor leaves the other actors' pages as they are. The key is the address
with its parameters in a fixed order (`?a=1&b=2` and `?b=2&a=1` share an entry), the host and
scheme the page's links are made with, the language and today's date (pages read "today" by
default). It holds no data version: each address has one entry, replaced when the data
changes, so old versions do not pile up in the cache.

A request that carries a session or messages cookie, or an API token, is never answered from
the cache nor stored: it may be shown who is signed in, and it is the secretariat's and the
focal points' own. A response is stored only when any visitor could be given it: a 200, no
cookie set, nothing that says private or not to store it, and a `Vary` of headers that the key
or the middleware already account for. A streamed export is sent as it is made and stored once
complete, if it stays under `MAX_STREAM_BYTES`: filtered exports are then served from the cache,
full dumps keep their first bytes early and are answered by their ETag.

When the data changes, one request per address makes the page again (it holds a short lock in
the cache), and at most `PAGE_REBUILDS_AT_ONCE` such requests across the site at a time (each
takes a worker); meanwhile the others are given the page as it was. A page never made yet is
made by one request while the others wait for it a short while, then make it themselves. A
cache that does not answer holds no lock: every request renders its own page, as without a
cache.

Each such page carries an ETag and Last-Modified from the data version and is answered with 304
when the visitor holds it. HTML, JSON, feeds, CSV and PDF go compressed (Brotli or gzip) to
browsers that accept it, compressed once when stored. Pages for signed-in people are sent as
they are: they carry a CSRF token and personal data, the secrets a BREACH attack guesses from
compressed sizes, and they are few.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from ..models import DataPart, DataVersion
from ..progress.freshness import data_version, parts_of, remember_parts

# An entry outlives any data version that lasts a week without a visit; Redis evicts the least
# used entries before that when its memory is full (README: maxmemory).
ENTRY_SECONDS = 7 * 24 * 60 * 60
# The longest a page takes to render under load: a rebuild's lock lapses after it, should the
# request holding it die.
LOCK_SECONDS = 30
# How long a request waits for the page another request is rendering, when there is no earlier
# page to give, and how often it looks.
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.05
# A streamed export up to this size is stored once sent: 10,000 rows of any export fit.
MAX_STREAM_BYTES = 8 * 1024 * 1024

# PDFs too: the report's tagged structure (what screen readers read) is stored uncompressed by
# Typst, and Brotli sends it in less than half the bytes.
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/atom+xml",
    "application/xml",
    "image/svg+xml",
    "application/pdf",
)
# Below this, compressing saves less than the headers it adds.
MIN_COMPRESS_BYTES = 512
ENCODINGS = ("br", "gzip")
# A page is compressed when it is stored, not per request, so the cost is paid once per data
# version, but by a request that makes the page again. Brotli at 5 compresses smaller than gzip
# at 6; gzip at 4 is about three times as fast as at 6 on the pages with a map, for a few percent
# more bytes, and serves only the browsers without Brotli.
BROTLI_QUALITY = 5
GZIP_LEVEL = 4
# Headers the key or the middleware around the views already account for.
VARY_COVERED = {"cookie", "accept-encoding", "origin"}
# Headers made afresh for each answer rather than replayed from the entry.
NOT_REPLAYED = {"content-length", "content-encoding", "date", "set-cookie"}


@dataclass
class Entry:
    """A page as stored for one encoding ("" for as it is): under which version, its headers and body.

    `parts`, for a page that shows only some parts of the data, holds their generations then; the
    entry's generation is theirs together rather than the data version's.
    """

    generation: str
    headers: list[tuple[str, str]]
    body: bytes
    encoding: str
    parts: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class PartsVersion:
    """The version of a page that shows only some parts of the data: their generations, the
    whole's among them, and when the latest of them changed."""

    parts: tuple[tuple[str, str], ...]
    changed_at: datetime.datetime

    @property
    def generation(self) -> str:
        return hashlib.sha256(repr(self.parts).encode()).hexdigest()[:32]


def shows_only(request: HttpRequest, *parts: str) -> None:
    """Say that the page being made shows these parts of the data (models.DataPart) and nothing
    else that changes but the whole's: its entry is kept until one of them changes.

    Their versions are read now, in one query with the data version. If the data changed since
    the request first read its version, what the page read before this call may be older than
    those parts: it is then stored under the data version read first, as any page.
    """
    if not getattr(request, "_made_for_cache", False):
        return
    names = {DataPart.WHOLE, *parts}
    now, found = DataPart.objects.read_with_data_version(names)
    version = data_version(request)
    if now is None or now.generation != version.generation:
        return
    generations = {name: found[name].generation if name in found else "" for name in names}
    # What the page reads of these parts while it is made (its chart's key) then costs no query.
    remember_parts(request, generations)
    request._page_version = PartsVersion(
        tuple(sorted(generations.items())),
        max((part.changed_at for part in found.values()), default=version.changed_at),
    )


def is_cacheable_request(request: HttpRequest) -> bool:
    """Whether the request may be answered with a page any anonymous visitor would get."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "authorization" not in request.headers
    )


def cache_key(request: HttpRequest) -> str:
    parameters = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{request.scheme}://{request.get_host()}{request.path_info}?{parameters}"
    variant = f"{address}|{translation.get_language()}|{timezone.localdate().isoformat()}|{release()}"
    return "page:" + hashlib.sha256(variant.encode()).hexdigest()


# What a page is made from besides the data: the code, the templates, and the static files' names.
RELEASE_SOURCES = ("apc_tracker", "recommendations", "templates")
RELEASE_SUFFIXES = (".py", ".html", ".json", ".txt", ".xml")


@functools.cache
def release() -> str:
    """A fingerprint of this release, so that pages made by another (before an upgrade, or by a
    server not yet upgraded) are not served by this one; read once per process."""
    digest = hashlib.sha256()
    files = sorted(
        path
        for source in RELEASE_SOURCES
        for path in (settings.BASE_DIR / source).rglob("*")
        if path.suffix in RELEASE_SUFFIXES and path.is_file()
    )
    for path in files:
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def is_storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    varies = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    return varies <= VARY_COVERED


def accepted_encoding(request: HttpRequest) -> str:
    """ "br", "gzip" or "" (as it is): the best the request accepts."""
    accepted = set()
    for part in request.headers.get("accept-encoding", "").split(","):
        name, _, parameters = part.partition(";")
        quality = parameters.strip().lower().removeprefix("q=")
        refused = bool(parameters) and quality.strip("0.") == ""
        if name.strip() and not refused:
            accepted.add(name.strip().lower())
    return next((encoding for encoding in ENCODINGS if encoding in accepted or "*" in accepted), "")


def compressed(content: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY)
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def mark_version(response: HttpResponse, version: DataVersion, key: str) -> None:
    """Give a public page the ETag and Last-Modified of the data version, unless its view gave its own.

    The ETag names the address too, as pages differ under one version. A visitor is told to ask
    again each time (`no-cache`): the answer is a 304 while nothing has changed.
    """
    if not response.has_header("ETag"):
        response["ETag"] = f'W/"{version.generation[:16]}-{key[-16:]}"'
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(int(version.changed_at.timestamp()))
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = "no-cache"


def entries_of(headers: list[tuple[str, str]], content: bytes, version, encodings) -> dict[str, Entry]:
    """The page as stored for each of `encodings`, its body compressed once for each when it is worth it.

    Each encoding has its own entry, so that a visitor's answer reads from the cache the body it
    is sent and no other; a body not worth compressing is stored as it is for each.
    """
    generation, parts = version.generation, getattr(version, "parts", None)
    content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
    if not (content_type.startswith(COMPRESSIBLE) and len(content) >= MIN_COMPRESS_BYTES):
        return {encoding: Entry(generation, headers, content, "", parts) for encoding in encodings}
    varies = [name.strip() for key, value in headers if key.lower() == "vary" for name in value.split(",")]
    vary = ", ".join(dict.fromkeys([*varies, "Accept-Encoding"]))
    headers = [(name, value) for name, value in headers if name.lower() != "vary"] + [("Vary", vary)]
    return {
        encoding: Entry(generation, headers, compressed(content, encoding) if encoding else content, encoding, parts)
        for encoding in encodings
    }


def response_of(entry: Entry) -> HttpResponse:
    response = HttpResponse(entry.body)
    for name, value in entry.headers:
        response[name] = value
    if entry.encoding:
        response["Content-Encoding"] = entry.encoding
    return response


class RecentPages:
    """The pages this process served last, in its own memory, up to `limit` bytes of bodies.

    A page read from Redis is copied here, so that the next answers of the same page by this
    process need no transfer of its body; an entry is used only under the version it was made
    for, which each request reads from the database (`is_current`), so this layer is never
    staler than the shared cache. The least recently used go first.
    """

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        if len(entry.body) > self.limit // 4:
            return
        with self.lock:
            if key in self.entries:
                self.size -= len(self.entries.pop(key).body)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.size > self.limit:
                self.size -= len(self.entries.popitem(last=False)[1].body)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


# Per process: with five workers on a server, 160 MB at most, about 400 pages compressed.
recent = RecentPages(limit=32 * 1024 * 1024)


def _store(key: str, entries: dict[str, Entry]) -> None:
    cache.set_many({f"{key}:{encoding}": entry for encoding, entry in entries.items()}, ENTRY_SECONDS)


def _replayed_headers(response: HttpResponse) -> list[tuple[str, str]]:
    return [(name, value) for name, value in response.items() if name.lower() not in NOT_REPLAYED]


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view's anonymous answers kept in the cache until the data changes (see above)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_cacheable_request(request):
            return view(request, *args, **kwargs)
        key = cache_key(request)
        encoding = accepted_encoding(request)
        stored = f"{key}:{encoding}"

        def made(locks: tuple[str, ...]) -> HttpResponse:
            # Read before the view reads anything: the page is no older than the version it is stored under.
            version = data_version(request)
            request._made_for_cache = True
            response = view(request, *args, **kwargs)
            version = getattr(request, "_page_version", version)
            return _render(response, request, version, key, encoding, locks=locks)

        entry = recent.get(stored)
        if entry is not None and is_current(request, entry):
            return _answer(request, response_of(entry))
        entry = cache.get(stored)
        if entry is not None and is_current(request, entry):
            recent.put(stored, entry)
            return _answer(request, response_of(entry))
        lock = f"{key}:rebuild"
        if entry is None:
            if cache.add(lock, True, LOCK_SECONDS):
                return made((lock,))
            waited = _wait_for(request, stored, lock)
            return _answer(request, response_of(waited)) if waited is not None else made(())
        # The data changed since the page was made: one request makes it again, when few others
        # are making pages; meanwhile the others get the page as it was.
        locks = _rebuild_locks(lock)
        return made(locks) if locks else _answer(request, response_of(entry))

    return wrapped


def is_current(request: HttpRequest, entry: Entry) -> bool:
    """Whether the entry was made under the version of the data it shows: the data version's,
    or for a page that shows only some parts, theirs (read at most once per request).

    While the database cannot be reached, a page that shows some parts is served as it was:
    it is what the public saw last (pages under the data version are, by the last one read).
    """
    if entry.parts is None:
        return entry.generation == data_version(request).generation
    try:
        current = parts_of(request, [name for name, _ in entry.parts])
    except (OperationalError, InterfaceError):
        return True
    return all(current[name] == generation for name, generation in entry.parts)


def _rebuild_locks(lock: str) -> tuple[str, ...]:
    """The page's lock and one of the site's rebuild slots when both are free, taken; else none.

    A change to the data makes every page stale at once: the slots keep the pages being made
    again to a few at a time, so that the servers' workers keep answering from the cache.
    """
    if not cache.add(lock, True, LOCK_SECONDS):
        return ()
    for slot in range(settings.PAGE_REBUILDS_AT_ONCE):
        if cache.add(f"page-rebuild-slot:{slot}", True, LOCK_SECONDS):
            return (lock, f"page-rebuild-slot:{slot}")
    cache.delete(lock)
    return ()


def _render(
    response: HttpResponse,
    request: HttpRequest,
    version: DataVersion | PartsVersion,
    key: str,
    encoding: str,
    *,
    locks: tuple,
) -> HttpResponse:
    """The view's fresh response, stored when this request holds the page's lock, which it then lets go."""
    if isinstance(response, SimpleTemplateResponse):
        # The API's responses are rendered after the view; the body is needed now.
        response.render()
    if not is_storable(response):
        _release(locks)
        return response
    mark_version(response, version, key)
    if response.streaming:
        answer = _answer(request, response)
        if answer is not response:
            _release(locks)
            response.close()
            return answer
        return _streamed(response, version, key, locks)
    encodings = ("", *ENCODINGS) if locks else (encoding,)
    entries = entries_of(_replayed_headers(response), response.content, version, encodings)
    if locks:
        _store(key, entries)
        _release(locks)
    return _answer(request, response_of(entries[encoding]))


def _streamed(response: StreamingHttpResponse, version, key: str, locks: tuple) -> StreamingHttpResponse:
    """The stream as it is made, stored once complete when this request holds the lock and it is small enough."""
    headers = _replayed_headers(response)
    streamed = StreamingHttpResponse(_Tee(response, headers, version, key, locks))
    for name, value in headers:
        streamed[name] = value
    return streamed


class _Tee:
    """A streamed response's chunks, passed on and kept; stored when the last has been sent.

    Closed by the server when the answer ends, sent whole or not: the locks are let go then.
    """

    def __init__(self, response: StreamingHttpResponse, headers, version, key: str, locks: tuple):
        self.response, self.headers, self.version, self.key, self.locks = response, headers, version, key, locks
        self.kept: list[bytes] | None = [] if locks else None
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.response.streaming_content:
            if self.kept is not None:
                self.kept.append(chunk)
                self.size += len(chunk)
                if self.size > MAX_STREAM_BYTES:
                    self.kept = None
            yield chunk
        if self.kept is not None:
            _store(self.key, entries_of(self.headers, b"".join(self.kept), self.version, ("", *ENCODINGS)))

    def close(self) -> None:
        _release(self.locks)
        self.response.close()


def _release(locks: tuple) -> None:
    if locks:
        cache.delete_many(locks)


def _wait_for(request: HttpRequest, key: str, lock: str) -> Entry | None:
    """The page another request is rendering, once stored under the current version; None if it
    does not come in time, or if no request holds the lock (the cache does not answer)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while cache.has_key(lock) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = cache.get(key)
        if entry is not None and is_current(request, entry):
            return entry
    return None


def _answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The response, or 304 when the visitor holds it already."""
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )
