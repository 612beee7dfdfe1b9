"""The Bangkok 2006 workshop as the app holds it: the fixture, the source text, the reading."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from recommendations.documents.workshop import ADDRESSEES, build_workshop
from recommendations.models import Actor, Meeting, Paragraph, Participation

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "bangkok-2006.json"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "apc-gcim-workshop-bangkok-2006.txt"
FIXTURE_MODELS = [
    "recommendations.Meeting",
    "recommendations.Theme",
    "recommendations.Paragraph",
    "recommendations.Actor",
    "recommendations.Participation",
]

pytestmark = pytest.mark.django_db


def dump() -> list:
    out = StringIO()
    call_command("dumpdata", *FIXTURE_MODELS, natural_foreign=True, natural_primary=True, indent=2, stdout=out)
    return json.loads(out.getvalue())


def test_a_fresh_import_of_the_source_text_equals_the_fixture():
    build_workshop()
    assert dump() == json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_loading_the_fixture_gives_back_what_it_holds():
    call_command("load_workshop", verbosity=0)
    assert dump() == json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="the shared seed is not beside this checkout")
def test_the_source_text_in_the_repository_is_the_workshop_summary_unchanged():
    assert (ROOT / "fixtures" / "source" / SHARED_SEED.name).read_bytes() == SHARED_SEED.read_bytes()


def test_load_workshop_never_overwrites_the_secretariats_edits():
    call_command("load_workshop", verbosity=0)
    Paragraph.objects.filter(number=4).update(is_tracked=True)
    out = StringIO()
    call_command("load_workshop", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Paragraph.objects.get(number=4).is_tracked


def test_the_meeting_prepares_for_the_high_level_dialogue(workshop):
    assert str(workshop.start_date) == "2006-04-26" and str(workshop.end_date) == "2006-04-28"
    assert workshop.host == "Royal Thai Government"
    assert workshop.prepares_for.endswith("High-level Dialogue on International Migration and Development")
    assert (str(workshop.prepares_for_start), str(workshop.prepares_for_end)) == ("2006-09-14", "2006-09-15")


def test_nineteen_recommendations_are_tracked_and_the_six_context_paragraphs_are_not(workshop):
    assert list(workshop.paragraphs.tracked().values_list("number", flat=True)) == list(range(7, 26))
    assert list(workshop.paragraphs.context().values_list("number", flat=True)) == list(range(1, 7))


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        (23, ["APC", "BALI", "PIDC"]),
        (24, ["DONOR-COUNTRIES", "IOM", "UNHCR"]),
        (13, ["ALL-STATES"]),
        (14, ["ALL-STATES", "CIVIL-SOCIETY", "EMPLOYMENT-SECTOR", "INTERNATIONAL-ORGANISATIONS", "TRADE-UNIONS"]),
        (4, ["ALL-STATES", "CIVIL-SOCIETY", "IOM", "PRIVATE-SECTOR", "UNHCR"]),
        (1, []),
    ],
)
def test_each_paragraph_names_the_actors_it_addresses(workshop, number, codes):
    paragraph = workshop.paragraphs.get(number=number)
    assert sorted(paragraph.addressees.values_list("code", flat=True)) == codes


def test_every_tracked_recommendation_has_a_reading_of_its_addressees(workshop):
    assert set(range(7, 26)) <= set(ADDRESSEES)
    assert not workshop.paragraphs.tracked().filter(addressees=None).exists()


def test_only_thailand_among_governments_is_recorded_at_the_workshop(workshop):
    governments = Participation.objects.filter(meeting=workshop, actor__kind=Actor.Kind.GOVERNMENT)
    assert list(governments.values_list("actor__code", "role", "verified")) == [("THA", "host", True)]
    assert list(Actor.objects.filter(kind=Actor.Kind.GOVERNMENT).order_by("code").values_list("code", flat=True)) == [
        "AUS",
        "THA",
        "VNM",
    ]


def test_the_governments_are_named_as_the_united_nations_writes_their_names(workshop):
    names = Actor.objects.filter(kind=Actor.Kind.GOVERNMENT).order_by("code").values_list("code", "short_name", "name")
    assert list(names) == [
        ("AUS", "Australia", "Australia"),
        ("THA", "Thailand", "Kingdom of Thailand"),
        ("VNM", "Viet Nam", "Socialist Republic of Viet Nam"),
    ]


def test_the_observers_and_participating_organisations_are_recorded_with_their_source(workshop):
    roles = dict(Participation.objects.filter(meeting=workshop).values_list("actor__code", "role"))
    assert roles == {
        "THA": "host",
        "APC": "convener",
        "IOM": "participant",
        "UNHCR": "participant",
        "ILO": "observer",
        "ESCAP": "observer",
        "UNDP": "observer",
        "PIDC": "observer",
    }
    assert set(Participation.objects.values_list("source", flat=True)) == {"the workshop summary, paragraph 1"}


def test_websites_not_checked_against_a_source_are_marked_unverified(workshop):
    unverified = Actor.objects.exclude(website="").filter(website_verified=False)
    assert sorted(unverified.values_list("code", flat=True)) == ["ILO", "UNDP"]


def test_no_workshop_record_is_demo_data(workshop):
    assert not Actor.objects.filter(is_demo=True).exists()
    assert Meeting.objects.count() == 1
