"""The secretariat hears of new work: a mail for each submission or an hourly digest, and "New" in the queue."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from recommendations.models import SubmissionNotice
from recommendations.reporting import workflow

from ..conftest import PASSWORD, sign_in_with_second_factor
from .conftest import action_input

SECRETARIAT = ["secretariat@example.org"]


@pytest.fixture
def staff_who_do_not_review(django_user_model):
    """Staff the notices must miss: without a device, with one not confirmed, inactive, without an address."""

    def staff(username, *, device=None, email=None, **fields):
        email = f"{username}@example.org" if email is None else email
        user = django_user_model.objects.create_user(username, email, PASSWORD, is_staff=True, **fields)
        if device is not None:
            TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=device == "confirmed")
        return user

    return [
        staff("no-device"),
        staff("unconfirmed", device="unconfirmed"),
        staff("inactive", device="confirmed", is_active=False),
        staff("no-address", device="confirmed", email=""),
    ]


def to_secretariat(outbox) -> list:
    return [message for message in outbox if message.to == SECRETARIAT]


def submit(action, user):
    workflow.submit(action=action, user=user, version=action.version)
    action.refresh_from_db()


def test_each_submission_is_mailed_once_committed_to_the_staff_who_review_and_nobody_else(
    thai_draft,
    thai_focal_point,
    australian_focal_point,
    secretariat,
    staff_who_do_not_review,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://apc.example.org"
    with django_capture_on_commit_callbacks() as after_commit:
        submit(thai_draft, thai_focal_point)
        assert mailoutbox == []
    for callback in after_commit:
        callback()

    assert [message.to for message in mailoutbox] == [SECRETARIAT]
    notice = mailoutbox[0]
    assert notice.subject == "[APC Tracker] To review: National action plan on labour migration (Thailand)"
    assert "Thailand submitted a new action for review." in notice.body
    assert "Submitted by somchai on " in notice.body
    assert f"Review it: https://apc.example.org/review/actions/{thai_draft.pk}/" in notice.body
    assert not SubmissionNotice.objects.exists()


def test_an_update_of_a_published_action_is_mailed_as_an_update(
    thai_published, thai_focal_point, secretariat, p15, mailoutbox, django_capture_on_commit_callbacks
):
    workflow.edit_action(
        action=thai_published,
        user=thai_focal_point,
        version=thai_published.version,
        data=action_input([p15], title="National action plan, second edition"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(thai_published, thai_focal_point)
    (notice,) = to_secretariat(mailoutbox)
    assert notice.subject.endswith("To review: National action plan, second edition (Thailand, an update)")
    assert "Thailand submitted an update of a published action for review." in notice.body


def test_a_mail_server_that_is_down_does_not_stop_a_submission(
    client, thai_draft, thai_focal_point, secretariat, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    client.force_login(thai_focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my/actions/{thai_draft.pk}/submit/", {"version": thai_draft.version})
    assert response.status_code == 302
    thai_draft.refresh_from_db()
    assert thai_draft.state == "submitted"
    assert "Submitted. The secretariat will review it" in client.get(response["Location"]).text
    assert (
        "Could not tell the secretariat (secretariat@example.org) of the submission of 'National action plan"
        in caplog.text
    )


def digest() -> str:
    output = StringIO()
    call_command("send_review_digest", stdout=output)
    return output.getvalue()


def test_hourly_the_submissions_wait_for_one_digest_and_none_is_told_twice(
    thailand,
    thai_draft,
    thai_focal_point,
    secretariat,
    staff_who_do_not_review,
    p15,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.REVIEW_NOTICES = "hourly"
    settings.SITE_URL = "https://apc.example.org"
    returned = workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15], title="Returned"))
    with django_capture_on_commit_callbacks(execute=True):
        submit(thai_draft, thai_focal_point)
        submit(returned, thai_focal_point)
    workflow.return_for_revision(action=returned, user=secretariat, comment="Add the source.")
    assert to_secretariat(mailoutbox) == []

    assert "Told the secretariat of 1 submission(s)." in digest()
    (message,) = to_secretariat(mailoutbox)
    assert message.subject == "[APC Tracker] To review: 1 new submission"
    assert "- National action plan on labour migration (a new action)" in message.body
    assert f"https://apc.example.org/review/actions/{thai_draft.pk}/" in message.body
    assert "Returned" not in message.body, "an action returned before the digest has nothing left to tell"

    assert "Told the secretariat of 0 submission(s)." in digest()
    assert len(to_secretariat(mailoutbox)) == 1

    returned.refresh_from_db()
    submit(returned, thai_focal_point)
    assert "THA: Returned" in digest()
    assert "- Returned (a new action)" in to_secretariat(mailoutbox)[-1].body
    assert not SubmissionNotice.objects.queued().exists()


def test_a_digest_the_mail_server_refused_is_logged_and_sent_by_the_next_run(
    thai_draft, thai_focal_point, secretariat, settings, mail_server_down, caplog, mailoutbox
):
    settings.REVIEW_NOTICES = "hourly"
    submit(thai_draft, thai_focal_point)
    with pytest.raises(CommandError, match="the next run tries again"):
        digest()
    assert "Could not send the review digest of 1 submission(s) to secretariat@example.org" in caplog.text
    assert SubmissionNotice.objects.queued().count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    digest()
    assert len(to_secretariat(mailoutbox)) == 1
    assert not SubmissionNotice.objects.queued().exists()


def test_the_queue_marks_what_arrived_since_each_reviewers_last_visit(
    client, secretariat, thailand, thai_focal_point, p15, django_user_model
):
    def submitted(title):
        action = workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15], title=title))
        submit(action, thai_focal_point)

    def rows(client):
        response = client.get("/review/")
        return response, [(copy.title, is_new) for _, copy, is_new in response.context["rows"]]

    colleague = django_user_model.objects.create_superuser("colleague", "colleague@example.org", PASSWORD)
    TOTPDevice.objects.create(user=colleague, name="Authenticator app", confirmed=True)
    other_client = sign_in_with_second_factor(Client(), colleague)
    with time_machine.travel(datetime.datetime(2006, 6, 1, 9, tzinfo=datetime.UTC), tick=False) as clock:
        submitted("Seen before")
        sign_in_with_second_factor(client, secretariat)
        response, first = rows(client)
        assert first == [("Seen before", True)]
        assert "This is your first visit" in response.text

        clock.shift(datetime.timedelta(minutes=5))
        submitted("Arrived since")
        clock.shift(datetime.timedelta(minutes=5))
        response, second = rows(client)
        assert second == [("Seen before", False), ("Arrived since", True)]
        assert "submitted since you last opened this queue, on 1 June 2006, 09:00 UTC" in response.text
        assert response.text.count('<strong class="new">New</strong>') == 1

        assert rows(other_client)[1] == [("Seen before", True), ("Arrived since", True)]
        assert rows(client)[1] == [("Seen before", False), ("Arrived since", False)]
