"""The workspace's page of personal API tokens: make one (shown once), see them, revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..models import ApiToken, FocalPoint
from ..reporting import access
from .tokens import LIFETIMES, create_token, revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="What will use it, e.g. “Ministry of Labour reporting system”.",
    )
    days = forms.TypedChoiceField(
        label="Valid for", choices=list(LIFETIMES.items()), coerce=int, initial=90, widget=forms.RadioSelect
    )


def _appointment(request: HttpRequest) -> FocalPoint | None:
    actor = access.current_actor(request.user)
    if actor is None:
        return None
    return FocalPoint.objects.current().filter(user=request.user, actor=actor).select_related("actor", "user").first()


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    appointment = _appointment(request)
    if appointment is None:
        return render(request, "reporting/no_actor.html", status=403)
    form = TokenForm(request.POST or None, label_suffix="")
    secret = None
    if request.method == "POST" and form.is_valid():
        grant, secret = create_token(
            appointment=appointment, name=form.cleaned_data["name"], days=form.cleaned_data["days"], request=request
        )
        form = TokenForm(label_suffix="")
    listed = (
        ApiToken.objects.filter(appointment__user=request.user)
        .select_related("token", "appointment__actor")
        .order_by("-token__created")
    )
    context = {"actor": appointment.actor, "form": form, "secret": secret, "tokens": listed}
    return render(request, "api/tokens.html", context, status=201 if secret else 200)


@require_POST
@login_required
def revoke_token(request: HttpRequest, key: str) -> HttpResponse:
    grant = (
        ApiToken.objects.filter(appointment__user=request.user, token__token_key=key)
        .select_related("token", "appointment__actor", "appointment__user")
        .first()
    )
    if grant is None:
        raise Http404("No such token of yours.")
    revoke(grant, request=request)
    messages.success(request, f"The token “{grant.name}” is revoked: it no longer works.")
    return redirect("api:tokens")
