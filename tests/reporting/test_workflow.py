"""Draft → submitted → published or returned, revisions of published actions, and no lost updates."""

import socket
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string

from recommendations.models import ActionRevision, EvidenceLink, FollowUpAction, ImplementationStatus
from recommendations.progress.freshness import figures_generation
from recommendations.reporting import workflow

from .conftest import action_input


def test_a_new_action_is_a_draft_the_public_does_not_see(thai_draft):
    assert thai_draft.state == "draft"
    assert not FollowUpAction.objects.published().exists()
    assert not ImplementationStatus.objects.exists()


def test_submitting_records_who_and_when(thai_submitted, thai_focal_point):
    assert thai_submitted.state == "submitted"
    assert thai_submitted.submitted_by == thai_focal_point
    assert thai_submitted.submitted_at is not None


def test_approving_publishes_records_the_reviewer_and_updates_the_status(thai_published, secretariat, thailand, p15):
    assert FollowUpAction.objects.published().get() == thai_published
    assert thai_published.reviewed_by == secretariat
    row = ImplementationStatus.objects.get(actor=thailand, paragraph=p15)
    assert (row.status, row.reported_status, row.reported_differs) == ("planned", "planned", False)


def test_a_focal_point_cannot_publish_even_their_own_submitted_action(thai_submitted, thai_focal_point):
    with pytest.raises(PermissionDenied):
        workflow.approve(action=thai_submitted, user=thai_focal_point)
    thai_submitted.refresh_from_db()
    assert thai_submitted.state == "submitted"


def test_a_draft_cannot_be_approved_directly(thai_draft, secretariat):
    with pytest.raises(workflow.WorkflowError, match="Only a submitted action"):
        workflow.approve(action=thai_draft, user=secretariat)
    assert not FollowUpAction.objects.published().exists()


def test_approving_twice_is_refused(thai_published, secretariat):
    with pytest.raises(workflow.WorkflowError, match="this one is published"):
        workflow.approve(action=thai_published, user=secretariat)


def test_a_submitted_action_cannot_be_edited(thai_submitted, thai_focal_point, p15):
    with pytest.raises(workflow.WorkflowError, match="waits for review"):
        workflow.edit_action(
            action=thai_submitted, user=thai_focal_point, version=thai_submitted.version, data=action_input([p15])
        )


def test_returning_needs_a_comment_and_sends_it_to_the_focal_point(thai_submitted, secretariat, mailoutbox):
    with pytest.raises(workflow.WorkflowError, match="needs a comment"):
        workflow.return_for_revision(action=thai_submitted, user=secretariat, comment="  ")
    workflow.return_for_revision(action=thai_submitted, user=secretariat, comment="Cite the resolution number.")
    thai_submitted.refresh_from_db()
    assert thai_submitted.state == "returned"
    assert thai_submitted.review_comment == "Cite the resolution number."
    assert [m.to for m in mailoutbox] == [["somchai@example.org"]]
    assert "Cite the resolution number." in mailoutbox[0].body


def test_a_returned_action_is_fixed_and_resubmitted(thai_submitted, secretariat, thai_focal_point, p15):
    workflow.return_for_revision(action=thai_submitted, user=secretariat, comment="Cite it.")
    thai_submitted.refresh_from_db()
    data = action_input([p15], status_source="Cabinet resolution 12/2006")
    workflow.edit_action(action=thai_submitted, user=thai_focal_point, version=thai_submitted.version, data=data)
    workflow.submit(action=thai_submitted, user=thai_focal_point, version=thai_submitted.version)
    thai_submitted.refresh_from_db()
    assert (thai_submitted.state, thai_submitted.status_source) == ("submitted", "Cabinet resolution 12/2006")


def test_editing_a_published_action_keeps_the_public_content_until_the_revision_is_approved(
    thai_published, thai_focal_point, secretariat, thailand, p15, mailoutbox
):
    data = action_input([p15], title="Labour migration act", status="completed")
    revision = workflow.edit_action(
        action=thai_published, user=thai_focal_point, version=thai_published.version, data=data
    )
    assert isinstance(revision, ActionRevision)
    public = FollowUpAction.objects.published().get()
    assert (public.title, public.status) == ("National action plan on labour migration", "planned")

    thai_published.refresh_from_db()
    workflow.submit(action=thai_published, user=thai_focal_point, version=thai_published.version)
    assert FollowUpAction.objects.published().get().title == "National action plan on labour migration"
    assert list(FollowUpAction.objects.awaiting_review()) == [thai_published]

    workflow.approve(action=thai_published, user=secretariat, validated_status="in_progress", comment="Not in force")
    public = FollowUpAction.objects.published().get()
    assert (public.title, public.status, public.public_status, public.status_differs) == (
        "Labour migration act",
        "completed",
        "in_progress",
        True,
    )
    row = ImplementationStatus.objects.get(actor=thailand, paragraph=p15)
    assert (row.status, row.reported_status, row.reported_differs) == ("in_progress", "completed", True)
    assert thai_published.working_copy() == thai_published
    assert "Not in force" in mailoutbox[-1].body


def test_the_working_copy_is_the_action_until_published_then_its_open_revision(
    thai_draft, thai_focal_point, secretariat, p15, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert thai_draft.working_copy() is thai_draft
    workflow.submit(action=thai_draft, user=thai_focal_point, version=thai_draft.version)
    published = workflow.approve(action=thai_draft, user=secretariat)
    assert published.working_copy() is published
    revision = workflow.edit_action(
        action=published, user=thai_focal_point, version=published.version, data=action_input([p15], title="Act")
    )
    assert published.working_copy() == revision
    loaded = FollowUpAction.objects.with_working_copies().get()
    with django_assert_num_queries(0):
        assert loaded.working_copy() == revision
        assert loaded.working_copy().title == "Act"


PLAN = ("https://example.org/plan", "The plan")
ACT = ("https://example.org/act", "The act")
GAZETTE = ("https://example.org/gazette", "")


def links(content) -> list[tuple[str, str]]:
    return list(content.evidence_links.values_list("url", "label"))


def test_an_edit_of_a_published_action_keeps_its_links_as_rows_until_approval_copies_them(
    thai_draft, thai_focal_point, secretariat, p15
):
    workflow.edit_action(
        action=thai_draft, user=thai_focal_point, version=thai_draft.version, data=action_input([p15], [PLAN])
    )
    workflow.submit(action=thai_draft, user=thai_focal_point, version=thai_draft.version)
    action = workflow.approve(action=thai_draft, user=secretariat)

    revision = workflow.edit_action(
        action=action, user=thai_focal_point, version=action.version, data=action_input([p15], [ACT, PLAN])
    )
    assert list(EvidenceLink.objects.filter(revision=revision, action=None).values_list("url", "label")) == [ACT, PLAN]
    revision = workflow.edit_action(
        action=action, user=thai_focal_point, version=action.version, data=action_input([p15], [ACT, GAZETTE])
    )
    assert links(revision) == [ACT, GAZETTE]
    assert links(action) == [PLAN]

    workflow.submit(action=action, user=thai_focal_point, version=action.version)
    workflow.approve(action=action, user=secretariat)
    assert links(action) == [ACT, GAZETTE]
    assert links(revision) == [ACT, GAZETTE]


def test_two_forms_holding_the_same_version_cannot_both_save(thai_draft, thai_focal_point, p15):
    version = thai_draft.version
    first = action_input([p15], title="Labour migration act")
    workflow.edit_action(action=thai_draft, user=thai_focal_point, version=version, data=first)
    second = action_input([p15], title="Plan on migrant workers")
    with pytest.raises(workflow.EditConflict) as conflict:
        workflow.edit_action(action=thai_draft, user=thai_focal_point, version=version, data=second)
    assert conflict.value.differences == [("Title", "Labour migration act", "Plan on migrant workers")]
    assert FollowUpAction.objects.get().title == "Labour migration act"


def test_history_keeps_who_changed_what_and_why(thai_submitted, secretariat):
    workflow.return_for_revision(action=thai_submitted, user=secretariat, comment="Cite it.")
    reasons = list(thai_submitted.history.order_by("history_date").values_list("state", "history_change_reason"))
    assert reasons == [("draft", "Created"), ("submitted", "Submitted for review"), ("returned", "Cite it.")]


def test_the_published_timeline_lists_each_publication(thai_published, thai_focal_point, secretariat, p15):
    workflow.edit_action(
        action=thai_published, user=thai_focal_point, version=thai_published.version, data=action_input([p15])
    )
    thai_published.refresh_from_db()
    workflow.submit(action=thai_published, user=thai_focal_point, version=thai_published.version)
    workflow.approve(action=thai_published, user=secretariat)
    assert len(thai_published.published_timeline()) == 2


def test_the_published_timeline_snippet_shows_each_publication_and_no_draft(
    thai_published, thai_focal_point, secretariat, p15
):
    data = action_input([p15], title="Labour migration act", status="completed")
    workflow.edit_action(action=thai_published, user=thai_focal_point, version=thai_published.version, data=data)
    thai_published.refresh_from_db()
    html = render_to_string("public/snippets/published_timeline.html", {"action": thai_published})
    assert html.count("<li>") == 1 and "Labour migration act" not in html
    workflow.submit(action=thai_published, user=thai_focal_point, version=thai_published.version)
    workflow.approve(action=thai_published, user=secretariat, validated_status="in_progress")
    html = render_to_string("public/snippets/published_timeline.html", {"action": thai_published})
    assert "published “National action plan on labour migration”, planned" in html
    assert "published “Labour migration act”, completed as of 1 June 2006 (validated as in progress)" in html


def test_each_edit_of_a_draft_raises_its_version_by_one(thai_draft, thai_focal_point, p15):
    before = thai_draft.version
    for edit in range(1, 4):
        workflow.edit_action(
            action=thai_draft,
            user=thai_focal_point,
            version=before + edit - 1,
            data=action_input([p15], title=f"Edit {edit}"),
        )
        thai_draft.refresh_from_db()
        assert thai_draft.version == before + edit


def test_a_mail_server_that_is_down_does_not_stop_a_publication(thai_submitted, secretariat, mail_server_down, caplog):
    workflow.approve(action=thai_submitted, user=secretariat)
    thai_submitted.refresh_from_db()
    assert thai_submitted.state == "published"
    assert "Could not send the review notice of 'National action plan" in caplog.text


def test_a_mail_server_that_never_answers_holds_a_publication_only_for_the_mail_timeout(
    thai_submitted, secretariat, settings, caplog
):
    """The server takes the connection and says nothing; the project's own timeout ends the wait."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        started = time.monotonic()
        workflow.approve(action=thai_submitted, user=secretariat)
        waited = time.monotonic() - started
    assert settings.EMAIL_TIMEOUT - 1 < waited < settings.EMAIL_TIMEOUT + 5
    thai_submitted.refresh_from_db()
    assert thai_submitted.state == "published"
    assert "Could not send the review notice of 'National action plan" in caplog.text


def test_drafts_leave_the_cached_public_figures_alone_and_publication_refreshes_them(
    thai_draft, thai_focal_point, secretariat, p15
):
    before = figures_generation()
    workflow.edit_action(action=thai_draft, user=thai_focal_point, version=thai_draft.version, data=action_input([p15]))
    thai_draft.refresh_from_db()
    workflow.submit(action=thai_draft, user=thai_focal_point, version=thai_draft.version)
    assert figures_generation() == before
    workflow.approve(action=thai_draft, user=secretariat)
    assert figures_generation() != before


# The secretariat's entries and corrections


def paper_report(actor) -> FollowUpAction:
    """An action as the secretariat types it in from a report that came on paper (not saved yet)."""
    return FollowUpAction(actor=actor, **action_input([], title="Paper report on labour migration").content)


def test_an_action_entered_on_behalf_waits_for_review_with_who_entered_it(thailand, secretariat, p15):
    action = paper_report(thailand)
    workflow.enter_on_behalf(action=action, user=secretariat, save_related=lambda: action.recommendations.set([p15]))
    action.refresh_from_db()
    assert (action.state, action.created_by, action.submitted_by) == ("submitted", secretariat, secretariat)
    assert list(action.recommendations.all()) == [p15]
    assert list(FollowUpAction.objects.awaiting_review()) == [action]
    assert action.history.get().history_change_reason == "Entered by the secretariat"
    assert not ImplementationStatus.objects.exists()

    workflow.approve(action=action, user=secretariat)
    assert FollowUpAction.objects.published().get() == action
    assert ImplementationStatus.objects.get().status == "planned"


def test_an_action_already_recorded_is_not_entered_again(thai_draft, secretariat):
    with pytest.raises(workflow.WorkflowError, match="already recorded"):
        workflow.enter_on_behalf(action=thai_draft, user=secretariat)
    thai_draft.refresh_from_db()
    assert thai_draft.state == "draft"


def test_a_published_action_is_corrected_only_with_a_reason_that_its_history_keeps(
    thai_published, secretariat, thailand, p15, workshop
):
    version = thai_published.version
    thai_published.status = "completed"
    with pytest.raises(workflow.WorkflowError, match="Say why"):
        workflow.correct_action(action=thai_published, user=secretariat, version=version, reason="  ")
    assert FollowUpAction.objects.get().status == "planned"

    p16 = workshop.paragraphs.get(number=16)
    workflow.correct_action(
        action=thai_published,
        user=secretariat,
        version=version,
        reason="The ministry's letter says it was adopted.",
        save_related=lambda: thai_published.recommendations.set([p16]),
    )
    stored = FollowUpAction.objects.get()
    assert (stored.state, stored.status, stored.version, stored.updated_by) == (
        "published",
        "completed",
        version + 1,
        secretariat,
    )
    assert stored.history.first().history_change_reason == "The ministry's letter says it was adopted."
    # The status moves from the recommendation the action answered before to the one it answers now.
    assert list(ImplementationStatus.objects.values_list("actor", "paragraph", "status")) == [
        (thailand.pk, p16.pk, "completed")
    ]


def test_a_draft_is_corrected_without_a_reason(thai_draft, secretariat):
    thai_draft.title = "National plan on labour migration"
    workflow.correct_action(action=thai_draft, user=secretariat, version=thai_draft.version)
    stored = FollowUpAction.objects.get()
    assert (stored.state, stored.title) == ("draft", "National plan on labour migration")
    assert stored.history.first().history_change_reason == "Corrected by the secretariat"


def test_a_correction_does_not_publish(thai_submitted, secretariat):
    thai_submitted.publish()
    with pytest.raises(workflow.WorkflowError, match="leaves the review state as it is"):
        workflow.correct_action(action=thai_submitted, user=secretariat, version=thai_submitted.version, reason="x")
    assert not FollowUpAction.objects.published().exists()


def test_a_correction_over_someone_elses_change_is_refused(thai_draft, thai_focal_point, secretariat, p15):
    version = thai_draft.version
    workflow.edit_action(action=thai_draft, user=thai_focal_point, version=version, data=action_input([p15]))
    thai_draft.title = "Corrected title"
    with pytest.raises(workflow.EditConflict):
        workflow.correct_action(action=thai_draft, user=secretariat, version=version)
    assert FollowUpAction.objects.get().title == "National action plan on labour migration"


def test_deleting_actions_removes_the_statuses_they_gave(thai_published, secretariat):
    assert ImplementationStatus.objects.exists()
    workflow.delete_actions(actions=FollowUpAction.objects.all(), user=secretariat)
    assert not FollowUpAction.objects.exists()
    assert not ImplementationStatus.objects.exists()
