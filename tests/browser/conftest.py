"""Real headless Chromium (the system's, never a downloaded one) driven by Playwright.

Browser tests use pytest-django's `live_server`, which serves the app from a thread on a free
local port, with the database shared with the test; its static files are served as in
production (see `live_server` below).
"""

import datetime
import os
import shutil
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from recommendations.models import Actor, FollowUpAction, Meeting, Paragraph, ReportingRound
from recommendations.reporting import workflow
from recommendations.reporting.appointments import add_focal_point
from tests.conftest import PASSWORD, one_time_code, sign_in_with_second_factor, skip_or_fail

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]
    return next((path for name in candidates if name and (path := shutil.which(name))), None)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with the stylesheets and scripts the pages ask for.

    Its own static handler looks files up in the source folders by their plain names, while the
    pages name the hashed copies collected for the session (whitenoise's manifest): every
    stylesheet and script would be a 404, and widths and contrast would be checked on unstyled
    pages. Without that handler the app's WhiteNoise middleware serves the collected files.
    """
    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address, start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        skip_or_fail("no Chromium on this machine: install it (Debian: apt-get install chromium) or set CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def site(request, page):
    """The browser's page on a site with the published follow-up of `follow_up`, which the test's module imports."""
    request.getfixturevalue("follow_up")
    return page


@pytest.fixture
def live_workshop(transactional_db):
    """The workshop data, for tests whose server runs in another thread."""
    call_command("load_workshop", verbosity=0)


@pytest.fixture
def make_run_data(live_workshop):
    """The data `make run` loads: the workshop, then the demo actors and their actions."""
    call_command("generate_demo_data", actors=12, actions=300, verbosity=0)


@dataclass
class Workflow:
    """Thailand's actions in each state of review, a reporting round, and who signs in to see them."""

    focal_point: object
    secretariat: object
    updated: FollowUpAction
    submitted: FollowUpAction
    returned: FollowUpAction
    round: ReportingRound


@pytest.fixture
def workflow_records(make_run_data, secretariat) -> Workflow:
    """Actions made through the app's own workflow, so that their times are as precise as real ones."""
    focal_point = add_focal_point(username="somchai", actor_code="THA", email="somchai@example.org", password=PASSWORD)
    thailand, user = Actor.objects.get(code="THA"), focal_point.user
    paragraphs = Paragraph.objects.tracked().filter(meeting__code="bangkok-2006").order_by("number")

    def action(title: str, *numbers: int) -> FollowUpAction:
        data = workflow.ActionInput(
            content={
                "title": title,
                "description": "Agreed by the cabinet after a consultation of employers and trade unions.",
                "status": "in_progress",
                "status_as_of": datetime.date(2006, 9, 1),
                "status_source": "Cabinet resolution",
                "start_date": datetime.date(2006, 7, 1),
                "end_date": None,
                "responsible_agency": "Ministry of Labour",
            },
            recommendations=list(paragraphs.filter(number__in=numbers)),
            links=[("https://example.org/resolution", "Cabinet resolution")],
        )
        created = workflow.create_action(actor=thailand, user=user, data=data)
        workflow.submit(action=created, user=user, version=created.version)
        created.refresh_from_db()
        return created

    updated = action("National action plan on labour migration", 12, 15)
    workflow.approve(action=updated, user=secretariat)
    updated.refresh_from_db()
    revision = workflow.ActionInput(
        content={**{name: getattr(updated, name) for name in workflow.CONTENT_FIELDS}, "status": "completed"},
        recommendations=list(updated.recommendations.all()),
    )
    workflow.edit_action(action=updated, user=user, version=updated.version, data=revision)
    updated.refresh_from_db()
    workflow.submit(action=updated, user=user, version=updated.version)
    returned = action("Bilateral agreement on the recruitment of domestic workers", 15)
    workflow.return_for_revision(action=returned, user=secretariat, comment="Please name the partner country.")
    return Workflow(
        focal_point=user,
        secretariat=secretariat,
        updated=updated,
        submitted=action("Pre-departure training for migrant workers in the construction sector", 9, 12, 15),
        returned=returned,
        round=ReportingRound.objects.create(
            meeting=Meeting.objects.get(code="bangkok-2006"),
            title="Report before the High-level Dialogue",
            opens_on=datetime.date(2006, 6, 1),
            due_date=datetime.date(2006, 8, 31),
        ),
    )


def session_cookie(user) -> str:
    """The session of `user` signed in (the secretariat with its second factor), for a browser or a request."""
    client = Client()
    if user.is_staff:
        sign_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client.cookies["sessionid"].value


def accessibility_violations(page) -> list[str]:
    """What axe-core finds against WCAG 2.1 A and AA on the page as it stands."""
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} element(s), "
        f"first: {violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
    ]


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A or AA violation on the page as it stands."""
    violations = accessibility_violations(page)
    assert violations == [], f"{page.url}\n" + "\n".join(violations)


def assert_fits_and_is_accessible(page) -> None:
    """Nothing on the page is wider than the window, and axe-core finds no violation."""
    page_width, window_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page_width <= window_width, f"{page.url} is {page_width}px wide in a {window_width}px window"
    assert_accessible(page)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    user = get_user_model().objects.get(username=username)
    if user.is_staff:
        page.get_by_label("One-time code").fill(one_time_code(user))
    page.get_by_role("button", name="Sign in").click()


def fill_new_action(page) -> None:
    """Fill the action form as a focal point of Thailand would for a completed MOU on paragraph 15."""
    page.get_by_label("¶15 —").check()
    page.get_by_label("Title").fill("Memorandum of understanding on labour cooperation")
    page.get_by_label("Status", exact=True).select_option("completed")
    page.get_by_label("Status as of").fill("2006-06-01")
    page.get_by_label("Source").fill("Ministry of Labour press release")
