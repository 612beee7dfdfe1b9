"""Reporting rounds: who has reported, and reminders that never repeat within a day."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from recommendations.models import FocalPoint, ImplementationStatus, Reminder, ReportingRound
from recommendations.reporting import rounds, workflow

from ..conftest import sign_in_with_second_factor
from .conftest import action_input


# The personas' appointments start today; these tests travel back to 2006.
@pytest.fixture
def thai_focal_point(thai_focal_point):
    FocalPoint.objects.filter(user=thai_focal_point).update(start_date=datetime.date(2006, 1, 1))
    return thai_focal_point


@pytest.fixture
def australian_focal_point(australian_focal_point):
    FocalPoint.objects.filter(user=australian_focal_point).update(start_date=datetime.date(2006, 1, 1))
    return australian_focal_point


@pytest.fixture
def hld_round(workshop):
    return ReportingRound.objects.create(
        meeting=workshop, title="Report before the HLD", opens_on="2006-06-01", due_date="2006-08-31"
    )


def answers(round_):
    return {response.actor.code: response.answer for response in rounds.responses(round_)}


@time_machine.travel(datetime.datetime(2006, 7, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_the_compliance_view_tells_reported_drafts_and_nothing_apart(
    hld_round, thailand, thai_focal_point, australia, australian_focal_point, p15
):
    action = workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15]))
    workflow.submit(action=action, user=thai_focal_point, version=action.version)
    workflow.create_action(actor=australia, user=australian_focal_point, data=action_input([p15]))
    result = answers(hld_round)
    assert (result["THA"], result["AUS"], result["IOM"]) == ("reported", "drafts", "nothing")


def test_no_information_stays_distinct_from_not_started(hld_round, thailand, p15, client, secretariat):
    ImplementationStatus.objects.create(
        actor=thailand, paragraph=p15, explicit_status="not_started", explicit_as_of="2006-06-01"
    )
    by_code = {response.actor.code: response for response in rounds.responses(hld_round)}
    assert (by_code["THA"].with_status, by_code["THA"].not_started) == (1, 1)
    assert (by_code["IOM"].with_status, by_code["IOM"].not_started) == (0, 0)
    sign_in_with_second_factor(client, secretariat)
    page = client.get(f"/review/rounds/{hld_round.pk}/").text
    assert "Nothing yet" in page and "no information provided" in page


@pytest.mark.parametrize("extra_actors", [0, 10])
def test_the_compliance_page_takes_a_fixed_number_of_queries(
    hld_round, client, secretariat, extra_actors, django_assert_num_queries
):
    from recommendations.models import government

    for code in ["FRA", "DEU", "ITA", "ESP", "PRT", "NLD", "BEL", "AUT", "SWE", "FIN"][:extra_actors]:
        actor = government(code)
        actor.save()
        actor.addressed_paragraphs.add(hld_round.meeting.paragraphs.tracked().first())
    sign_in_with_second_factor(client, secretariat)
    # session, user, second-factor device, the data version and the header's meeting (read once
    # per version), round, actors, submitted actions, submitted revisions, unsent actions, unsent
    # revisions, statuses, not-started statuses, and the session's renewed idle timeout
    # (savepoint, update, release)
    with django_assert_num_queries(16):
        assert client.get(f"/review/rounds/{hld_round.pk}/").status_code == 200


def run_reminders(day: str) -> str:
    from io import StringIO

    out = StringIO()
    with time_machine.travel(datetime.datetime.fromisoformat(f"{day}T06:00:00+00:00"), tick=False):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_nothing_is_sent_before_the_last_week(hld_round, thai_focal_point, mailoutbox):
    assert "Sent 0 reminder(s)." in run_reminders("2006-08-01")
    assert mailoutbox == []


def test_focal_points_of_actors_that_have_not_reported_get_one_reminder(
    hld_round, thai_focal_point, australian_focal_point, australia, p15, mailoutbox
):
    with time_machine.travel(datetime.datetime(2006, 8, 20, tzinfo=datetime.UTC), tick=False):
        action = workflow.create_action(actor=australia, user=australian_focal_point, data=action_input([p15]))
        workflow.submit(action=action, user=australian_focal_point, version=action.version)
    output = run_reminders("2006-08-25")
    assert "Report before the HLD: due soon reminder to somchai@example.org (THA)" in output
    assert [message.to for message in mailoutbox] == [["somchai@example.org"]]
    assert "is due on 31 August 2006" in mailoutbox[0].body
    assert "Sent 0 reminder(s)." in run_reminders("2006-08-25")
    assert "Sent 0 reminder(s)." in run_reminders("2006-08-28")
    assert len(mailoutbox) == 1


def test_a_reminder_links_to_the_sites_address(hld_round, thai_focal_point, mailoutbox, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    run_reminders("2006-08-25")
    assert "http://127.0.0.1:8101/my/" in mailoutbox[0].body


def test_after_the_due_date_an_overdue_reminder_goes_out_weekly(hld_round, thai_focal_point, mailoutbox):
    run_reminders("2006-09-01")
    run_reminders("2006-09-01")
    run_reminders("2006-09-05")
    run_reminders("2006-09-08")
    assert [message.body.count("was due on 31 August 2006") for message in mailoutbox] == [1, 1]
    assert list(Reminder.objects.values_list("sent_on", flat=True).order_by("sent_on")) == [
        datetime.date(2006, 9, 1),
        datetime.date(2006, 9, 8),
    ]


def test_a_closed_round_sends_nothing(hld_round, thai_focal_point, mailoutbox):
    ReportingRound.objects.update(closed_at=datetime.datetime(2006, 9, 2, tzinfo=datetime.UTC))
    run_reminders("2006-09-05")
    assert mailoutbox == []


def test_when_the_mail_server_is_down_each_reminder_is_tried_logged_and_left_for_the_next_run(
    hld_round, thai_focal_point, australian_focal_point, mail_server_down, settings, caplog
):
    """The daily job ends in an error that says how many reminders could not go, so cron
    reports it; each is in the log with its focal point and actor (and no password), none is
    recorded as sent, and the next run, with the server back, sends them all."""
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "apc-mailer", "smtp-password-never-logged"
    with pytest.raises(CommandError, match=r"^2 of 2 reminder\(s\) could not be sent"):
        run_reminders("2006-08-25")
    failures = sorted(record.getMessage() for record in caplog.records if record.levelname == "ERROR")
    assert [message.split(": ")[0] for message in failures] == [
        "Could not send the due soon reminder of 'Report before the HLD' to olivia, focal point of AUS",
        "Could not send the due soon reminder of 'Report before the HLD' to somchai, focal point of THA",
    ]
    assert "smtp-password-never-logged" not in caplog.text
    assert not Reminder.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "Sent 2 reminder(s)." in run_reminders("2006-08-25")
    assert Reminder.objects.count() == 2
