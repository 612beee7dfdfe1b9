"""The secretariat's review queue and reporting-round compliance."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from security.audit import log_event
from security.roles import is_secretariat

from ...models import ActionState, FollowUpAction, ReportingRound, Status
from .. import rounds, workflow
from ..access import get_action_for_user
from ..forms import ApproveForm, BulkApproveForm, ReturnForm
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
    context = {
        "rows": [(action, action.working_copy()) for action in actions],
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


@require_POST
@login_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, purpose="review")
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            workflow.approve(action=action, user=request.user, **form.cleaned_data)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            log_event("published", request=request, target=f"action {action.pk}")
            messages.success(request, f"Published “{action.title}”; its focal points are told by email.")
            return redirect("recommendations:review-queue")
    else:
        messages.error(request, "Choose a status from the list.")
    return redirect("recommendations:review-action", action.pk)


@require_POST
@login_required
def return_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, purpose="review")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            workflow.return_for_revision(action=action, user=request.user, comment=form.cleaned_data["comment"])
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Returned “{action.title}” with your comment.")
            return redirect("recommendations:review-queue")
        return redirect("recommendations:review-action", action.pk)
    context = {**action_context(action), "approve_form": ApproveForm(), "return_form": form}
    return render(request, "reporting/review_action.html", context, status=400)


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
