"""Each actor's status on each recommendation: derived from its actions unless set explicitly."""

import datetime

import pytest
from django.utils import timezone

from recommendations.models import FollowUpAction, ImplementationStatus, Status
from recommendations.progress.statuses import refresh_implementation_statuses, status_pairs

PUBLISHED = {"state": "published", "published_at": timezone.now()}


def act(actor, paragraphs, status, as_of, partners=()):
    action = FollowUpAction(
        actor=actor, title=f"{status} action", status=status, status_as_of=datetime.date.fromisoformat(as_of)
    )
    action.publish()
    action.save()
    action.recommendations.set(paragraphs)
    action.partners.set(partners)
    refresh_implementation_statuses(status_pairs(action))
    return action


def status_of(actor, paragraph):
    row = ImplementationStatus.objects.filter(actor=actor, paragraph=paragraph).first()
    return row and (row.status, str(row.as_of))


@pytest.fixture
def p15(workshop):
    return workshop.paragraphs.get(number=15)


def test_no_action_means_no_information_not_not_started(thailand, p15):
    assert status_of(thailand, p15) is None


def test_the_most_advanced_status_of_an_actors_actions_holds(thailand, p15):
    act(thailand, [p15], "planned", "2006-05-10")
    assert status_of(thailand, p15) == ("planned", "2006-05-10")
    act(thailand, [p15], "completed", "2007-03-01")
    act(thailand, [p15], "in_progress", "2008-01-01")
    assert status_of(thailand, p15) == ("completed", "2007-03-01")


def test_the_date_is_the_latest_of_the_actions_with_that_status(thailand, p15):
    act(thailand, [p15], "in_progress", "2006-06-01")
    act(thailand, [p15], "in_progress", "2006-09-01")
    assert status_of(thailand, p15) == ("in_progress", "2006-09-01")


def test_a_decision_not_to_act_gives_way_to_any_action(thailand, p15):
    act(thailand, [p15], "no_action_planned", "2006-06-01")
    assert status_of(thailand, p15) == ("no_action_planned", "2006-06-01")
    act(thailand, [p15], "not_started", "2006-07-01")
    assert status_of(thailand, p15) == ("not_started", "2006-07-01")


def test_a_joint_action_counts_for_the_reporter_and_every_partner(thailand, australia, workshop, p15):
    p21 = workshop.paragraphs.get(number=21)
    act(thailand, [p15, p21], "completed", "2006-11-20", partners=[australia])
    for actor in (thailand, australia):
        assert status_of(actor, p15) == ("completed", "2006-11-20")
        assert status_of(actor, p21) == ("completed", "2006-11-20")


def test_an_explicit_status_wins_until_it_is_cleared(thailand, p15):
    act(thailand, [p15], "in_progress", "2006-06-01")
    row = ImplementationStatus.objects.get(actor=thailand, paragraph=p15)
    row.explicit_status = Status.COMPLETED
    row.explicit_as_of = datetime.date(2006, 8, 31)
    row.explicit_source = "National report to the HLD, paragraph 12"
    row.save()
    act(thailand, [p15], "planned", "2006-09-01")
    assert status_of(thailand, p15) == ("completed", "2006-08-31")
    row.refresh_from_db()
    row.explicit_status, row.explicit_as_of = "", None
    row.save()
    assert status_of(thailand, p15) == ("in_progress", "2006-06-01")


def test_removing_the_last_action_returns_to_no_information(thailand, p15):
    action = act(thailand, [p15], "planned", "2006-05-10")
    pairs = status_pairs(action)
    action.delete()
    refresh_implementation_statuses(pairs)
    assert status_of(thailand, p15) is None


def test_an_explicit_status_without_actions_stays_when_statuses_are_refreshed(thailand, p15):
    ImplementationStatus.objects.create(
        actor=thailand, paragraph=p15, explicit_status="ongoing_practice", explicit_as_of=datetime.date(2006, 1, 1)
    )
    refresh_implementation_statuses([(thailand.pk, p15.pk)])
    assert status_of(thailand, p15) == ("ongoing_practice", "2006-01-01")


def test_the_refresh_touches_only_the_pairs_it_is_given(thailand, australia, p15):
    act(thailand, [p15], "planned", "2006-05-10")
    FollowUpAction.objects.update(status="completed")
    refresh_implementation_statuses([(australia.pk, p15.pk)])
    assert status_of(thailand, p15) == ("planned", "2006-05-10")


def test_refreshing_many_pairs_takes_a_fixed_number_of_queries(thailand, workshop, django_assert_max_num_queries):
    paragraphs = list(workshop.paragraphs.tracked())
    for paragraph in paragraphs:
        FollowUpAction.objects.create(
            actor=thailand, title="Law", status="completed", status_as_of=datetime.date(2007, 1, 1), **PUBLISHED
        ).recommendations.add(paragraph)
    # savepoint, actions, existing rows, then one write per changed pair, release
    with django_assert_max_num_queries(4 + len(paragraphs)):
        refresh_implementation_statuses((thailand.pk, paragraph.pk) for paragraph in paragraphs)
    assert ImplementationStatus.objects.filter(actor=thailand, status="completed").count() == 19


def test_actions_that_are_not_published_do_not_count(thailand, p15):
    for state in ("draft", "submitted", "returned"):
        action = FollowUpAction.objects.create(
            actor=thailand, title="Unreviewed", status="completed", status_as_of=datetime.date(2006, 6, 1), state=state
        )
        action.recommendations.add(p15)
        refresh_implementation_statuses(status_pairs(action))
    assert status_of(thailand, p15) is None


def test_every_status_has_a_documented_meaning_and_a_place_on_the_scale():
    assert [status.rank for status in Status] == list(range(6))
    assert all(status.meaning for status in Status)
    assert Status.NO_ACTION_PLANNED.rank < Status.NOT_STARTED.rank < Status.COMPLETED.rank
