"""Demo data: realistic, labelled, kept apart from the workshop data and removable with one command."""

import datetime
import itertools
from collections import defaultdict

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from recommendations.models import Actor, FollowUpAction, ImplementationStatus, Paragraph, Status, StatusMilestone
from recommendations.progress.history import (
    Reading,
    monthly_statuses,
    recount_milestones,
    statuses_on,
    stored_milestones,
)
from recommendations.progress.statuses import refresh_implementation_statuses
from recommendations.reporting.appointments import add_focal_point

from .conftest import make_action


def test_demo_data_is_labelled_spread_over_time_and_shows_a_notice(client, workshop):
    call_command("generate_demo_data", "--actors", "5", "--actions", "400", verbosity=0)
    actors = Actor.objects.filter(is_demo=True)
    assert actors.count() == 5
    assert all(actor.kind == Actor.Kind.GOVERNMENT for actor in actors)
    assert not actors.filter(code__in=["THA", "AUS", "VNM"]).exists()
    actions = FollowUpAction.objects.published()
    assert actions.count() == 400 == actions.filter(is_demo=True, actor__is_demo=True).count()
    years = {d.year for d in actions.values_list("status_as_of", flat=True)}
    assert min(years) == 2006 and len(years) > 10
    assert len(set(actions.values_list("status", flat=True))) >= 4
    page = client.get("/").content.decode()
    assert "Demo data:" in page
    assert "demo</span>" in page
    assert "demo data</span>" in client.get(f"/actors/{actors[0].code}/").content.decode()


def test_demo_governments_are_named_as_the_united_nations_writes_their_names(workshop):
    call_command("generate_demo_data", "--actors", "36", "--actions", "10", verbosity=0)
    names = dict(Actor.objects.filter(code__in=["IRN", "KOR", "LAO", "PRK"]).values_list("code", "short_name"))
    assert names == {
        "IRN": "Iran (Islamic Republic of)",
        "KOR": "Republic of Korea",
        "LAO": "Lao People's Democratic Republic",
        "PRK": "Democratic People's Republic of Korea",
    }
    assert Actor.objects.get(code="IRN").name == "Islamic Republic of Iran"


def test_demo_statuses_are_those_the_actions_give(workshop):
    call_command("generate_demo_data", "--actors", "3", "--actions", "200", verbosity=0)
    before = set(ImplementationStatus.objects.values_list("actor_id", "paragraph_id", "status", "as_of"))
    refresh_implementation_statuses({(a, p) for a, p, _, _ in before})
    assert set(ImplementationStatus.objects.values_list("actor_id", "paragraph_id", "status", "as_of")) == before
    assert before


def test_more_actors_than_asia_pacific_governments_become_demo_organisations(workshop):
    call_command("generate_demo_data", "--actors", "40", "--actions", "10", verbosity=0)
    assert Actor.objects.filter(is_demo=True, code__startswith="DEMO-ORG-").count() == 4


def test_removing_demo_data_leaves_the_workshop_and_real_follow_up_as_they_were(client, workshop, thailand):
    real = make_action(thailand, [12], Status.COMPLETED)
    marked = make_action(thailand, [13], Status.PLANNED)
    marked.is_demo = True
    marked.save()
    call_command("generate_demo_data", "--actors", "4", "--actions", "100", verbosity=0)
    call_command("generate_demo_data", "--actors", "4", "--actions", "50", verbosity=0)  # replaces, never adds
    assert FollowUpAction.objects.filter(actor__is_demo=True).count() == 50
    call_command("generate_demo_data", "--remove", verbosity=0)
    assert list(FollowUpAction.objects.all()) == [real]
    assert not Actor.objects.filter(is_demo=True).exists()
    assert list(ImplementationStatus.objects.values_list("paragraph__number", "status")) == [(12, "completed")]
    assert "Demo data:" not in client.get("/").content.decode()
    assert Actor.objects.count() == 18


def test_demo_data_that_real_records_refer_to_is_kept_whole_and_the_command_says_why(workshop):
    call_command("generate_demo_data", "--actors", "3", "--actions", "30", verbosity=0)
    demo_actor = Actor.objects.filter(is_demo=True).order_by("code").first()
    add_focal_point(username="kept", actor_code=demo_actor.code, password="a long pass phrase 2006")
    make_action(demo_actor, [12], Status.PLANNED)
    for arguments in (["--remove"], ["--actors", "2", "--actions", "10"]):
        with pytest.raises(CommandError, match="records that are not demo data refer to demo actors") as refused:
            call_command("generate_demo_data", *arguments, verbosity=0)
        assert "(focal points: 1, follow up actions: 1)" in str(refused.value)
        assert Actor.objects.filter(is_demo=True).count() == 3
        assert FollowUpAction.objects.filter(is_demo=True).count() == 30


def test_the_command_refuses_nonsense(db):
    with pytest.raises(CommandError, match="load the workshop first"):
        call_command("generate_demo_data", verbosity=0)


# A day when a revision came out at the same moment as the late first report it replaced, and
# moments either side of midnight and of 09:00, when reports due later than now were dated now.
MOMENTS = ["2026-12-02T00:44", "2027-01-01T00:00", "2030-06-30T08:59", "2030-06-30T23:59"]


def test_each_demo_revision_comes_out_after_the_one_it_replaces_whatever_the_day(workshop):
    for moment in MOMENTS:
        now = datetime.datetime.fromisoformat(moment).replace(tzinfo=datetime.UTC)
        with time_machine.travel(now, tick=False):
            call_command("generate_demo_data", "--actors", "6", "--actions", "600", verbosity=0)
        versions = defaultdict(list)
        for action_id, status, as_of, published in (
            FollowUpAction.history.filter(is_demo=True)
            .order_by("id", "version")
            .values_list("id", "status", "status_as_of", "history_date")
        ):
            versions[action_id].append((Status(status).rank, as_of, published))
        pairs = [(a, b) for v in versions.values() for a, b in itertools.pairwise(v)]
        assert pairs
        assert all(a[0] <= b[0] and a[1] < b[1] and a[2] < b[2] for a, b in pairs), moment
        dated = [(as_of, day) for v in versions.values() for _, as_of, day in v]
        assert all(as_of <= day.date() and day <= now for as_of, day in dated), moment


def test_demo_milestones_are_those_a_recount_gives(workshop, thailand):
    make_action(thailand, [12], Status.COMPLETED)
    call_command("generate_demo_data", "--actors", "4", "--actions", "300", verbosity=0)
    assert stored_milestones() == recount_milestones()
    call_command("generate_demo_data", "--remove", verbosity=0)
    assert stored_milestones() == recount_milestones()
    assert not StatusMilestone.objects.filter(actor__is_demo=True).exists()


def test_demo_statuses_move_over_the_years_and_read_differently_on_a_past_date(workshop):
    call_command("generate_demo_data", "--actors", "6", "--actions", "600", verbosity=0)
    versions = defaultdict(list)
    for action_id, status, as_of, published in FollowUpAction.history.filter(is_demo=True).values_list(
        "id", "status", "status_as_of", "history_date"
    ):
        versions[action_id].append((published, status, as_of))
    assert len(versions) > 100
    moved = [sorted(v) for v in versions.values() if len({status for _, status, _ in v}) > 1]
    assert moved
    assert all(Status(a[1]).rank <= Status(b[1]).rank and a[2] < b[2] for v in moved for a, b in itertools.pairwise(v))
    assert any((v[-1][2] - v[0][2]).days > 365 for v in moved)
    late = FollowUpAction.objects.filter(is_demo=True, published_at__gt=F("status_as_of") + datetime.timedelta(400))
    assert late.exists()
    ids = list(Paragraph.objects.tracked().values_list("pk", flat=True))
    # The demo data spread over the years up to the day they are made, so which past year's end
    # a late report changes depends on that day.
    readings = {
        day: (statuses_on(Reading(day), ids), statuses_on(Reading(day, record=True), ids))
        for day in (datetime.date(year, 12, 31) for year in range(2006, timezone.localdate().year))
    }
    assert any(known != record for known, record in readings.values())
    today = dict(
        ((a, p), s) for a, p, s in ImplementationStatus.objects.values_list("actor_id", "paragraph_id", "status")
    )
    assert readings[datetime.date(2010, 12, 31)][0] != today
    months = {month.end: sum(month.counts.values()) for month in monthly_statuses(Reading())}
    assert 0 < months[datetime.date(2006, 12, 31)] < months[datetime.date(2015, 12, 31)]
    assert stored_milestones() == recount_milestones()


def test_the_tables_a_demo_load_grows_are_analysed_for_the_planner(workshop):
    if connection.vendor != "postgresql":
        pytest.skip("the planner's statistics are PostgreSQL's")
    call_command("generate_demo_data", "--actors", "3", "--actions", "50", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
        analysed = {name for (name,) in cursor.fetchall()}
    grown = [FollowUpAction, StatusMilestone, ImplementationStatus, ImplementationStatus.history.model, Actor]
    assert {model._meta.db_table for model in grown} <= analysed
