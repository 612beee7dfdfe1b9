"""Every link of the public site lands on its page and its anchor, and every page is valid HTML.

The crawl starts on the dashboard and a few other pages, with the data `make run` loads; it
requests every same-site link it finds (exports too, without reading them), and reads the
links of a few pages of each kind (URL pattern and query parameters), so that it stays short.
The pages it reads and the signed-in workspace and review pages go to the Nu HTML checker,
all in one run of Java.
"""

import collections
import json
import shutil
import subprocess
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import resolve

from tests.conftest import skip_or_fail

from .conftest import session_cookie

# The checker the Makefile's test setup installs with npm (vnu-jar); it runs on Java.
VNU_JAR = Path(settings.BASE_DIR) / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES_READ_PER_KIND = 3
# Pages of a kind the crawl might not read: a group's page, filtered lists (one with a filter
# the list ignores), pages showing the actions published through the workflow, every status
# change, and a chart marking the date its page is read as of.
STARTS = [
    "/",
    "/actors/ALL-STATES/",
    "/actors/THA/",
    "/recommendations/bangkok-2006/12/",
    "/recommendations/?q=migrant+workers",
    "/recommendations/?theme=2&status=completed&sort=-progress",
    "/recommendations/?addressee=ALL-STATES&actor=THA&tracked=yes",
    "/recommendations/?status=finished",
    "/changes/?since=2006-04-26",
    "/actors/THA/?as_of=2006-09-14&record=1",
    "/?as_of=2006-09-14&record=1",
    "/recommendations/?as_of=2006-09-14&status=completed",
    "/actors/THA/?as_of=2006-09-14",
]


class Links(HTMLParser):
    """The ids of a page's elements and the addresses its links lead to."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])


def get(base: str, url: str, cookie: str = "") -> tuple[int, str]:
    # The test's own live server, over HTTP.
    request = urllib.request.Request(base + url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            body = response.read()
            return response.status, body.decode() if response.headers.get_content_type() == "text/html" else ""
    except urllib.error.HTTPError as error:
        return error.code, ""


def kind(url: str) -> tuple[str, frozenset[str]]:
    parts = urlsplit(url)
    return resolve(parts.path).route, frozenset(parse_qs(parts.query))


def crawl(base: str, starts: list[str]) -> tuple[dict[str, str], list[str]]:
    """The pages whose links were read, by address, and what was wrong with the links."""
    queue, seen = collections.deque(starts), set(starts)
    ids: dict[str, set[str]] = {}
    anchors: list[tuple[str, str, str]] = []
    read: dict[str, str] = {}
    kinds: collections.Counter = collections.Counter()
    problems = []
    while queue:
        url = queue.popleft()
        status, html = get(base, url)
        if status >= 400:
            problems.append(f"{url} answers {status}")
        if not html:
            continue
        links = Links()
        links.feed(html)
        ids[url] = links.ids
        if kinds[kind(url)] >= PAGES_READ_PER_KIND and url not in starts:
            continue
        kinds[kind(url)] += 1
        read[url] = html
        for href in links.hrefs:
            target = urlsplit(urljoin(base + url, href))
            if f"{target.scheme}://{target.netloc}" != base:
                continue
            address = target.path + (f"?{target.query}" if target.query else "")
            if target.fragment:
                anchors.append((url, address, target.fragment))
            if address not in seen:
                seen.add(address)
                queue.append(address)
    problems += [
        f"{page} links to #{fragment} on {address}, which has no element with that id"
        for page, address, fragment in anchors
        if address in ids and fragment not in ids[address]
    ]
    return read, problems


def html_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """What the Nu HTML checker finds wrong in `pages`, checked together in one run of Java."""
    names = {}
    for number, (url, html) in enumerate(pages.items()):
        path = folder / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = url
    result = subprocess.run(
        [
            shutil.which("java"),
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *map(str, sorted(folder.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    problems = []
    for message in json.loads(result.stderr)["messages"]:
        page = names.get(Path(urlsplit(message.get("url", "")).path).name, message.get("url"))
        extract = message.get("extract", "").strip()
        problems.append(f"{page} line {message.get('lastLine')}: {message['message']} ({extract})")
    return problems


@pytest.fixture
def nu_checker():
    """The Nu HTML checker is there to run, or the test is skipped (in CI, failed)."""
    if shutil.which("java") is None:
        skip_or_fail("no Java to run the Nu HTML checker: install it (Debian: apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        skip_or_fail(f"no Nu HTML checker at {VNU_JAR}: run make test, or npm install --prefix .venv/vnu vnu-jar")


def test_every_link_lands_and_every_page_is_valid_html(nu_checker, live_server, workflow_records, tmp_path):
    pages, problems = crawl(live_server.url, [*STARTS, f"/actions/{workflow_records.updated.pk}/"])
    for user, urls in [
        (
            workflow_records.focal_point,
            [
                "/my/",
                "/my/actions/new/",
                f"/my/actions/{workflow_records.updated.pk}/",
                f"/my/actions/{workflow_records.returned.pk}/",
                f"/my/actions/{workflow_records.returned.pk}/edit/",
                "/my/tokens/",
            ],
        ),
        (
            workflow_records.secretariat,
            [
                "/review/",
                "/review/?show=all",
                f"/review/actions/{workflow_records.updated.pk}/",
                f"/review/actions/{workflow_records.submitted.pk}/",
                f"/review/rounds/{workflow_records.round.pk}/",
            ],
        ),
    ]:
        cookie = session_cookie(user)
        for url in urls:
            status, pages[f"{url} (signed in as {user})"] = get(live_server.url, url, cookie)
            if status != 200:
                problems.append(f"{url} answers {status} to {user}")
    problems += html_errors(pages, tmp_path)
    assert problems == [], "\n".join(problems)
