"""The focal point's workspace: their actor's recommendations, statuses and actions."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from security.audit import log_event
from security.roles import is_secretariat

from ...models import ActionRevision, ActionState, FollowUpAction, ImplementationStatus, Paragraph, ReportingRound
from .. import access, rounds, workflow
from ..access import SignInRequired, get_action_for_user, get_evidence_file_for_user, sign_in
from ..forms import ActionForm

logger = logging.getLogger(__name__)

# The workspace lists the open work in full and the published actions a page at a time, so that
# an actor with thousands of actions gets the page as fast as one with a few.
PUBLISHED_PAGE_SIZE = 20


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = access.current_actor(request.user)
    if actor is None:
        if is_secretariat(request.user):
            return redirect("recommendations:review-queue")
        return render(request, "reporting/no_actor.html")
    paragraphs = (
        Paragraph.objects.tracked()
        .select_related("meeting")
        .with_addressed(actor)
        .order_by("-addressed", "meeting__start_date", "number")
    )
    statuses = {row.paragraph_id: row for row in ImplementationStatus.objects.filter(actor=actor)}
    actions = FollowUpAction.objects.filter(actor=actor).with_working_copies().prefetch_related("recommendations")
    open_work = [
        (action, action.working_copy())
        for action in actions.open_work().select_related("reviewed_by").order_by("-updated_at")
    ]
    published = _page(request, actions.published().order_by("-published_at", "-pk"))
    context = {
        "actor": actor,
        "recommendations": [(paragraph, statuses.get(paragraph.pk)) for paragraph in paragraphs],
        "open_work": open_work,
        "returned": [(action, copy) for action, copy in open_work if copy.state == ActionState.RETURNED],
        "published": published,
        "published_rows": [(action, action.working_copy()) for action in published],
        "rounds": [
            (round_, last is not None and last >= round_.opens_on)
            for last in [rounds.last_submission(actor)]
            for round_ in ReportingRound.objects.open().select_related("meeting")
        ],
    }
    return render(request, "reporting/home.html", context)


def _page(request: HttpRequest, actions: QuerySet[FollowUpAction]) -> Page:
    """The page of `actions` that ?page= asks for: 400 when it is not a number, 404 past the last page."""
    try:
        return Paginator(actions, PUBLISHED_PAGE_SIZE).page(request.GET.get("page", 1))
    except PageNotAnInteger as error:
        raise BadRequest("?page= must be a whole number from 1.") from error
    except EmptyPage as error:
        raise Http404("There are no published actions on this page.") from error


@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    actor = access.current_actor(request.user)
    if actor is None:
        return render(request, "reporting/no_actor.html", status=403)
    form = ActionForm(request.POST or None, request.FILES or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            action = workflow.create_action(actor=actor, user=request.user, data=form.action_input())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The action is saved as a draft. Submit it when it is ready for review.")
            return redirect("recommendations:workspace-action", action.pk)
    return render(request, "reporting/action_form.html", {"form": form, "actor": actor, "action": None})


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, purpose="report")
    copy = action.working_copy()
    if copy.state == ActionState.SUBMITTED:
        # 409 Conflict: the address is right and the user may use it, but the action's state
        # forbids an edit until the review is done; browsers show the page all the same.
        context = {"action": action, "copy": copy, "is_revision": isinstance(copy, ActionRevision)}
        return render(request, "reporting/action_waits.html", context, status=409)
    files = copy.removable_files()
    if request.method != "POST":
        initial = {**ActionForm.initial_from(copy), "version": action.version}
        form = ActionForm(initial=initial, actor=action.actor, files=files)
        return render(request, "reporting/action_form.html", {"form": form, "actor": action.actor, "action": action})
    form = ActionForm(request.POST, request.FILES, actor=action.actor, files=files)
    conflict = None
    if form.is_valid():
        try:
            workflow.edit_action(
                action=action, user=request.user, version=form.cleaned_data["version"] or 0, data=form.action_input()
            )
        except workflow.EditConflict as error:
            conflict = error
            form.data = form.data.copy()
            form.data["version"] = error.action.version
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect("recommendations:workspace-action", action.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("recommendations:workspace-action", action.pk)
    context = {"form": form, "actor": action.actor, "action": action, "conflict": conflict}
    return render(request, "reporting/action_form.html", context, status=409 if conflict else 200)


@require_safe
@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, purpose="report")
    return render(request, "reporting/action_detail.html", action_context(action))


def action_context(action: FollowUpAction) -> dict:
    """What the focal point's and the reviewer's pages of an action show."""
    copy = action.working_copy()
    history = [
        *action.history.select_related("history_user"),
        *ActionRevision.history.filter(action_id=action.pk).select_related("history_user"),
    ]
    return {
        "action": action,
        "copy": copy,
        "is_revision": isinstance(copy, ActionRevision),
        "files": action.evidence_files.select_related("revision"),
        "history": sorted(history, key=lambda record: record.history_date, reverse=True),
    }


@require_POST
@login_required
def action_submit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, purpose="report")
    try:
        version = int(request.POST.get("version", ""))
        workflow.submit(action=action, user=request.user, version=version)
    except ValueError:
        messages.error(request, "The form was incomplete; nothing was submitted. Please try again.")
    except workflow.EditConflict:
        messages.error(request, "Someone changed the action since you opened it; check it and submit again.")
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Submitted. The secretariat will review it before it is published.")
    return redirect("recommendations:workspace-action", action.pk)


@require_safe
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        evidence = get_evidence_file_for_user(request, pk)
    except SignInRequired:
        return sign_in(request)
    if evidence.is_restricted:
        log_event("restricted file downloaded", request=request, target=f"evidence file {evidence.pk}")
    try:
        content = evidence.file.open("rb")
    except FileNotFoundError:
        logger.error("Evidence file %s is recorded but missing from storage: %s", evidence.pk, evidence.file.name)
        raise Http404("The file is missing; the secretariat has been told.") from None
    response = FileResponse(content, content_type=evidence.content_type, filename=evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if evidence.is_restricted else "public, max-age=3600"
    return response
