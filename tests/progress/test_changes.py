"""What changed: each change of a pair's status on the public record, read from the status milestones."""

from recommendations.progress.changes import latest_status_changes, load, status_changes

# The writes through the workflow that the readings' tests use.
from tests.progress.test_history import date, published, revised, set_explicitly


def told(changes) -> list[tuple]:
    return [(c.before, c.after, c.day.isoformat(), c.as_of.isoformat(), c.action_id, c.is_explicit) for c in changes]


def test_a_first_status_and_each_more_advanced_one_are_changes_newest_first(
    thailand, thai_focal_point, secretariat, p15
):
    plan = published(thailand, thai_focal_point, secretariat, [p15], "planned", "2007-01-01", on="2007-01-10")
    law = published(thailand, thai_focal_point, secretariat, [p15], "completed", "2009-05-01", on="2009-05-05")
    # A less advanced status published later changes nothing: the most advanced one reached stands.
    published(thailand, thai_focal_point, secretariat, [p15], "in_progress", "2010-01-01", on="2010-01-02")
    assert told(status_changes()) == [
        ("planned", "completed", "2009-05-05", "2009-05-01", law.pk, False),
        ("", "planned", "2007-01-10", "2007-01-01", plan.pk, False),
    ]


def test_since_a_date_a_change_still_says_the_status_before_it(thailand, thai_focal_point, secretariat, p15, p16):
    published(thailand, thai_focal_point, secretariat, [p15, p16], "planned", "2007-01-01", on="2007-01-10")
    law = published(thailand, thai_focal_point, secretariat, [p15], "completed", "2009-05-01", on="2009-05-05")
    assert told(status_changes(date("2008-01-01"))) == [
        ("planned", "completed", "2009-05-05", "2009-05-01", law.pk, False)
    ]
    assert status_changes(date("2009-05-06")) == []
    assert len(status_changes(date("2009-05-05"))) == 1


def test_an_action_entered_later_about_an_earlier_date_changes_the_record_on_the_day_it_was_published(
    thailand, thai_focal_point, secretariat, p15
):
    late = published(thailand, thai_focal_point, secretariat, [p15], "in_progress", "2006-08-01", on="2010-03-04")
    assert told(status_changes()) == [("", "in_progress", "2010-03-04", "2006-08-01", late.pk, False)]


def test_a_revision_that_changed_the_status_is_a_change_through_the_same_action(
    thailand, thai_focal_point, secretariat, p15
):
    action = published(thailand, thai_focal_point, secretariat, [p15], "planned", "2006-08-01", on="2006-08-02")
    revised(action, thai_focal_point, secretariat, "completed", "2012-02-01", on="2012-02-03")
    assert told(status_changes()) == [
        ("planned", "completed", "2012-02-03", "2012-02-01", action.pk, False),
        ("", "planned", "2006-08-02", "2006-08-01", action.pk, False),
    ]


def test_a_validated_status_is_what_changes(thailand, thai_focal_point, secretariat, p15):
    action = published(thailand, thai_focal_point, secretariat, [p15], "planned", "2006-08-01", on="2006-08-02")
    revised(action, thai_focal_point, secretariat, "completed", "2008-01-01", on="2008-01-02", validated="in_progress")
    assert [(c.before, c.after) for c in status_changes()] == [("planned", "in_progress"), ("", "planned")]


def test_a_status_the_secretariat_sets_is_a_change_with_no_action(thailand, thai_focal_point, secretariat, p15):
    published(thailand, thai_focal_point, secretariat, [p15], "completed", "2006-08-01", on="2006-08-02")
    set_explicitly(thailand, p15, "in_progress", "2006-09-01", on="2011-01-05")
    assert told(status_changes())[0] == ("completed", "in_progress", "2011-01-05", "2006-09-01", None, True)


def test_a_joint_action_changes_each_partners_status(thailand, australia, thai_focal_point, secretariat, p15):
    mou = published(
        thailand, thai_focal_point, secretariat, [p15], "completed", "2007-01-01", on="2007-01-02", partners=[australia]
    )
    changes = load(status_changes())
    assert {(c.actor.code, c.paragraph.number, c.action) for c in changes} == {("THA", 15, mou), ("AUS", 15, mou)}
    assert [c.actor_id for c in status_changes(actor=australia)] == [australia.pk]
    assert [c.paragraph.number for c in load(status_changes(paragraph=p15))] == [15, 15]


def test_the_latest_changes_are_the_newest_few(thailand, thai_focal_point, secretariat, p15, p16):
    published(thailand, thai_focal_point, secretariat, [p15], "planned", "2007-01-01", on="2007-01-10")
    published(thailand, thai_focal_point, secretariat, [p16], "planned", "2008-01-01", on="2008-01-10")
    published(thailand, thai_focal_point, secretariat, [p15], "completed", "2009-01-01", on="2009-01-10")
    assert [c.day.year for c in latest_status_changes(2)] == [2009, 2008]
    assert [c.day.year for c in latest_status_changes(10)] == [2009, 2008, 2007]
    assert [c.day.year for c in latest_status_changes(5, paragraph=p16)] == [2008]


def test_reading_the_changes_takes_a_fixed_number_of_queries(
    thailand, australia, thai_focal_point, australian_focal_point, secretariat, p15, p16, django_assert_num_queries
):
    for year in (2007, 2008):
        published(thailand, thai_focal_point, secretariat, [p15, p16], "planned", f"{year}-01-01", on=f"{year}-01-02")
        published(
            australia, australian_focal_point, secretariat, [p15], "completed", f"{year}-02-01", on=f"{year}-02-02"
        )
        # the milestones; then actors, paragraphs with their meeting, and actions
        with django_assert_num_queries(4):
            load(status_changes(date("2007-01-01")))
