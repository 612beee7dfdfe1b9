"""Statuses as of a past date, in both readings, and the milestones they are read from."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Actor, FollowUpAction, ImplementationStatus, StatusMilestone
from recommendations.progress import figures
from recommendations.progress.history import (
    DIALOGUE,
    BadReading,
    Reading,
    month_ends,
    monthly_statuses,
    parse_reading,
    quick_choices,
    rebuild_milestones,
    recount_milestones,
    status_details_on,
    statuses_on,
    stored_milestones,
)
from recommendations.progress.statuses import refresh_implementation_statuses
from recommendations.reporting import workflow

NOW = Reading(DIALOGUE)
RECORD = Reading(DIALOGUE, record=True)


def date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def content(status: str, as_of: str, title: str = "National action plan on labour migration") -> dict:
    return {"title": title, "status": status, "status_as_of": date(as_of), "status_source": "Cabinet resolution"}


def published(actor, user, secretariat, paragraphs, status, as_of, *, on: str, partners=()) -> FollowUpAction:
    """An action written, submitted and published through the workflow on the day `on`."""
    with time_machine.travel(datetime.datetime.fromisoformat(f"{on}T10:00:00+00:00"), tick=False):
        action = workflow.create_action(
            actor=actor,
            user=user,
            data=workflow.ActionInput(content=content(status, as_of), recommendations=paragraphs, partners=partners),
        )
        workflow.submit(action=action, user=user, version=action.version)
        return workflow.approve(action=action, user=secretariat)


def revised(action, user, secretariat, status, as_of, *, on: str, validated: str = "") -> FollowUpAction:
    """The action's published content replaced by a revision approved on the day `on`."""
    with time_machine.travel(datetime.datetime.fromisoformat(f"{on}T10:00:00+00:00"), tick=False):
        action.refresh_from_db()
        data = workflow.ActionInput(content=content(status, as_of), recommendations=list(action.recommendations.all()))
        workflow.edit_action(action=action, user=user, version=action.version, data=data)
        action.refresh_from_db()
        workflow.submit(action=action, user=user, version=action.version)
        return workflow.approve(action=action, user=secretariat, validated_status=validated)


def set_explicitly(actor, paragraph, status, as_of, *, on: str) -> None:
    """The secretariat sets the pair's status explicitly on the day `on`, as the admin does."""
    with time_machine.travel(datetime.datetime.fromisoformat(f"{on}T09:00:00+00:00"), tick=False):
        row = ImplementationStatus.objects.get(actor=actor, paragraph=paragraph)
        row.explicit_status, row.explicit_as_of = status, date(as_of)
        row.save()
        refresh_implementation_statuses([(actor.pk, paragraph.pk)])


def assert_milestones_recount():
    assert stored_milestones() == recount_milestones()


def status(reading, actor, paragraph):
    return statuses_on(reading, [paragraph.pk]).get((actor.pk, paragraph.pk))


def test_an_action_entered_later_about_an_earlier_date_counts_only_in_what_we_know_now(
    thailand, thai_focal_point, secretariat, p15
):
    published(thailand, thai_focal_point, secretariat, [p15], "in_progress", "2006-08-01", on="2010-03-01")
    assert status(NOW, thailand, p15) == "in_progress"
    assert status(RECORD, thailand, p15) is None
    assert status(Reading(date("2010-03-01"), record=True), thailand, p15) == "in_progress"
    assert status(Reading(date("2006-07-31")), thailand, p15) is None
    assert_milestones_recount()


def test_a_later_revision_completed_as_of_2009_does_not_count_for_2006(thailand, thai_focal_point, secretariat, p15):
    action = published(thailand, thai_focal_point, secretariat, [p15], "in_progress", "2006-08-01", on="2006-08-20")
    revised(action, thai_focal_point, secretariat, "completed", "2009-05-01", on="2010-01-10")
    for reading in (NOW, RECORD):
        assert status(reading, thailand, p15) == "in_progress"
    assert status(Reading(date("2009-05-01")), thailand, p15) == "completed"
    # Completed in May 2009, but published only in January 2010.
    assert status(Reading(date("2009-12-31"), record=True), thailand, p15) == "in_progress"
    assert status(Reading(date("2010-01-10"), record=True), thailand, p15) == "completed"
    # Today's view is the implementation status, as it always was.
    assert ImplementationStatus.objects.get(actor=thailand, paragraph=p15).status == "completed"
    assert_milestones_recount()


def test_a_revision_that_changed_the_status_of_the_same_date_counts_from_its_publication(
    thailand, thai_focal_point, secretariat, p15
):
    action = published(thailand, thai_focal_point, secretariat, [p15], "planned", "2006-08-01", on="2006-08-02")
    revised(action, thai_focal_point, secretariat, "in_progress", "2006-08-01", on="2007-02-01")
    assert status(NOW, thailand, p15) == "in_progress"
    assert status(RECORD, thailand, p15) == "planned"
    details = status_details_on(RECORD, paragraph_ids=[p15.pk])[thailand.pk, p15.pk]
    assert (details.status, details.as_of, details.is_explicit) == ("planned", date("2006-08-02"), False)
    assert_milestones_recount()


def test_a_validated_status_is_what_counts_and_the_reported_one_is_kept_beside_it(
    thailand, thai_focal_point, secretariat, p15
):
    action = published(thailand, thai_focal_point, secretariat, [p15], "planned", "2006-08-01", on="2006-08-02")
    revised(action, thai_focal_point, secretariat, "completed", "2006-09-01", on="2006-09-02", validated="in_progress")
    details = status_details_on(RECORD, actor_ids=[thailand.pk])[thailand.pk, p15.pk]
    assert (details.status, details.reported_status, details.reported_differs) == ("in_progress", "completed", True)
    assert_milestones_recount()


def test_a_joint_action_counts_for_each_partner(thailand, australia, thai_focal_point, secretariat, p15, p16):
    published(
        thailand, thai_focal_point, secretariat, [p15, p16], "completed", "2006-09-01", on="2006-09-10",
        partners=[australia],
    )  # fmt: skip
    found = statuses_on(RECORD, [p15.pk, p16.pk])
    assert found == {(a.pk, p.pk): "completed" for a in (thailand, australia) for p in (p15, p16)}
    assert_milestones_recount()


def test_deleting_and_correcting_rebuild_the_milestones(thailand, australia, thai_focal_point, secretariat, p15, p16):
    kept = published(thailand, thai_focal_point, secretariat, [p15], "planned", "2006-08-01", on="2006-08-02")
    gone = published(thailand, thai_focal_point, secretariat, [p16], "completed", "2006-08-01", on="2006-08-02")
    workflow.delete_actions(actions=[gone], user=secretariat)
    assert status(NOW, thailand, p16) is None
    assert_milestones_recount()

    kept.refresh_from_db()
    kept.status = "completed"
    with time_machine.travel(datetime.datetime(2008, 1, 5, 9, tzinfo=datetime.UTC), tick=False):

        def move_to_p16():
            kept.recommendations.set([p16])
            kept.partners.set([australia])

        workflow.correct_action(
            action=kept, user=secretariat, version=kept.version, reason="Wrong paragraph", save_related=move_to_p16
        )
    # Its earlier version now counts towards the pairs the action counts towards.
    assert status(NOW, thailand, p15) is None
    assert status(NOW, thailand, p16) == "completed"
    assert status(NOW, australia, p16) == "completed"
    assert status(RECORD, thailand, p16) == "planned"
    assert_milestones_recount()


def test_an_explicit_status_wins_in_both_readings_from_the_day_it_was_set(thailand, thai_focal_point, secretariat, p15):
    published(thailand, thai_focal_point, secretariat, [p15], "completed", "2006-08-01", on="2006-08-02")
    set_explicitly(thailand, p15, "in_progress", "2006-09-01", on="2011-01-05")
    assert status(NOW, thailand, p15) == "in_progress"
    assert status(RECORD, thailand, p15) == "completed"
    assert status(Reading(date("2011-01-05"), record=True), thailand, p15) == "in_progress"
    assert status_details_on(NOW, actor_ids=[thailand.pk])[thailand.pk, p15.pk].is_explicit
    assert_milestones_recount()


def test_figures_on_a_date_follow_the_same_rule_as_today(thailand, australia, thai_focal_point, secretariat, p15):
    published(thailand, thai_focal_point, secretariat, [p15], "completed", "2006-08-01", on="2006-08-02")
    published(australia, thai_focal_point, secretariat, [p15], "planned", "2006-08-01", on="2012-08-02")
    today = figures.dashboard()
    past = figures.dashboard(NOW)
    record = figures.dashboard(RECORD)
    assert today.by_recommendation[p15.pk].counts == past.by_recommendation[p15.pk].counts
    assert past.by_recommendation[p15.pk].progress == pytest.approx(62.5)
    assert record.by_recommendation[p15.pk].counts == {"completed": 1}
    assert record.overall.tally.cells == today.overall.tally.cells


def test_the_months_count_each_pairs_status_at_each_month_end(thailand, thai_focal_point, secretariat, p15, p16):
    action = published(thailand, thai_focal_point, secretariat, [p15, p16], "planned", "2006-08-15", on="2006-08-20")
    revised(action, thai_focal_point, secretariat, "completed", "2007-01-31", on="2007-03-01")
    months = {month.end: month.counts for month in monthly_statuses(NOW)}
    assert months[date("2006-07-31")]["planned"] == 0
    assert months[date("2006-08-31")]["planned"] == 2
    assert (months[date("2007-01-31")]["planned"], months[date("2007-01-31")]["completed"]) == (0, 2)
    record = {month.end: month.counts for month in monthly_statuses(RECORD)}
    assert (record[date("2007-02-28")]["planned"], record[date("2007-03-31")]["completed"]) == (2, 2)
    only = {m.end: m.counts for m in monthly_statuses(NOW, paragraph_ids=[p15.pk], actor_ids=[thailand.pk])}
    assert only[date("2007-01-31")]["completed"] == 1
    ends = month_ends(date("2026-12-01"))
    assert (ends[0], ends[-2], ends[-1], len(ends)) == (date("2006-04-30"), date("2026-11-30"), date("2026-12-01"), 249)


def test_reading_statuses_on_a_date_takes_a_fixed_number_of_queries(workshop, thai_focal_point, secretariat):
    paragraphs = list(workshop.paragraphs.filter(is_tracked=True))
    actors = list(Actor.objects.filter(kind="government")[:10])

    def count():
        with CaptureQueriesContext(connection) as queries:
            figures.dashboard(RECORD)
            monthly_statuses(NOW)
        return len(queries)

    published(actors[0], thai_focal_point, secretariat, paragraphs[:2], "planned", "2006-08-01", on="2006-08-02")
    few = count()
    for actor in actors[1:]:
        published(actor, thai_focal_point, secretariat, paragraphs, "completed", "2006-08-01", on="2006-08-02")
    assert count() == few
    assert_milestones_recount()


def test_rebuilding_repairs_a_damaged_table(thailand, thai_focal_point, secretariat, p15):
    published(thailand, thai_focal_point, secretariat, [p15], "planned", "2006-08-01", on="2006-08-02")
    StatusMilestone.objects.all().delete()
    assert rebuild_milestones() == {(thailand.pk, p15.pk)}
    assert rebuild_milestones() == set()
    assert_milestones_recount()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, Reading()),
        ({"as_of": ""}, Reading()),
        ({"record": "1"}, Reading()),
        ({"as_of": "2006-09-14"}, Reading(DIALOGUE)),
        ({"as_of": "2006-09-14", "record": "1"}, Reading(DIALOGUE, record=True)),
        ({"as_of": "2006-04-26", "record": "0"}, Reading(date("2006-04-26"))),
    ],
)
def test_a_reading_is_read_from_the_address(params, expected):
    assert parse_reading(params) == expected


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"as_of": "2006-04-25"}, "before the workshop"),
        ({"as_of": "2999-01-01"}, "after today"),
        ({"as_of": "14/09/2006"}, "is not a date"),
        ({"as_of": "20060914"}, "is not a date"),
        ({"as_of": "2006-02-30"}, "is not a date"),
        ({"as_of": "2006-09-14", "record": "yes"}, "is not a reading"),
    ],
)
def test_a_date_or_reading_that_cannot_be_read_says_why(params, reason):
    with pytest.raises(BadReading, match=reason):
        parse_reading(params)


def test_a_reading_names_itself_for_headings_and_files():
    assert RECORD.label == "as of 14 September 2006 (the public record of that day)"
    assert NOW.label == "as of 14 September 2006 (what we know now)"
    assert (RECORD.slug, NOW.slug, Reading().slug) == ("as-of-2006-09-14-record", "as-of-2006-09-14", "")
    assert RECORD.params == {"as_of": "2006-09-14", "record": "1"}
    choices = quick_choices()
    assert choices[0] == ("Opening of the High-level Dialogue", DIALOGUE)
    assert choices[1] == ("End of 2006", date("2006-12-31"))
    assert choices[-1][0] == "Today"
