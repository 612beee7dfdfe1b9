"""The secretariat signs in to the admin in a real browser, with production's secure cookies."""

import datetime

from playwright.sync_api import expect

from recommendations.models import Actor, Paragraph
from recommendations.reporting import workflow
from tests.conftest import PASSWORD, one_time_code


def sign_in(page, secretariat) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("One-time code").fill(one_time_code(secretariat))
    page.get_by_role("button", name="Log in").click()


def test_the_secretariat_signs_in_and_marks_paragraph_4_as_tracked(page, live_workshop, secretariat):
    sign_in(page, secretariat)
    page.get_by_role("link", name="Paragraphs").click()
    page.get_by_role("link", name="Paragraph 4 — Bangkok, April 2006").click()
    expect(page.get_by_text("There was also a suggestion that national preparatory meetings")).to_be_visible()
    page.get_by_label("Tracked recommendation").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert Paragraph.objects.get(number=4).is_tracked


def test_the_secretariat_publishes_a_submitted_action_from_the_list(page, live_workshop, secretariat, thai_focal_point):
    data = workflow.ActionInput(
        content={"title": "Labour MOU", "status": "planned", "status_as_of": datetime.date(2006, 6, 1)},
        recommendations=[Paragraph.objects.get(number=13)],
    )
    action = workflow.create_action(actor=Actor.objects.get(code="THA"), user=thai_focal_point, data=data)
    workflow.submit(action=action, user=thai_focal_point, version=action.version)

    sign_in(page, secretariat)
    page.get_by_role("link", name="Follow up actions").click()
    page.get_by_role("checkbox", name="Select this object for an action - Labour MOU").check()
    page.get_by_label("Action:").select_option(label="Approve (publish) the selected submitted actions")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Published 1 action(s); their focal points are told by email.")).to_be_visible()
    action.refresh_from_db()
    assert (action.state, action.reviewed_by) == ("published", secretariat)
