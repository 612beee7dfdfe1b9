"""The reporting journey in Chromium: a focal point reports, the secretariat returns, then publishes;
and a focal point's first submission reaching the secretariat, on a desktop and on a phone."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from recommendations.models import EvidenceFile, FollowUpAction, ImplementationStatus
from recommendations.reporting.appointments import add_focal_point

from ..conftest import PASSWORD
from .conftest import assert_accessible, assert_fits_and_is_accessible, fill_new_action, sign_in

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def sign_out(page, username):
    page.get_by_role("button", name=f"Sign out ({username})").click()


@pytest.fixture
def clock():
    """Real time that the test can move on: a one-time code is good once per 30-second step."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def test_an_action_goes_from_a_focal_point_through_review_to_the_public(
    page, live_workshop, secretariat, settings, tmp_path, clock
):
    settings.MEDIA_ROOT = tmp_path
    page.goto("/")
    reported_before = page.locator(".big-figure").inner_text()
    cell = page.get_by_text("Thailand on paragraph 15: No information provided")
    expect(cell).to_have_count(1)
    add_focal_point(username="somchai", actor_code="THA", email="somchai@example.org", password=PASSWORD)

    sign_in(page, "somchai")
    expect(page.get_by_role("heading", name="My workspace: Thailand")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Log an action").click()
    fill_new_action(page)
    page.get_by_label("Add an evidence file").set_input_files(
        files=[{"name": "mou.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("The action is saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted. The secretariat will review it")).to_be_visible()
    sign_out(page, "somchai")

    sign_in(page, "secretariat")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Memorandum of understanding on labour cooperation").click()
    page.locator("#return_comment").fill("Please give the date the MOU was signed.")
    page.get_by_role("button", name="Return with comment").click()
    expect(page.get_by_text("Returned “Memorandum")).to_be_visible()
    sign_out(page, "secretariat")
    assert mail.outbox[-1].to == ["somchai@example.org"]

    sign_in(page, "somchai")
    expect(page.get_by_text("Please give the date the MOU was signed.")).to_be_visible()
    page.get_by_role("link", name="Memorandum of understanding on labour cooperation").first.click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Source").fill("MOU signed in Bangkok on 1 June 2006")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for review").click()
    sign_out(page, "somchai")

    clock.shift(datetime.timedelta(seconds=30))
    sign_in(page, "secretariat")
    page.get_by_role("link", name="Memorandum of understanding on labour cooperation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Published “Memorandum")).to_be_visible()
    sign_out(page, "secretariat")

    action = FollowUpAction.objects.published().get()
    assert action.status_source == "MOU signed in Bangkok on 1 June 2006"
    assert ImplementationStatus.objects.get(actor__code="THA", paragraph__number=15).status == "completed"
    response = page.request.get(EvidenceFile.objects.get().get_absolute_url())
    assert (response.status, response.body()) == (200, PDF)

    # The public sees it: on the recommendation page, the actor page, and in the dashboard's figures.
    page.goto("/recommendations/bangkok-2006/15/")
    expect(page.locator("#status-THA")).to_contain_text("Completed")
    expect(page.get_by_role("link", name="Memorandum of understanding on labour cooperation")).to_be_visible()
    page.goto("/actors/THA/")
    expect(page.get_by_role("link", name="Memorandum of understanding on labour cooperation")).to_be_visible()
    page.goto("/")
    expect(page.get_by_text("Thailand on paragraph 15: Completed")).to_have_count(1)
    assert page.locator(".big-figure").inner_text() != reported_before
    assert mail.outbox[-1].subject.startswith("[APC Tracker] Published")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_focal_points_submission_reaches_the_secretariat_who_publishes_it(
    page, live_server, live_workshop, secretariat, settings, width
):
    """The first hour: a focal point logs an action, choosing its status and finding a partner in
    the filter box; the secretariat is told by mail, finds it marked New and publishes it."""
    settings.SITE_URL = live_server.url
    page.set_viewport_size({"width": width, "height": 800})
    add_focal_point(username="somchai", actor_code="THA", email="somchai@example.org", password=PASSWORD)
    title = "Joint labour migration programme with Australia"

    sign_in(page, "somchai")
    expect(page.get_by_role("heading", name="My workspace: Thailand")).to_be_visible()
    assert_fits_and_is_accessible(page)
    page.get_by_role("link", name="Log an action").click()
    page.get_by_label("¶15 —").check()
    page.get_by_label("Title").fill(title)
    status = page.get_by_label("Status", exact=True)
    expect(status).to_have_value("")
    status.select_option("in_progress")
    page.get_by_label("Status as of").fill("2006-07-01")
    page.get_by_label("Filter by name").press_sequentially("austr")
    australia = page.get_by_label("Australia", exact=True)
    expect(australia).to_be_visible()
    expect(page.get_by_label("Vietnam", exact=True)).to_be_hidden()
    expect(page.get_by_label("All States", exact=True)).to_have_count(0)
    # Enter in the filter box must not save the half-done form (one action is saved below, not
    # two); Tab leads from the box to the first name left in view, Space ticks it.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(australia).to_be_checked()
    assert_fits_and_is_accessible(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("The action is saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted. The secretariat will review it")).to_be_visible()
    assert_fits_and_is_accessible(page)
    action = FollowUpAction.objects.get()
    page.goto(f"/my/actions/{action.pk}/edit/")
    expect(page.get_by_role("heading", name=f"“{title}” waits for review")).to_be_visible()
    assert_fits_and_is_accessible(page)
    sign_out(page, "somchai")

    (notice,) = [message for message in mail.outbox if message.to == ["secretariat@example.org"]]
    assert notice.subject == f"[APC Tracker] To review: {title} (Thailand)"
    assert f"{live_server.url}/review/actions/{action.pk}/" in notice.body

    sign_in(page, "secretariat")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title))
    expect(row.get_by_text("New", exact=True)).to_be_visible()
    assert_fits_and_is_accessible(page)
    row.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=f"Review: {title}")).to_be_visible()
    assert_fits_and_is_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text(f"Published “{title}”")).to_be_visible()
    assert_fits_and_is_accessible(page)

    action.refresh_from_db()
    assert (action.state, action.status) == ("published", "in_progress")
    assert [partner.code for partner in action.partners.all()] == ["AUS"]
