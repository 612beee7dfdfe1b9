"""The secretariat's admin: every page opens, imported text stays verbatim, follow-up keeps
the derived statuses up to date, and only staff get in."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recommendations.models import (
    ActionPartner,
    ActionRecommendation,
    ActionRevision,
    Actor,
    EvidenceLink,
    FocalPoint,
    FollowUpAction,
    ImplementationStatus,
    Meeting,
    Paragraph,
    Participation,
    Status,
    StatusMilestone,
    Theme,
)
from recommendations.progress.history import recount_milestones, stored_milestones
from recommendations.progress.statuses import refresh_implementation_statuses, status_pairs
from recommendations.reporting import workflow
from tests.conftest import PASSWORD, sign_in_with_second_factor

JUNE_1 = datetime.date(2006, 6, 1)


def admin_url(model_name: str, view: str, *args) -> str:
    return reverse(f"admin:recommendations_{model_name}_{view}", args=args)


def report_action(actor, paragraphs, *, status=Status.IN_PROGRESS, as_of=JUNE_1, partners=(), title="Action plan"):
    """An action saved the way the admin saves one, with its derived statuses refreshed."""
    action = FollowUpAction.objects.create(
        actor=actor, title=title, status=status, status_as_of=as_of, state="published", published_at=timezone.now()
    )
    ActionRecommendation.objects.bulk_create(ActionRecommendation(action=action, paragraph=p) for p in paragraphs)
    ActionPartner.objects.bulk_create(ActionPartner(action=action, actor=partner) for partner in partners)
    refresh_implementation_statuses(status_pairs(action))
    return action


def form_data(response) -> dict:
    """What a browser sends back when the admin form of `response` is submitted unchanged.

    Covers the main form, the management form of each inline formset and each inline form,
    so a test only has to change the values it is about.
    """
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(getattr(item, "pk", item)) for item in value]
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[form.add_prefix(name)] = value
    return data


def select(admin_action: str, *actions, **fields) -> dict:
    """What the changelist posts when `admin_action` is chosen for `actions` and its Go button pressed."""
    return {"action": admin_action, "_selected_action": [action.pk for action in actions], "index": "0", **fields}


def form_errors(response) -> str:
    """The errors an admin form page shows, for assertion messages."""
    if response.context is None or "adminform" not in response.context:
        return ""
    errors = [response.context["adminform"].form.errors]
    errors += [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
    errors += [inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]]
    return repr(errors)


def submitted_action(actor, paragraphs, user, *, title="Memorandum on labour cooperation"):
    """An action a focal point wrote and submitted for review."""
    content = {"title": title, "status": Status.PLANNED, "status_as_of": JUNE_1}
    action = workflow.create_action(
        actor=actor, user=user, data=workflow.ActionInput(content=content, recommendations=paragraphs)
    )
    workflow.submit(action=action, user=user, version=action.version)
    action.refresh_from_db()
    return action


@pytest.fixture
def paragraph_13(workshop) -> Paragraph:
    return workshop.paragraphs.get(number=13)


@pytest.fixture
def action(thailand, australia, paragraph_13) -> FollowUpAction:
    return report_action(thailand, [paragraph_13], partners=[australia], title="Anti-trafficking act amendment")


@pytest.fixture
def submitted(thailand, thai_focal_point, paragraph_13) -> FollowUpAction:
    return submitted_action(thailand, [paragraph_13], thai_focal_point)


@pytest.fixture
def later_meeting(thailand) -> Meeting:
    """A second meeting, so that the filters by meeting have something to tell apart."""
    meeting = Meeting.objects.create(code="manila-2007", title="A later APC meeting", source_text="1. Text.")
    theme = Theme.objects.create(meeting=meeting, position=1, heading="Labour migration")
    paragraph = Paragraph.objects.create(meeting=meeting, number=1, theme=theme, text="Text.", is_tracked=True)
    Participation.objects.create(meeting=meeting, actor=thailand, role=Participation.Role.PARTICIPANT)
    report_action(thailand, [paragraph], status=Status.PLANNED, title="Labour attaches")
    return meeting


@pytest.fixture
def one_of_each(workshop, thai_focal_point, action, later_meeting) -> dict:
    """A saved record of every model the admin registers."""
    return {
        "meeting": workshop,
        "theme": workshop.themes.get(position=3),
        "paragraph": workshop.paragraphs.get(number=13),
        "actor": Actor.objects.get(code="THA"),
        "participation": Participation.objects.get(meeting=workshop, actor__code="THA"),
        "focalpoint": FocalPoint.objects.get(user=thai_focal_point),
        "followupaction": action,
        "implementationstatus": ImplementationStatus.objects.get(actor__code="THA", paragraph__number=13),
    }


@pytest.fixture
def admin_client(client, secretariat):
    return sign_in_with_second_factor(client, secretariat)


REGISTERED = [
    "meeting",
    "theme",
    "paragraph",
    "actor",
    "participation",
    "focalpoint",
    "followupaction",
    "implementationstatus",
]


# Every page opens


def test_admin_index_lists_every_registered_model(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    for model_name in REGISTERED:
        assert admin_url(model_name, "changelist") in response.content.decode()


def test_admin_index_names_its_sections_in_words(admin_client):
    sections = [app["name"] for app in admin_client.get(reverse("admin:index")).context["app_list"]]
    assert "Second factor: authenticator apps" in sections
    assert not [name for name in sections if "_" in name or "otp" in name.lower()]


def test_the_admin_names_paragraphs_in_words_not_by_the_meetings_code(admin_client, workshop):
    page = admin_client.get(admin_url("paragraph", "changelist")).content.decode()
    assert "Paragraph 4 — Bangkok, April 2006" in page
    assert "bangkok-2006 ¶" not in page


@pytest.mark.parametrize("model_name", REGISTERED)
def test_secretariat_opens_the_changelist_of_every_model(admin_client, one_of_each, model_name):
    response = admin_client.get(admin_url(model_name, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model_name", REGISTERED)
def test_secretariat_opens_the_change_page_of_every_model(admin_client, one_of_each, model_name):
    obj = one_of_each[model_name]
    response = admin_client.get(admin_url(model_name, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize(
    "model_name", ["meeting", "actor", "participation", "focalpoint", "followupaction", "implementationstatus"]
)
def test_secretariat_opens_the_add_page_of_every_model_that_can_be_added(admin_client, workshop, model_name):
    response = admin_client.get(admin_url(model_name, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model_name", ["theme", "paragraph"])
def test_themes_and_paragraphs_come_only_from_importing_a_document_not_from_an_add_page(
    admin_client, workshop, model_name
):
    assert admin_client.get(admin_url(model_name, "add")).status_code == 403
    changelist = admin_client.get(admin_url(model_name, "changelist"))
    assert admin_url(model_name, "add") not in changelist.content.decode()


# Search and filters


@pytest.mark.parametrize(
    ("model_name", "query", "expected"),
    [
        ("meeting", "Bangkok", lambda: Meeting.objects.filter(code="bangkok-2006")),
        ("theme", "smuggling", lambda: Theme.objects.filter(position=3)),
        ("paragraph", "Jenny", lambda: Paragraph.objects.filter(number=3)),
        ("paragraph", "DONOR-COUNTRIES", lambda: Paragraph.objects.filter(number=24)),
        ("actor", "UNHCR", lambda: Actor.objects.filter(code="UNHCR")),
        ("participation", "IOM", lambda: Participation.objects.filter(actor__code="IOM")),
        ("focalpoint", "somchai", lambda: FocalPoint.objects.filter(user__username="somchai")),
        ("followupaction", "trafficking", lambda: FollowUpAction.objects.filter(title__contains="trafficking")),
        ("implementationstatus", "AUS", lambda: ImplementationStatus.objects.filter(actor__code="AUS")),
    ],
    ids=[
        "meeting by place",
        "theme by heading",
        "paragraph by text",
        "paragraph by addressee code",
        "actor by code",
        "participation by actor",
        "focal point by username",
        "action by title",
        "status by actor",
    ],
)
def test_changelist_search_finds_the_matching_records(admin_client, one_of_each, model_name, query, expected):
    response = admin_client.get(admin_url(model_name, "changelist"), {"q": query})
    assert response.status_code == 200
    found = {obj.pk for obj in response.context["cl"].result_list}
    assert found == set(expected().values_list("pk", flat=True))
    assert found


def filter_cases():
    meeting = lambda r: {"meeting__id__exact": r["meeting"].pk}  # noqa: E731
    return [
        ("theme", meeting),
        ("paragraph", lambda r: {"tracked": "yes"}),
        ("paragraph", lambda r: {"tracked": "no"}),
        ("paragraph", meeting),
        ("paragraph", lambda r: {"theme__id__exact": r["theme"].pk}),
        ("paragraph", lambda r: {"addressees__kind__exact": "regional_process"}),
        ("actor", lambda r: {"kind__exact": "government"}),
        ("actor", lambda r: {"website_verified__exact": "1"}),
        ("actor", lambda r: {"is_demo__exact": "0"}),
        ("actor", lambda r: {"participations__verified__exact": "1"}),
        ("participation", meeting),
        ("participation", lambda r: {"role__exact": "observer"}),
        ("participation", lambda r: {"verified__exact": "1"}),
        ("participation", lambda r: {"actor__kind__exact": "international_organisation"}),
        ("focalpoint", lambda r: {"actor__kind__exact": "government"}),
        ("focalpoint", lambda r: {"end_date__isnull": "True"}),
        ("followupaction", lambda r: {"state__exact": "published"}),
        ("followupaction", lambda r: {"status__exact": "in_progress"}),
        ("followupaction", lambda r: {"actor__kind__exact": "government"}),
        ("followupaction", lambda r: {"recommendations__meeting__id__exact": r["meeting"].pk}),
        ("followupaction", lambda r: {"is_highlight__exact": "0"}),
        ("followupaction", lambda r: {"is_demo__exact": "0"}),
        ("followupaction", lambda r: {"status_as_of__gte": "2006-01-01", "status_as_of__lt": "2007-01-01"}),
        ("followupaction", lambda r: {"status_as_of__year": "2006"}),
        ("implementationstatus", lambda r: {"status": "in_progress"}),
        ("implementationstatus", lambda r: {"explicit_status__exact": "completed"}),
        ("implementationstatus", lambda r: {"paragraph__meeting__id__exact": r["meeting"].pk}),
        ("implementationstatus", lambda r: {"actor__kind__exact": "government"}),
        ("apitoken", lambda r: {"appointment__actor__kind__exact": "government"}),
    ]


FILTER_CASES = filter_cases()


@pytest.mark.parametrize(
    ("model_name", "params"),
    FILTER_CASES,
    ids=[f"{model_name}-{i}" for i, (model_name, _) in enumerate(FILTER_CASES)],
)
def test_every_list_filter_narrows_the_changelist(admin_client, one_of_each, model_name, params):
    query = params(one_of_each)
    response = admin_client.get(admin_url(model_name, "changelist"), query)
    # An unknown filter parameter makes the admin redirect to ?e=1 instead.
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.has_filters
    assert changelist.has_active_filters or "status_as_of__year" in query
    expected = changelist.model._default_manager.filter(**_lookups(query)).distinct()
    assert changelist.result_count == expected.count()


def _lookups(query: dict) -> dict:
    """The ORM lookups a filter's query string stands for."""
    lookups = {}
    for key, value in query.items():
        if key == "tracked":
            key, value = "is_tracked", value == "yes"
        elif key.endswith("__isnull"):
            value = value == "True"
        elif value in ("0", "1") and not key.endswith("__id__exact"):
            value = value == "1"
        lookups[key] = value
    return lookups


def test_the_filter_table_covers_every_list_filter_and_date_hierarchy_of_the_admin():
    tested = {}
    for model_name, _ in FILTER_CASES:
        tested[model_name] = tested.get(model_name, 0) + 1
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "recommendations":
            continue
        expected = len(model_admin.list_filter) + bool(model_admin.date_hierarchy)
        # The paragraph's "kind of paragraph" filter is tested with both of its choices.
        extra = 1 if model is Paragraph else 0
        assert tested.get(model._meta.model_name, 0) == expected + extra, model._meta.model_name


# Imported text is read-only


def test_paragraph_change_page_shows_the_text_without_a_field_to_edit_it(admin_client, paragraph_13):
    response = admin_client.get(admin_url("paragraph", "change", paragraph_13.pk))
    assert "text" not in response.context["adminform"].form.fields
    assert 'name="text"' not in response.content.decode()
    assert paragraph_13.text[:60] in response.content.decode()


def test_posting_a_changed_text_leaves_the_paragraph_verbatim_while_tracking_and_addressees_change(
    admin_client, paragraph_13, action
):
    url = admin_url("paragraph", "change", paragraph_13.pk)
    original_text = paragraph_13.text
    data = form_data(admin_client.get(url))
    assert data["actionrecommendation_set-TOTAL_FORMS"] == 1  # the inline listing `action`
    assert data["addressees"] == [str(Actor.objects.get(code="ALL-STATES").pk)]

    thailand, australia = Actor.objects.get(code="THA"), Actor.objects.get(code="AUS")
    data["text"] = "A rewritten recommendation."
    del data["is_tracked"]
    data["addressees"] = [str(thailand.pk), str(australia.pk)]
    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    assert response["Location"] == admin_url("paragraph", "changelist")
    paragraph_13.refresh_from_db()
    assert paragraph_13.text == original_text
    assert paragraph_13.is_tracked is False
    assert set(paragraph_13.addressees.values_list("code", flat=True)) == {"THA", "AUS"}
    assert list(paragraph_13.actions.all()) == [action]


def test_posting_a_changed_heading_or_source_text_leaves_the_theme_and_meeting_verbatim(admin_client, workshop):
    theme = workshop.themes.get(position=3)
    url = admin_url("theme", "change", theme.pk)
    data = {**form_data(admin_client.get(url)), "heading": "A rewritten heading", "position": "9"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    theme.refresh_from_db()
    assert (theme.position, theme.heading[:30]) == (3, "Measures to ensure respect for")

    url = admin_url("meeting", "change", workshop.pk)
    source_text = workshop.source_text
    data = {**form_data(admin_client.get(url)), "source_text": "Rewritten.", "code": "renamed", "place": "Bangkok"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    workshop.refresh_from_db()
    assert (workshop.code, workshop.source_text, workshop.place) == ("bangkok-2006", source_text, "Bangkok")


# Follow-up through the admin keeps the derived statuses


def add_in_admin(admin_client, actor, paragraph, title: str) -> FollowUpAction:
    """An action in progress on `paragraph`, entered through the admin's add form."""
    url = admin_url("followupaction", "add")
    data = form_data(admin_client.get(url))
    data.update(
        {
            "actor": str(actor.pk),
            "title": title,
            "status": "in_progress",
            "status_as_of": "2006-06-01",
            "actionrecommendation_set-0-paragraph": str(paragraph.pk),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    return FollowUpAction.objects.get(title=title)


def test_adding_an_action_in_the_admin_records_who_and_derives_the_actor_status(
    admin_client, secretariat, thailand, paragraph_13
):
    action = add_in_admin(admin_client, thailand, paragraph_13, "Draft Anti-Trafficking in Persons Act")
    response = admin_client.post(admin_url("followupaction", "changelist"), select("approve_selected", action))
    assert response.status_code == 302

    action.refresh_from_db()
    assert (action.created_by, action.updated_by) == (secretariat, secretariat)
    assert list(action.recommendations.all()) == [paragraph_13]
    assert action.published_at is not None
    row = ImplementationStatus.objects.get()
    assert (row.actor, row.paragraph) == (thailand, paragraph_13)
    assert (row.derived_status, row.derived_as_of) == ("in_progress", JUNE_1)
    assert (row.status, row.as_of) == ("in_progress", JUNE_1)

    response = admin_client.post(admin_url("followupaction", "delete", action.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not FollowUpAction.objects.exists()
    assert not ImplementationStatus.objects.exists()


def test_adding_an_action_without_a_recommendation_is_refused(admin_client, thailand):
    url = admin_url("followupaction", "add")
    data = form_data(admin_client.get(url))
    data.update({"actor": str(thailand.pk), "title": "Unattached", "status": "planned", "status_as_of": "2006-06-01"})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert not FollowUpAction.objects.exists()


def test_editing_an_action_in_the_admin_records_who_and_updates_the_derived_status(
    admin_client, secretariat, action, paragraph_13
):
    url = admin_url("followupaction", "change", action.pk)
    data = {**form_data(admin_client.get(url)), "status": "completed", "status_as_of": "2006-08-01"}
    data["correction_reason"] = "The amendment came into force in August."
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    action.refresh_from_db()
    assert action.updated_by == secretariat
    rows = ImplementationStatus.objects.filter(paragraph=paragraph_13).order_by("actor__code")
    assert [(row.actor.code, row.status, row.as_of) for row in rows] == [
        ("AUS", "completed", datetime.date(2006, 8, 1)),
        ("THA", "completed", datetime.date(2006, 8, 1)),
    ]


def test_an_action_and_its_revision_each_show_and_take_their_own_evidence_links(admin_client, action, paragraph_13):
    revision = ActionRevision.objects.create(action=action, title="Amended", status="completed", status_as_of=JUNE_1)
    revision.recommendations.set([paragraph_13])
    EvidenceLink.objects.create(action=action, url="https://example.org/published")
    url = admin_url("actionrevision", "change", revision.pk)
    data = {**form_data(admin_client.get(url)), "evidence_links-0-url": "https://example.org/proposed"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert list(revision.evidence_links.values_list("url", flat=True)) == ["https://example.org/proposed"]
    assert list(action.evidence_links.values_list("url", flat=True)) == ["https://example.org/published"]
    page = admin_client.get(admin_url("followupaction", "change", action.pk)).content.decode()
    assert "https://example.org/published" in page
    assert "https://example.org/proposed" not in page


def test_deleting_actions_from_the_changelist_removes_their_derived_statuses(admin_client, action, paragraph_13):
    assert ImplementationStatus.objects.filter(paragraph=paragraph_13).count() == 2  # THA and partner AUS
    response = admin_client.post(
        admin_url("followupaction", "changelist"),
        {"action": "delete_selected", "_selected_action": [action.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not FollowUpAction.objects.exists()
    assert not ImplementationStatus.objects.exists()


def test_deleting_an_action_keeps_a_status_the_secretariat_set(admin_client, action, paragraph_13):
    ImplementationStatus.objects.filter(actor__code="THA").update(explicit_status="completed", explicit_as_of=JUNE_1)
    response = admin_client.post(admin_url("followupaction", "delete", action.pk), {"post": "yes"})
    assert response.status_code == 302
    row = ImplementationStatus.objects.get()
    assert (row.actor.code, row.derived_status, row.status) == ("THA", "", "completed")


# Actors added in the admin


def add_government(client, **fields):
    url = admin_url("actor", "add")
    data = {**form_data(client.get(url)), "kind": "government", **fields}
    return client.post(url, data)


def test_adding_a_government_in_the_admin_stores_its_code_in_upper_case(admin_client):
    response = add_government(admin_client, code="lao", name="Lao People's Democratic Republic", short_name="Laos")
    assert response.status_code == 302, form_errors(response)
    assert Actor.objects.get().code == "LAO"


def test_adding_a_government_with_an_unknown_code_in_the_admin_explains_the_code(admin_client):
    response = add_government(admin_client, code="XYZ", name="Nowhere", short_name="Nowhere")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == ["'XYZ' is not an ISO 3166-1 alpha-3 country code."]
    assert not Actor.objects.exists()


def test_adding_a_government_without_names_in_the_admin_names_it_as_the_un_does(admin_client):
    response = add_government(admin_client, code="IRN")
    assert response.status_code == 302, form_errors(response)
    actor = Actor.objects.get()
    assert (actor.name, actor.short_name) == ("Islamic Republic of Iran", "Iran (Islamic Republic of)")


# Query counts do not grow with the data


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def add_follow_up_and_paragraphs(workshop):
    """Many more actions, partners, addressees and paragraphs than the fixture has."""
    actors = list(Actor.objects.all())
    paragraphs = list(workshop.paragraphs.all())
    for i in range(60):
        report_action(
            actors[i % len(actors)],
            paragraphs[i % 20 : i % 20 + 4],
            partners=[actors[(i + 1) % len(actors)], actors[(i + 2) % len(actors)]],
            status=list(Status)[i % len(Status)],
            title=f"Action {i}",
        )
    for paragraph in paragraphs:
        paragraph.addressees.add(*actors[:5])
    other = Meeting.objects.create(code="manila-2007", title="A later meeting", source_text="1. Text.")
    theme = Theme.objects.create(meeting=other, position=1, heading="One heading")
    Paragraph.objects.bulk_create(
        Paragraph(meeting=other, number=n, theme=theme, text=f"Paragraph {n}.", is_tracked=True) for n in range(1, 41)
    )
    for paragraph in other.paragraphs.all():
        paragraph.addressees.add(*actors[5:8])


# The session, its user and their device; the meetings to filter by; the actions counted as
# filtered and in all; one page of actions, their recommendations and those meetings; the date
# hierarchy's range and days; the session's renewal (three queries).
ACTION_CHANGELIST_QUERIES = 14


@pytest.mark.parametrize("count", [6, 60])
def test_the_action_changelist_runs_a_fixed_number_of_queries_for_any_number_of_actions(
    admin_client, workshop, thai_focal_point, django_assert_num_queries, count
):
    actors = list(Actor.objects.all())
    paragraphs = list(workshop.paragraphs.all())
    for i in range(count):
        if i % 2:
            submitted_action(actors[i % len(actors)], paragraphs[i % 20 : i % 20 + 3], thai_focal_point)
        else:
            report_action(actors[i % len(actors)], paragraphs[i % 20 : i % 20 + 3], partners=[actors[(i + 1) % 9]])
    url = admin_url("followupaction", "changelist")
    admin_client.get(url)  # the first request fills the caches
    with django_assert_num_queries(ACTION_CHANGELIST_QUERIES):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == count


@pytest.mark.parametrize("model_name", ["paragraph", "followupaction", "implementationstatus", "actor", "meeting"])
def test_changelist_runs_the_same_number_of_queries_however_much_follow_up_there_is(
    admin_client, workshop, thailand, model_name
):
    report_action(thailand, [workshop.paragraphs.get(number=13)])
    url = admin_url(model_name, "changelist")
    queries_for(admin_client, url)  # the first request fills the caches
    few = queries_for(admin_client, url)

    add_follow_up_and_paragraphs(workshop)
    assert Paragraph.objects.count() == 65
    assert FollowUpAction.objects.count() == 61
    many = queries_for(admin_client, url)
    assert many == few


def test_paragraph_changelist_shows_addressee_codes_and_action_counts(admin_client, workshop, action):
    response = admin_client.get(admin_url("paragraph", "changelist"), {"meeting__id__exact": workshop.pk})
    changelist = response.context["cl"]
    rows = {paragraph.number: paragraph for paragraph in changelist.result_list}
    assert len(rows) == 25
    assert (rows[13].action_count, rows[12].action_count) == (1, 0)
    addressee_codes = changelist.model_admin.addressee_codes
    assert set(addressee_codes(rows[12]).split(", ")) == {"APC", "BALI", "PIDC", "ALL-STATES"}
    assert addressee_codes(rows[1]) == "—"


# Only staff get in


@pytest.fixture(params=["anonymous visitor", "focal point"])
def outsider(request, client):
    if request.param == "focal point":
        client.force_login(request.getfixturevalue("thai_focal_point"))
    return client


@pytest.mark.parametrize("page", ["index", "paragraph change page", "action changelist"])
def test_outsiders_are_sent_to_the_admin_login(outsider, paragraph_13, page):
    url = {
        "index": reverse("admin:index"),
        "paragraph change page": admin_url("paragraph", "change", paragraph_13.pk),
        "action changelist": admin_url("followupaction", "changelist"),
    }[page]
    response = outsider.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_a_focal_point_cannot_sign_in_to_the_admin_with_their_password(client, thai_focal_point):
    response = client.post(
        reverse("admin:login"), {"username": "somchai", "password": PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_outsiders_cannot_post_changes_to_a_paragraph(outsider, paragraph_13):
    response = outsider.post(admin_url("paragraph", "change", paragraph_13.pk), {"is_tracked": ""})
    assert response.status_code == 302
    paragraph_13.refresh_from_db()
    assert paragraph_13.is_tracked is True


def test_two_admin_forms_holding_the_same_version_cannot_overwrite_each_other(admin_client, action):
    url = admin_url("followupaction", "change", action.pk)
    first = {**form_data(admin_client.get(url)), "correction_reason": "Corrected from the gazette."}
    second = dict(first)
    first["title"] = "Anti-trafficking act amended"
    assert admin_client.post(url, first).status_code == 302
    second["responsible_agency"] = "Ministry of Justice"
    response = admin_client.post(url, second)
    assert response.status_code == 200
    assert "Someone else saved this action while you were editing it" in response.content.decode()
    assert 'value="Ministry of Justice"' in response.content.decode()
    action.refresh_from_db()
    assert (action.title, action.responsible_agency) == ("Anti-trafficking act amended", "")


# Publication, returns and corrections go through the workflow


def test_the_review_state_is_read_only_on_actions_and_their_revisions(admin_client, action, thai_focal_point):
    content = {"title": "Anti-trafficking act amended", "status": Status.COMPLETED, "status_as_of": JUNE_1}
    data = workflow.ActionInput(content=content, recommendations=list(action.recommendations.all()))
    revision = workflow.edit_action(action=action, user=thai_focal_point, version=action.version, data=data)
    for model_name, obj in [("followupaction", action), ("actionrevision", revision)]:
        response = admin_client.get(admin_url(model_name, "change", obj.pk))
        assert "state" not in response.context["adminform"].form.fields, model_name
        assert 'name="state"' not in response.content.decode(), model_name


def test_posting_published_as_the_state_publishes_nothing(admin_client, thailand, paragraph_13, submitted):
    url = admin_url("followupaction", "add")
    data = form_data(admin_client.get(url))
    data.update(
        {
            "actor": str(thailand.pk),
            "title": "Entered as published",
            "status": "completed",
            "status_as_of": "2006-06-01",
            "state": "published",
            "actionrecommendation_set-0-paragraph": str(paragraph_13.pk),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    url = admin_url("followupaction", "change", submitted.pk)
    response = admin_client.post(url, {**form_data(admin_client.get(url)), "state": "published"})
    assert response.status_code == 302, form_errors(response)

    assert list(FollowUpAction.objects.values_list("state", flat=True)) == ["submitted", "submitted"]
    assert not ImplementationStatus.objects.exists()


def test_the_approve_action_publishes_records_the_reviewer_tells_the_focal_points_and_logs(
    admin_client, secretariat, submitted, thailand, paragraph_13, thai_focal_point, mailoutbox, security_log
):
    draft = workflow.create_action(
        actor=thailand,
        user=thai_focal_point,
        data=workflow.ActionInput(
            content={"title": "Still a draft", "status": Status.PLANNED, "status_as_of": JUNE_1},
            recommendations=[paragraph_13],
        ),
    )
    response = admin_client.post(
        admin_url("followupaction", "changelist"), select("approve_selected", submitted, draft), follow=True
    )

    submitted.refresh_from_db()
    assert (submitted.state, submitted.reviewed_by, submitted.version) == ("published", secretariat, 3)
    assert submitted.published_at is not None
    assert FollowUpAction.objects.get(pk=draft.pk).state == "draft"
    assert [message.to for message in mailoutbox] == [["somchai@example.org"]]
    assert "Memorandum on labour cooperation" in mailoutbox[0].body
    assert security_log() == [("published", "secretariat", "1 actions by bulk approval")]
    assert [str(message) for message in response.context["messages"]] == [
        "Published 1 action(s); their focal points are told by email.",
        "Still a draft: Only a submitted action can be approved; this one is draft.",
    ]
    row = ImplementationStatus.objects.get()
    assert (row.actor, row.paragraph, row.status) == (thailand, paragraph_13, "planned")


def test_the_return_action_asks_for_a_comment_then_returns_the_actions_with_it(
    admin_client, secretariat, submitted, action, mailoutbox
):
    changelist = admin_url("followupaction", "changelist")
    response = admin_client.post(changelist, select("return_selected", submitted, action))
    assert response.status_code == 200
    assert "admin/base_site.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert '<textarea name="comment"' in page and "Memorandum on labour cooperation" in page
    assert response.context["form"].errors == {}

    confirmation = {"action": "return_selected", "_selected_action": [submitted.pk, action.pk], "post": "yes"}
    response = admin_client.post(changelist, {**confirmation, "comment": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"comment": ["This field is required."]}
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert mailoutbox == []

    response = admin_client.post(changelist, {**confirmation, "comment": "Give the MOU's date."}, follow=True)
    submitted.refresh_from_db()
    assert (submitted.state, submitted.reviewed_by, submitted.review_comment) == (
        "returned",
        secretariat,
        "Give the MOU's date.",
    )
    assert FollowUpAction.objects.get(pk=action.pk).state == "published"
    assert [message.to for message in mailoutbox] == [["somchai@example.org"]]
    assert "Give the MOU's date." in mailoutbox[0].body
    assert [str(message) for message in response.context["messages"]] == [
        "Returned 1 action(s); their focal points get your comment by email.",
        "Anti-trafficking act amendment: Only a submitted action can be returned; this one is published.",
    ]


def test_an_action_entered_in_the_admin_waits_for_review_saying_who_entered_it(
    admin_client, secretariat, thailand, paragraph_13
):
    action = add_in_admin(admin_client, thailand, paragraph_13, "Report received by post")
    assert (action.state, action.created_by, action.submitted_by) == ("submitted", secretariat, secretariat)
    entry = action.history.get()
    assert (entry.history_change_reason, entry.history_user) == ("Entered by the secretariat", secretariat)
    assert list(FollowUpAction.objects.awaiting_review()) == [action]
    assert not ImplementationStatus.objects.exists()
    assert "Report received by post" in admin_client.get(reverse("recommendations:review-queue")).content.decode()


def test_a_published_action_is_corrected_only_with_a_reason_that_its_history_keeps(
    admin_client, action, paragraph_13, security_log
):
    url = admin_url("followupaction", "change", action.pk)
    page = admin_client.get(url)
    assert 'name="correction_reason"' in page.content.decode()
    data = {**form_data(page), "title": "Anti-trafficking act amended", "status": "completed"}
    data["status_as_of"] = "2006-08-01"

    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["correction_reason"] == [
        "Say why you correct this published action: the reason goes into its history."
    ]
    assert 'value="Anti-trafficking act amended"' in response.content.decode()
    action.refresh_from_db()
    assert (action.title, action.status) == ("Anti-trafficking act amendment", "in_progress")

    data["correction_reason"] = "The Royal Gazette of 1 August 2006 announces the amended act."
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    action.refresh_from_db()
    assert (action.state, action.title, action.status) == ("published", "Anti-trafficking act amended", "completed")
    latest = action.history.first()
    assert latest.history_change_reason == "The Royal Gazette of 1 August 2006 announces the amended act."
    rows = ImplementationStatus.objects.filter(paragraph=paragraph_13).order_by("actor__code")
    assert [(row.actor.code, row.status, row.as_of) for row in rows] == [
        ("AUS", "completed", datetime.date(2006, 8, 1)),
        ("THA", "completed", datetime.date(2006, 8, 1)),
    ]
    assert security_log() == [("corrected", "secretariat", f"action {action.pk}")]


def test_an_action_not_yet_published_is_corrected_without_being_asked_why(admin_client, submitted):
    url = admin_url("followupaction", "change", submitted.pk)
    page = admin_client.get(url)
    assert 'name="correction_reason"' not in page.content.decode()
    response = admin_client.post(url, {**form_data(page), "title": "Memorandum on labour migration"})
    assert response.status_code == 302, form_errors(response)
    submitted.refresh_from_db()
    assert (submitted.state, submitted.title) == ("submitted", "Memorandum on labour migration")
    assert submitted.history.first().history_change_reason == "Corrected by the secretariat"


@pytest.fixture
def password_only_client(client, unverified_staff):
    """Staff signed in with their password but not their one-time code."""
    client.force_login(unverified_staff)
    return client


def test_staff_without_their_second_factor_are_sent_to_sign_in_and_change_nothing(
    password_only_client, submitted, action, thailand, paragraph_13
):
    changelist = admin_url("followupaction", "changelist")
    entry = {
        "actor": str(thailand.pk),
        "title": "Entered",
        "status": "planned",
        "status_as_of": "2006-06-01",
        "actionrecommendation_set-TOTAL_FORMS": "1",
        "actionrecommendation_set-INITIAL_FORMS": "0",
        "actionrecommendation_set-0-paragraph": str(paragraph_13.pk),
    }
    attempts = [
        ("get", changelist, {}),
        ("post", changelist, select("approve_selected", submitted)),
        ("post", changelist, select("return_selected", submitted)),
        ("post", changelist, {"action": "return_selected", "_selected_action": [submitted.pk], "post": "yes"}),
        ("post", admin_url("followupaction", "add"), entry),
        ("post", admin_url("followupaction", "change", action.pk), {**entry, "correction_reason": "Taken over"}),
        ("post", admin_url("followupaction", "delete", action.pk), {"post": "yes"}),
        ("post", changelist, select("delete_selected", action, post="yes")),
    ]

    def snapshot():
        return (
            list(FollowUpAction.objects.order_by("pk").values_list("pk", "state", "title", "version")),
            list(ImplementationStatus.objects.order_by("pk").values_list("actor", "paragraph", "status")),
            FollowUpAction.history.count(),
        )

    before = snapshot()
    for method, url, data in attempts:
        response = getattr(password_only_client, method)(url, data)
        assert response.status_code == 302, (url, data)
        assert response["Location"].startswith(f"{reverse('admin:login')}?next="), (url, data)
    assert snapshot() == before


# Every write in the admin keeps the status milestones as a recount gives them


def assert_milestones_recount():
    assert stored_milestones() == recount_milestones()


def test_a_correction_in_the_admin_keeps_the_milestones(admin_client, action):
    url = admin_url("followupaction", "change", action.pk)
    data = {**form_data(admin_client.get(url)), "status": "completed", "status_as_of": "2006-08-01"}
    data["correction_reason"] = "The Royal Gazette of 1 August 2006 announces the amended act."
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert StatusMilestone.objects.filter(status="completed", basis="validated").count() == 2
    assert_milestones_recount()


def test_approving_and_deleting_in_the_admin_keep_the_milestones(admin_client, submitted, action):
    response = admin_client.post(admin_url("followupaction", "changelist"), select("approve_selected", submitted))
    assert response.status_code == 302
    assert StatusMilestone.objects.filter(status="planned").exists()
    assert_milestones_recount()
    response = admin_client.post(admin_url("followupaction", "delete", action.pk), {"post": "yes"})
    assert response.status_code == 302
    assert_milestones_recount()


@pytest.mark.parametrize("explicit", ["completed", ""])
def test_an_explicit_status_set_in_the_admin_keeps_the_milestones(admin_client, action, explicit):
    row = ImplementationStatus.objects.get(actor__code="THA")
    url = admin_url("implementationstatus", "change", row.pk)
    data = {**form_data(admin_client.get(url)), "explicit_status": explicit, "explicit_as_of": "2006-09-01"}
    if not explicit:
        data.pop("explicit_as_of")
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert StatusMilestone.objects.filter(basis="explicit").count() == (1 if explicit else 0)
    assert_milestones_recount()
