"""Who may open which object outside the public pages: the one place every object view asks.

A focal point works on the actions reported by the actor they are currently focal point of,
and nothing else; the secretariat (staff) reviews every action; everyone may download a public
evidence file, and restricted ones only the actor's focal points and the secretariat. Anything
else is a 404, so that nobody learns what exists.
"""

from __future__ import annotations

import logging

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest

from security.audit import log_event
from security.roles import is_secretariat

from ..models import Actor, EvidenceFile, FocalPoint, FollowUpAction


def current_actor(user: AbstractBaseUser) -> Actor | None:
    """The actor the user is currently focal point of, if any (kept on the user for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_current_actor"):
        appointment = FocalPoint.objects.current().filter(user=user).select_related("actor").first()
        user._current_actor = appointment.actor if appointment else None
    return user._current_actor


class SignInRequired(Exception):
    """The visitor is anonymous and the object is not public: send them to sign in."""


def get_action_for_user(request: HttpRequest, pk: int, *, purpose: str) -> FollowUpAction:
    """The action `pk` if the user may use it for `purpose` ("report" or "review"), else 404."""
    action = FollowUpAction.objects.select_related("actor").filter(pk=pk).first()
    allowed = {
        "report": lambda: action.actor == current_actor(request.user),
        "review": lambda: is_secretariat(request.user),
    }[purpose]
    if action is None:
        raise Http404("No such action.")
    if not allowed():
        log_event("permission refused", request=request, target=f"action {pk} ({purpose})", level=logging.WARNING)
        raise Http404("No such action.")
    return action


def get_evidence_file_for_user(request: HttpRequest, pk: int) -> EvidenceFile:
    """The evidence file `pk` if the user may download it; raises SignInRequired or Http404."""
    evidence = EvidenceFile.objects.select_related("action__actor", "revision").filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such file.")
    if EvidenceFile.objects.public().filter(pk=pk).exists():
        return evidence
    if not request.user.is_authenticated:
        raise SignInRequired
    if is_secretariat(request.user) or evidence.action.actor == current_actor(request.user):
        return evidence
    log_event("permission refused", request=request, target=f"evidence file {pk}", level=logging.WARNING)
    raise Http404("No such file.")


def sign_in(request: HttpRequest):
    return redirect_to_login(request.get_full_path())
