"""The database itself keeps the records sound, and the models explain what is wrong.

Each constraint of `Meta.constraints` is tested by writing a bad row straight to the database
(`create()` or `update()`, which skip `full_clean`) and checking that the database refuses it and
that nothing was written. The `clean()` methods are tested through `full_clean()`, the way the
admin and the services call them.
"""

import datetime
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint
from django.utils import timezone

from recommendations.models import (
    ActionPartner,
    ActionRecommendation,
    ActionRevision,
    ActionWord,
    Actor,
    EvidenceFile,
    EvidenceLink,
    FocalPoint,
    FollowUpAction,
    GroupMembership,
    ImplementationStatus,
    Meeting,
    Paragraph,
    Participation,
    Reminder,
    ReportingRound,
    Status,
    StatusMilestone,
    SubmissionNotice,
    Theme,
    government,
)

DAY = datetime.timedelta(days=1)
APRIL_26 = datetime.date(2006, 4, 26)
JUNE_1 = datetime.date(2006, 6, 1)


def declared_constraints() -> dict:
    return {
        constraint.name: constraint
        for model in apps.get_app_config("recommendations").get_models()
        for constraint in model._meta.constraints
    }


@contextmanager
def refused_by_database(constraint_name: str):
    """The write in the block fails with an IntegrityError caused by `constraint_name`.

    The block runs in its own savepoint, so the test can look at the database afterwards.
    Check constraints are named in the error by both backends; SQLite names only the columns
    of a unique constraint, PostgreSQL names the constraint.
    """
    constraint = declared_constraints()[constraint_name]
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        yield
    message = str(refusal.value)
    if isinstance(constraint, CheckConstraint) or connection.vendor == "postgresql":
        assert constraint_name in message
    else:
        assert "UNIQUE" in message.upper()


def new_meeting(**fields) -> Meeting:
    return Meeting.objects.create(
        **{"code": "manila-2007", "title": "A later APC meeting", "source_text": "1. Text.", **fields}
    )


def new_action(actor: Actor, **fields) -> FollowUpAction:
    return FollowUpAction.objects.create(
        **{"actor": actor, "title": "National action plan", "status": Status.PLANNED, "status_as_of": JUNE_1, **fields}
    )


@pytest.fixture
def paragraph_13(workshop) -> Paragraph:
    return workshop.paragraphs.get(number=13)


@pytest.fixture
def action(thailand, paragraph_13) -> FollowUpAction:
    action = new_action(thailand)
    ActionRecommendation.objects.create(action=action, paragraph=paragraph_13)
    return action


def test_every_declared_constraint_is_tested_in_this_module():
    source = Path(__file__).read_text(encoding="utf-8")
    named_here = set(re.findall(r'"([a-z0-9_]+)"', source))
    assert set(declared_constraints()) - named_here == set()


# Meeting


@pytest.mark.parametrize(
    ("field", "constraint"),
    [("title", "meeting_title_not_empty"), ("source_text", "meeting_source_text_not_empty")],
)
def test_database_refuses_a_meeting_with_an_empty_title_or_source_text(db, field, constraint):
    with refused_by_database(constraint):
        new_meeting(**{field: ""})
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("dates", "constraint"),
    [
        ({"start_date": APRIL_26, "end_date": APRIL_26 - DAY}, "meeting_ends_after_it_starts"),
        ({"end_date": APRIL_26}, "meeting_ends_after_it_starts"),
        ({"prepares_for_start": APRIL_26, "prepares_for_end": APRIL_26 - DAY}, "meeting_event_ends_after_it_starts"),
        ({"prepares_for_end": APRIL_26}, "meeting_event_ends_after_it_starts"),
    ],
    ids=[
        "meeting ends before it starts",
        "meeting has an end but no start",
        "event ends before it starts",
        "event has an end but no start",
    ],
)
def test_database_refuses_a_meeting_or_event_that_ends_before_it_starts_or_without_a_start(db, dates, constraint):
    with refused_by_database(constraint):
        new_meeting(**dates)
    assert not Meeting.objects.exists()


def test_database_accepts_a_one_day_meeting_and_a_meeting_without_dates(db):
    new_meeting(code="one-day", start_date=APRIL_26, end_date=APRIL_26)
    new_meeting(code="undated")
    assert Meeting.objects.count() == 2


def test_database_refuses_to_move_a_meeting_end_before_its_start(workshop):
    with refused_by_database("meeting_ends_after_it_starts"):
        Meeting.objects.filter(pk=workshop.pk).update(end_date=workshop.start_date - DAY)
    workshop.refresh_from_db()
    assert workshop.end_date == datetime.date(2006, 4, 28)


# Theme


def test_database_refuses_two_themes_at_the_same_position_in_a_meeting(workshop):
    with refused_by_database("theme_position_unique_in_meeting"):
        Theme.objects.create(meeting=workshop, position=1, heading="Another first heading")
    assert workshop.themes.count() == 6


def test_database_accepts_the_same_theme_position_in_another_meeting(workshop):
    Theme.objects.create(meeting=new_meeting(), position=1, heading="A first heading")
    assert Theme.objects.filter(position=1).count() == 2


def test_database_refuses_a_theme_at_position_zero(workshop):
    with refused_by_database("theme_position_positive"):
        Theme.objects.create(meeting=workshop, position=0, heading="A heading before the first")
    assert not Theme.objects.filter(position=0).exists()


def test_database_refuses_a_theme_without_a_heading(workshop):
    with refused_by_database("theme_heading_not_empty"):
        Theme.objects.create(meeting=workshop, position=7, label="7", heading="")
    with refused_by_database("theme_heading_not_empty"):
        Theme.objects.filter(meeting=workshop, position=1).update(heading="")
    assert workshop.themes.count() == 6
    assert not Theme.objects.filter(heading="").exists()


# Paragraph


def test_database_refuses_two_paragraphs_with_the_same_number_in_a_meeting(workshop):
    with refused_by_database("paragraph_number_unique_in_meeting"):
        Paragraph.objects.create(meeting=workshop, number=13, text="A second paragraph 13.")
    assert workshop.paragraphs.count() == 25
    assert not Paragraph.objects.filter(text="A second paragraph 13.").exists()


def test_database_accepts_the_same_paragraph_number_in_another_meeting(workshop):
    Paragraph.objects.create(meeting=new_meeting(), number=13, text="Paragraph 13 of another document.")
    assert Paragraph.objects.filter(number=13).count() == 2


def test_database_refuses_a_paragraph_numbered_zero(workshop):
    with refused_by_database("paragraph_number_positive"):
        Paragraph.objects.create(meeting=workshop, number=0, text="A preamble.")
    assert not Paragraph.objects.filter(number=0).exists()


def test_database_refuses_a_paragraph_without_text(workshop, paragraph_13):
    with refused_by_database("paragraph_text_not_empty"):
        Paragraph.objects.create(meeting=workshop, number=26, text="")
    with refused_by_database("paragraph_text_not_empty"):
        Paragraph.objects.filter(pk=paragraph_13.pk).update(text="")
    assert workshop.paragraphs.count() == 25
    assert Paragraph.objects.get(pk=paragraph_13.pk).text == paragraph_13.text


# Actor


def actor_fields(**fields) -> dict:
    return {
        "code": "FAITH-GROUPS",
        "name": "Faith-based organisations",
        "short_name": "Faith groups",
        "kind": Actor.Kind.STAKEHOLDER_GROUP,
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"code": "faith-groups"}, "actor_code_upper_case"),
        ({"code": "Faith-Groups"}, "actor_code_upper_case"),
        ({"code": ""}, "actor_code_not_empty"),
        ({"name": ""}, "actor_names_not_empty"),
        ({"short_name": ""}, "actor_names_not_empty"),
        ({"kind": "club"}, "actor_kind_valid"),
        ({"kind": Actor.Kind.GOVERNMENT, "code": "THAI"}, "actor_government_code_is_alpha3"),
        ({"kind": Actor.Kind.GOVERNMENT, "code": "TH"}, "actor_government_code_is_alpha3"),
        ({"kind": Actor.Kind.GOVERNMENT, "code": "TH1"}, "actor_government_code_is_alpha3"),
        ({"kind": Actor.Kind.GOVERNMENT, "code": "T-H"}, "actor_government_code_is_alpha3"),
    ],
    ids=[
        "lower-case code",
        "mixed-case code",
        "empty code",
        "empty name",
        "empty short name",
        "unknown kind",
        "government with four letters",
        "government with two letters",
        "government with a digit",
        "government with a hyphen",
    ],
)
def test_database_refuses_an_actor_breaking_a_rule_on_codes_names_or_kinds(db, fields, constraint):
    with refused_by_database(constraint):
        Actor.objects.create(**actor_fields(**fields))
    assert not Actor.objects.exists()


def test_database_refuses_turning_a_stakeholder_group_with_a_long_code_into_a_government(workshop):
    with refused_by_database("actor_government_code_is_alpha3"):
        Actor.objects.filter(code="ALL-STATES").update(kind=Actor.Kind.GOVERNMENT)
    assert Actor.objects.get(code="ALL-STATES").kind == Actor.Kind.STAKEHOLDER_GROUP


def test_database_accepts_codes_with_digits_and_hyphens_for_actors_that_are_not_governments(db):
    Actor.objects.create(**actor_fields(code="G-77"))
    Actor.objects.create(**actor_fields(code="VNM", kind=Actor.Kind.GOVERNMENT, name="Viet Nam"))
    assert set(Actor.objects.values_list("code", flat=True)) == {"G-77", "VNM"}


# Participation


def test_database_refuses_a_second_participation_of_an_actor_in_a_meeting(workshop, thailand):
    with refused_by_database("participation_unique_per_meeting"):
        Participation.objects.create(meeting=workshop, actor=thailand, role=Participation.Role.PARTICIPANT)
    assert list(workshop.participations.filter(actor=thailand).values_list("role", flat=True)) == ["host"]


def test_database_refuses_a_participation_with_an_unknown_role(workshop, australia):
    with refused_by_database("participation_role_valid"):
        Participation.objects.create(meeting=workshop, actor=australia, role="chair")
    assert not workshop.participations.filter(actor=australia).exists()


def test_database_refuses_a_verified_participation_without_a_source(workshop, australia):
    with refused_by_database("participation_verified_has_source"):
        Participation.objects.create(meeting=workshop, actor=australia, role="participant", verified=True)
    assert not workshop.participations.filter(actor=australia).exists()

    unverified = Participation.objects.create(meeting=workshop, actor=australia, role="participant")
    with refused_by_database("participation_verified_has_source"):
        Participation.objects.filter(pk=unverified.pk).update(verified=True)
    assert Participation.objects.get(pk=unverified.pk).verified is False


# FocalPoint


def test_database_refuses_a_second_open_appointment_for_the_same_person(thai_focal_point, australia):
    with refused_by_database("focal_point_one_open_appointment_per_user"):
        FocalPoint.objects.create(user=thai_focal_point, actor=australia)
    assert list(FocalPoint.objects.filter(user=thai_focal_point).values_list("actor__code", flat=True)) == ["THA"]


def test_database_refuses_reopening_an_ended_appointment_while_another_is_open(thai_focal_point, australia):
    today = timezone.localdate()
    ended = FocalPoint.objects.create(
        user=thai_focal_point, actor=australia, start_date=today - 30 * DAY, end_date=today
    )
    with refused_by_database("focal_point_one_open_appointment_per_user"):
        FocalPoint.objects.filter(pk=ended.pk).update(end_date=None)
    assert FocalPoint.objects.get(pk=ended.pk).end_date == today


def test_database_accepts_ended_appointments_beside_the_open_one(thai_focal_point, australia):
    today = timezone.localdate()
    for days in (60, 30):
        FocalPoint.objects.create(
            user=thai_focal_point, actor=australia, start_date=today - days * DAY, end_date=today - (days - 10) * DAY
        )
    assert FocalPoint.objects.filter(user=thai_focal_point).count() == 3
    assert FocalPoint.objects.filter(user=thai_focal_point, end_date__isnull=True).count() == 1


def test_database_accepts_two_people_with_open_appointments_for_the_same_actor(thai_focal_point, django_user_model):
    deputy = django_user_model.objects.create_user("deputy")
    FocalPoint.objects.create(user=deputy, actor=Actor.objects.get(code="THA"))
    assert FocalPoint.objects.filter(actor__code="THA", end_date__isnull=True).count() == 2


def test_database_refuses_an_appointment_that_ends_before_it_starts(thailand, django_user_model):
    user = django_user_model.objects.create_user("somsak")
    with refused_by_database("focal_point_ends_after_it_starts"):
        FocalPoint.objects.create(user=user, actor=thailand, start_date=JUNE_1, end_date=JUNE_1 - DAY)
    assert not FocalPoint.objects.filter(user=user).exists()


# FollowUpAction and what hangs off it


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"title": ""}, "action_title_not_empty"),
        ({"status": "finished"}, "action_status_valid"),
        ({"status": ""}, "action_status_valid"),
        ({"start_date": JUNE_1, "end_date": JUNE_1 - DAY}, "action_ends_after_it_starts"),
        ({"state": "approved"}, "action_state_valid"),
        ({"state": "published"}, "action_published_has_date"),
    ],
    ids=["empty title", "unknown status", "empty status", "ends before it starts", "unknown state", "unpublished"],
)
def test_database_refuses_an_action_with_a_bad_title_status_or_dates(thailand, fields, constraint):
    with refused_by_database(constraint):
        new_action(thailand, **fields)
    assert not FollowUpAction.objects.exists()


def test_database_accepts_an_action_with_only_one_of_its_dates_or_ending_the_day_it_starts(thailand):
    new_action(thailand, start_date=JUNE_1)
    new_action(thailand, end_date=JUNE_1)
    new_action(thailand, start_date=JUNE_1, end_date=JUNE_1)
    assert FollowUpAction.objects.count() == 3


def test_database_refuses_to_move_an_action_end_before_its_start(action):
    FollowUpAction.objects.filter(pk=action.pk).update(start_date=JUNE_1, end_date=JUNE_1)
    with refused_by_database("action_ends_after_it_starts"):
        FollowUpAction.objects.filter(pk=action.pk).update(end_date=JUNE_1 - DAY)
    assert FollowUpAction.objects.get(pk=action.pk).end_date == JUNE_1


def test_database_refuses_the_same_partner_twice_on_an_action(action, australia):
    ActionPartner.objects.create(action=action, actor=australia)
    with refused_by_database("action_partner_unique"):
        ActionPartner.objects.create(action=action, actor=australia)
    assert ActionPartner.objects.filter(action=action).count() == 1


def test_database_refuses_the_same_recommendation_twice_on_an_action(action, paragraph_13):
    with refused_by_database("action_recommendation_unique"):
        ActionRecommendation.objects.create(action=action, paragraph=paragraph_13)
    assert ActionRecommendation.objects.filter(action=action).count() == 1


def test_database_refuses_a_word_counted_twice_for_a_recommendation(paragraph_13):
    ActionWord.objects.create(paragraph=paragraph_13, word="remitt", actions=2)
    with refused_by_database("action_word_unique"):
        ActionWord.objects.create(paragraph=paragraph_13, word="remitt", actions=1)
    assert list(ActionWord.objects.values_list("word", "actions")) == [("remitt", 2)]


def test_database_refuses_the_same_evidence_link_twice_on_an_action(action, thailand):
    url = "https://www.ratchakitcha.soc.go.th/example"
    EvidenceLink.objects.create(action=action, url=url, label="Royal Gazette")
    with refused_by_database("evidence_link_unique_per_action"):
        EvidenceLink.objects.create(action=action, url=url, label="The same notice again")
    assert EvidenceLink.objects.filter(action=action).count() == 1

    EvidenceLink.objects.create(action=new_action(thailand), url=url)
    assert EvidenceLink.objects.filter(url=url).count() == 2


# ImplementationStatus


@pytest.fixture
def status_fields(thailand, paragraph_13):
    def fields(**overrides) -> dict:
        return {
            "actor": thailand,
            "paragraph": paragraph_13,
            "derived_status": Status.PLANNED,
            "derived_as_of": JUNE_1,
            **overrides,
        }

    return fields


def test_database_refuses_two_statuses_for_the_same_actor_and_recommendation(status_fields):
    ImplementationStatus.objects.create(**status_fields())
    with refused_by_database("implementation_status_unique"):
        ImplementationStatus.objects.create(**status_fields(explicit_status=Status.COMPLETED, explicit_as_of=JUNE_1))
    assert ImplementationStatus.objects.count() == 1
    assert ImplementationStatus.objects.get().explicit_status == ""


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"derived_status": "finished"}, "derived_status_valid"),
        ({"explicit_status": "finished", "explicit_as_of": JUNE_1}, "explicit_status_valid"),
        ({"derived_status": Status.PLANNED, "derived_as_of": None}, "derived_status_has_date"),
        (
            {"derived_status": "", "derived_as_of": JUNE_1, "explicit_status": "completed", "explicit_as_of": JUNE_1},
            "derived_status_has_date",
        ),
        ({"explicit_status": Status.COMPLETED}, "explicit_status_has_date"),
        ({"explicit_as_of": JUNE_1}, "explicit_status_has_date"),
        ({"derived_status": "", "derived_as_of": None}, "implementation_status_not_empty"),
    ],
    ids=[
        "unknown derived status",
        "unknown explicit status",
        "derived status without a date",
        "derived date without a status",
        "explicit status without a date",
        "explicit date without a status",
        "neither a derived nor an explicit status",
    ],
)
def test_database_refuses_an_implementation_status_that_is_unknown_undated_or_empty(status_fields, fields, constraint):
    with refused_by_database(constraint):
        ImplementationStatus.objects.create(**status_fields(**fields))
    assert not ImplementationStatus.objects.exists()


def test_database_refuses_clearing_the_derived_status_of_a_row_that_has_no_explicit_one(status_fields):
    row = ImplementationStatus.objects.create(**status_fields())
    with refused_by_database("implementation_status_not_empty"):
        ImplementationStatus.objects.filter(pk=row.pk).update(derived_status="", derived_as_of=None)
    assert ImplementationStatus.objects.get(pk=row.pk).derived_status == Status.PLANNED


def milestone_fields(thailand, paragraph_13, **fields) -> dict:
    return {
        "actor": thailand,
        "paragraph": paragraph_13,
        "basis": "validated",
        "status": Status.PLANNED,
        "known_from": JUNE_1,
        "public_from": JUNE_1,
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"status": "finished"}, "status_milestone_status_valid"),
        ({"basis": "rumoured"}, "status_milestone_basis_valid"),
        ({"public_from": JUNE_1 - DAY}, "status_milestone_public_after_known"),
    ],
    ids=["unknown status", "unknown basis", "public before it held"],
)
def test_database_refuses_a_status_milestone_that_is_unknown_or_public_before_it_held(
    thailand, paragraph_13, fields, constraint
):
    with refused_by_database(constraint):
        StatusMilestone.objects.create(**milestone_fields(thailand, paragraph_13, **fields))
    assert not StatusMilestone.objects.exists()


def test_database_refuses_two_milestones_of_the_same_status_for_a_pair(thailand, paragraph_13):
    StatusMilestone.objects.create(**milestone_fields(thailand, paragraph_13))
    with refused_by_database("status_milestone_unique"):
        StatusMilestone.objects.create(**milestone_fields(thailand, paragraph_13, known_from=APRIL_26))
    assert StatusMilestone.objects.get().known_from == JUNE_1


def test_database_accepts_a_status_set_only_by_the_secretariat(status_fields):
    ImplementationStatus.objects.create(
        **status_fields(derived_status="", derived_as_of=None, explicit_status="completed", explicit_as_of=JUNE_1)
    )
    assert ImplementationStatus.objects.count() == 1


# The generated fields `status` and `as_of`


def saved_status(**fields) -> ImplementationStatus:
    row = ImplementationStatus(**fields)
    row.save()
    row.refresh_from_db()
    return row


def test_status_and_date_are_the_derived_ones_when_no_explicit_status_is_set(status_fields):
    row = saved_status(**status_fields())
    assert (row.status, row.as_of) == ("planned", JUNE_1)
    assert row.status_label == "Planned"
    assert row.is_explicit is False


def test_explicit_status_and_date_win_over_the_derived_ones(status_fields):
    row = saved_status(**status_fields(explicit_status="not_started", explicit_as_of=datetime.date(2006, 5, 1)))
    assert (row.status, row.as_of) == ("not_started", datetime.date(2006, 5, 1))
    assert row.is_explicit is True


def test_explicit_status_is_used_when_nothing_is_derived(status_fields):
    row = saved_status(
        **status_fields(
            derived_status="", derived_as_of=None, explicit_status="ongoing_practice", explicit_as_of=JUNE_1
        )
    )
    assert (row.status, row.as_of) == ("ongoing_practice", JUNE_1)


def test_status_falls_back_to_the_derived_one_when_the_explicit_status_is_cleared(status_fields):
    row = saved_status(**status_fields(explicit_status="completed", explicit_as_of=datetime.date(2007, 1, 1)))
    assert row.status == "completed"

    row.explicit_status, row.explicit_as_of = "", None
    row.save()
    row.refresh_from_db()
    assert (row.status, row.as_of) == ("planned", JUNE_1)


def test_status_follows_a_new_derived_status_written_by_update(status_fields):
    row = saved_status(**status_fields())
    ImplementationStatus.objects.filter(pk=row.pk).update(derived_status="completed", derived_as_of=JUNE_1 + DAY)
    row.refresh_from_db()
    assert (row.status, row.as_of) == ("completed", JUNE_1 + DAY)


def test_status_can_be_filtered_on_in_the_database(status_fields, australia):
    saved_status(**status_fields())
    saved_status(**status_fields(actor=australia, explicit_status="completed", explicit_as_of=JUNE_1))
    completed = ImplementationStatus.objects.filter(status="completed")
    assert list(completed.values_list("actor__code", flat=True)) == ["AUS"]


# Validation messages of full_clean()


def field_errors(error: pytest.ExceptionInfo, field: str) -> list[str]:
    return error.value.message_dict.get(field, [])


def test_full_clean_refuses_a_theme_from_another_meeting_for_a_paragraph(workshop):
    other_theme = Theme.objects.create(meeting=new_meeting(), position=1, heading="A heading of another document")
    paragraph = Paragraph(meeting=workshop, number=26, theme=other_theme, text="A paragraph.")
    with pytest.raises(ValidationError) as error:
        paragraph.full_clean()
    assert field_errors(error, "theme") == ["The theme belongs to another meeting's document."]


def test_full_clean_accepts_a_theme_of_the_same_meeting_or_no_theme(workshop):
    Paragraph(meeting=workshop, number=26, theme=workshop.themes.get(position=6), text="A paragraph.").full_clean()
    Paragraph(meeting=workshop, number=27, text="A closing paragraph.").full_clean()


@pytest.mark.parametrize("code", ["XYZ", "xyz", " xyz "])
def test_full_clean_refuses_a_government_whose_code_is_not_an_iso_alpha3_country_code(db, code):
    actor = Actor(code=code, kind=Actor.Kind.GOVERNMENT, name="Nowhere", short_name="Nowhere")
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert field_errors(error, "code") == ["'XYZ' is not an ISO 3166-1 alpha-3 country code."]


def test_full_clean_accepts_any_upper_case_code_for_actors_that_are_not_governments(db):
    actor = Actor(**actor_fields(code="g-77"))
    actor.full_clean()
    assert actor.code == "G-77"


def test_clean_upper_cases_a_government_code_and_names_the_government_as_the_un_does(db):
    actor = Actor(code=" tha ", kind=Actor.Kind.GOVERNMENT)
    actor.clean()
    assert (actor.code, actor.name, actor.short_name) == ("THA", "Kingdom of Thailand", "Thailand")


@pytest.mark.parametrize(
    ("code", "name", "short_name"),
    [
        ("vnm", "Socialist Republic of Viet Nam", "Viet Nam"),
        ("KOR", "Republic of Korea", "Republic of Korea"),
        ("IRN", "Islamic Republic of Iran", "Iran (Islamic Republic of)"),
        ("LAO", "Lao People's Democratic Republic", "Lao People's Democratic Republic"),
        ("AUS", "Australia", "Australia"),
    ],
)
def test_clean_names_a_government_by_the_uns_formal_name_and_short_name(db, code, name, short_name):
    actor = Actor(code=code, kind=Actor.Kind.GOVERNMENT)
    actor.clean()
    assert (actor.code, actor.name, actor.short_name) == (code.upper(), name, short_name)


def test_government_names_a_territory_without_a_formal_name_by_its_short_name(db):
    actor = government("HKG")
    assert actor.name == actor.short_name == "China, Hong Kong Special Administrative Region"


def test_clean_keeps_the_names_given_to_a_government(db):
    actor = Actor(code="VNM", kind=Actor.Kind.GOVERNMENT, name="Vietnam", short_name="VN")
    actor.full_clean()
    assert (actor.name, actor.short_name) == ("Vietnam", "VN")


def test_full_clean_names_a_government_left_without_a_name_as_the_un_does(db):
    actor = Actor(code="THA", kind=Actor.Kind.GOVERNMENT)
    actor.full_clean()
    assert (actor.name, actor.short_name) == ("Kingdom of Thailand", "Thailand")


def test_full_clean_refuses_an_action_whose_status_holds_as_of_a_future_date(thailand):
    action = FollowUpAction(actor=thailand, title="A plan", status="planned", status_as_of=timezone.localdate() + DAY)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert field_errors(error, "status_as_of") == ["The status cannot hold as of a date in the future."]


def test_full_clean_accepts_an_action_whose_status_holds_as_of_today(thailand):
    FollowUpAction(actor=thailand, title="A plan", status="planned", status_as_of=timezone.localdate()).full_clean()


def test_full_clean_refuses_an_action_that_ends_before_it_starts(thailand):
    action = FollowUpAction(
        actor=thailand,
        title="A plan",
        status="planned",
        status_as_of=JUNE_1,
        start_date=JUNE_1,
        end_date=JUNE_1 - DAY,
    )
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert field_errors(error, "end_date") == ["The end date is before the start date."]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"explicit_status": "completed"},
            "explicit_as_of",
            "An explicit status needs the date it holds as of, and a date needs a status.",
        ),
        (
            {"explicit_as_of": JUNE_1},
            "explicit_as_of",
            "An explicit status needs the date it holds as of, and a date needs a status.",
        ),
        ({}, "explicit_status", "Without actions or an explicit status there is nothing to record."),
    ],
    ids=["explicit status without a date", "explicit date without a status", "nothing to record"],
)
def test_full_clean_explains_what_an_implementation_status_lacks(thailand, paragraph_13, fields, field, message):
    row = ImplementationStatus(actor=thailand, paragraph=paragraph_13, **fields)
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert field_errors(error, field) == [message]


def test_full_clean_accepts_an_explicit_status_with_its_date(thailand, paragraph_13):
    ImplementationStatus(
        actor=thailand, paragraph=paragraph_13, explicit_status="completed", explicit_as_of=JUNE_1
    ).full_clean()


def test_full_clean_explains_that_a_person_is_already_a_focal_point(thai_focal_point, australia):
    appointment = FocalPoint(user=thai_focal_point, actor=australia)
    with pytest.raises(ValidationError) as error:
        appointment.full_clean()
    assert field_errors(error, NON_FIELD_ERRORS) == ["This person is already the focal point of an actor."]


# The reporting workflow


def test_database_refuses_a_validated_status_that_is_not_a_status(action):
    with refused_by_database("action_validated_valid"):
        FollowUpAction.objects.filter(pk=action.pk).update(validated_status="finished")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"title": ""}, "revision_title_not_empty"),
        ({"status": "finished"}, "revision_status_valid"),
        ({"state": "approved"}, "revision_state_valid"),
        ({"validated_status": "finished"}, "revision_validated_valid"),
    ],
    ids=["empty title", "unknown status", "unknown state", "unknown validated status"],
)
def test_database_refuses_a_revision_with_a_bad_title_status_or_state(action, fields, constraint):
    with refused_by_database(constraint):
        ActionRevision.objects.create(
            **{"action": action, "title": "Plan", "status": "planned", "status_as_of": JUNE_1, **fields}
        )
    assert not ActionRevision.objects.exists()


def test_database_refuses_a_second_open_revision_but_keeps_approved_ones(action):
    fields = {"action": action, "title": "Plan", "status": "planned", "status_as_of": JUNE_1}
    ActionRevision.objects.create(**fields, state="published")
    ActionRevision.objects.create(**fields)
    with refused_by_database("revision_one_open_per_action"):
        ActionRevision.objects.create(**fields, state="submitted")
    assert ActionRevision.objects.count() == 2


def new_revision(action: FollowUpAction) -> ActionRevision:
    return ActionRevision.objects.create(action=action, title="Plan", status="planned", status_as_of=JUNE_1)


def test_database_refuses_the_same_evidence_link_twice_on_a_revision(action):
    revision, url = new_revision(action), "https://www.ratchakitcha.soc.go.th/example"
    EvidenceLink.objects.create(revision=revision, url=url, label="Royal Gazette")
    with refused_by_database("evidence_link_unique_per_revision"):
        EvidenceLink.objects.create(revision=revision, url=url, label="The same notice again")
    assert EvidenceLink.objects.filter(revision=revision).count() == 1

    EvidenceLink.objects.create(action=action, url=url)
    assert EvidenceLink.objects.filter(url=url).count() == 2


@pytest.mark.parametrize("both", [False, True], ids=["neither", "both"])
def test_database_refuses_an_evidence_link_of_neither_or_both_an_action_and_its_revision(action, both):
    owners = {"action": action, "revision": new_revision(action)} if both else {}
    with refused_by_database("evidence_link_of_action_or_revision"):
        EvidenceLink.objects.create(**owners, url="https://www.ratchakitcha.soc.go.th/example")
    assert not EvidenceLink.objects.exists()


def test_database_refuses_an_evidence_file_without_a_name(action):
    with refused_by_database("evidence_file_name_not_empty"):
        EvidenceFile.objects.create(
            action=action, file="evidence/x.pdf", name="", content_type="application/pdf", size=1
        )


def test_database_refuses_a_round_without_a_title_or_due_before_it_opens(workshop):
    with refused_by_database("round_title_not_empty"):
        ReportingRound.objects.create(meeting=workshop, title="", opens_on=JUNE_1, due_date=JUNE_1)
    with refused_by_database("round_due_after_it_opens"):
        ReportingRound.objects.create(meeting=workshop, title="Report", opens_on=JUNE_1, due_date=JUNE_1 - DAY)
    assert not ReportingRound.objects.exists()


def test_database_refuses_a_second_reminder_to_a_person_on_the_same_day(workshop, thailand, django_user_model):
    user = django_user_model.objects.create_user("somsak")
    round_ = ReportingRound.objects.create(meeting=workshop, title="Report", opens_on=JUNE_1, due_date=JUNE_1)
    Reminder.objects.create(round=round_, actor=thailand, user=user, kind="due_soon", sent_on=JUNE_1)
    with refused_by_database("reminder_once_a_day"):
        Reminder.objects.create(round=round_, actor=thailand, user=user, kind="overdue", sent_on=JUNE_1)
    with refused_by_database("reminder_kind_valid"):
        Reminder.objects.create(round=round_, actor=thailand, user=user, kind="weekly", sent_on=JUNE_1 + DAY)
    assert Reminder.objects.count() == 1


def test_database_refuses_a_second_notice_of_the_same_submission(action):
    submitted_at = timezone.now()
    SubmissionNotice.objects.create(action=action, submitted_at=submitted_at)
    with refused_by_database("submission_notice_once"):
        SubmissionNotice.objects.create(action=action, submitted_at=submitted_at)
    SubmissionNotice.objects.create(action=action, submitted_at=submitted_at + datetime.timedelta(minutes=1))
    assert SubmissionNotice.objects.count() == 2


def test_database_refuses_a_reported_status_that_is_not_a_status(thailand, paragraph_13):
    with refused_by_database("reported_status_valid"):
        ImplementationStatus.objects.create(
            actor=thailand,
            paragraph=paragraph_13,
            explicit_status="planned",
            explicit_as_of=JUNE_1,
            reported_status="x",
        )


def test_a_group_membership_needs_a_source_is_entered_once_and_not_of_the_group_itself(workshop, australia):
    donors = Actor.objects.get(code="DONOR-COUNTRIES")
    GroupMembership.objects.create(group=donors, member=australia, source="OECD DAC member list")
    with refused_by_database("group_membership_unique"):
        GroupMembership.objects.create(group=donors, member=australia, source="again")
    with refused_by_database("group_membership_has_source"):
        GroupMembership.objects.create(group=donors, member=Actor.objects.get(code="VNM"), source="")
    with refused_by_database("group_membership_not_itself"):
        GroupMembership.objects.create(group=donors, member=donors, source="itself")
    assert GroupMembership.objects.count() == 1
