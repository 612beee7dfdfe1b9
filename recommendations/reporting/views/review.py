"""The secretariat's review queue and reporting-round compliance."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from security.audit import log_event
from security.roles import is_secretariat

from ...models import ActionState, FollowUpAction, ReportingRound, ReviewQueueVisit, Status
from .. import rounds, workflow
from ..access import get_action_for_user
from ..forms import ApproveForm, BulkApproveForm, ReturnForm, ReviewForm
from .workspace import action_context

OVERDUE_AFTER = datetime.timedelta(days=14)
STALE_AFTER = datetime.timedelta(days=180)
FILTERS = {
    "": "Waiting for review",
    "overdue": f"Waiting for review for more than {OVERDUE_AFTER.days} days",
    "stale": f"Published, still planned or in progress, status not updated for {STALE_AFTER.days} days",
}


def _require_secretariat(request: HttpRequest) -> None:
    if not is_secretariat(request.user):
        raise Http404("No such page.")


def _queue(show: str):
    now = timezone.now()
    if show == "stale":
        return FollowUpAction.objects.published().filter(
            status__in=[Status.PLANNED, Status.IN_PROGRESS], status_as_of__lt=(now - STALE_AFTER).date()
        )
    queryset = FollowUpAction.objects.awaiting_review()
    if show == "overdue":
        cutoff = now - OVERDUE_AFTER
        late_action = Q(state=ActionState.SUBMITTED, submitted_at__lt=cutoff)
        late_revision = Q(revisions__state=ActionState.SUBMITTED, revisions__submitted_at__lt=cutoff)
        queryset = queryset.filter(late_action | late_revision)
    return queryset


@require_safe
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    show = request.GET.get("show", "")
    if show not in FILTERS:
        messages.warning(request, f"There is no filter {show!r}; showing everything waiting for review.")
        show = ""
    actions = (
        _queue(show)
        .with_working_copies()
        .select_related("actor", "submitted_by")
        .prefetch_related("recommendations__meeting")
        .order_by("submitted_at", "pk")
    )
    last_visit = ReviewQueueVisit.objects.record(request.user)
    copies = [(action, action.working_copy()) for action in actions]
    context = {
        "rows": [(action, copy, copy.arrived_after(last_visit)) for action, copy in copies],
        "last_visit": last_visit,
        "show": show,
        "filters": FILTERS.items(),
        "rounds": ReportingRound.objects.select_related("meeting"),
        "bulk_form": BulkApproveForm(),
    }
    return render(request, "reporting/review_queue.html", context)


@require_safe
@login_required
def action(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, purpose="review")
    context = {**action_context(action), "approve_form": ApproveForm(), "return_form": ReturnForm()}
    return render(request, "reporting/review_action.html", context)


def _decide(
    request: HttpRequest,
    pk: int,
    form_class: type[ReviewForm],
    decision: Callable[[FollowUpAction, dict], str],
    refused: Callable[[FollowUpAction, ReviewForm], HttpResponse],
) -> HttpResponse:
    """A reviewer's decision on an action, made with a form of `form_class`.

    With a valid form, `decision` calls the workflow and returns what to tell the reviewer, who
    goes back to the queue; if the workflow refuses, back to the action with its reason. An
    invalid form is answered by `refused`.
    """
    action = get_action_for_user(request, pk, purpose="review")
    form = form_class(request.POST)
    if not form.is_valid():
        return refused(action, form)
    try:
        done = decision(action, form.cleaned_data)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("recommendations:review-action", action.pk)
    messages.success(request, done)
    return redirect("recommendations:review-queue")


@require_POST
@login_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    def publish(action: FollowUpAction, data: dict) -> str:
        workflow.approve(action=action, user=request.user, **data)
        log_event("published", request=request, target=f"action {action.pk}")
        return f"Published “{action.title}”; its focal points are told by email."

    def refused(action: FollowUpAction, form: ReviewForm) -> HttpResponse:
        messages.error(request, "Choose a status from the list.")
        return redirect("recommendations:review-action", action.pk)

    return _decide(request, pk, ApproveForm, publish, refused)


@require_POST
@login_required
def return_action(request: HttpRequest, pk: int) -> HttpResponse:
    def send_back(action: FollowUpAction, data: dict) -> str:
        workflow.return_for_revision(action=action, user=request.user, comment=data["comment"])
        return f"Returned “{action.title}” with your comment."

    def refused(action: FollowUpAction, form: ReviewForm) -> HttpResponse:
        # The return form shows what is missing beside its field.
        context = {**action_context(action), "approve_form": ApproveForm(), "return_form": form}
        return render(request, "reporting/review_action.html", context, status=400)

    return _decide(request, pk, ReturnForm, send_back, refused)


@require_POST
@login_required
def bulk_approve(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["actions"]))
        return redirect("recommendations:review-queue")
    approved, problems = workflow.approve_many(actions=form.cleaned_data["actions"], user=request.user)
    log_event("published", request=request, target=f"{approved} actions by bulk approval")
    messages.success(request, f"Published {approved} action(s).")
    for problem in problems:
        messages.error(request, problem)
    return redirect("recommendations:review-queue")


@require_safe
@login_required
def round_compliance(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretariat(request)
    round_ = get_object_or_404(ReportingRound.objects.select_related("meeting"), pk=pk)
    return render(request, "reporting/round.html", {"round": round_, "responses": rounds.responses(round_)})
