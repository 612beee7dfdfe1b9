"""Who may open which object outside the public pages: the one place every object view asks.

A focal point works on the actions reported by the actor they are currently focal point of,
and nothing else; the secretariat (staff) reviews every action; everyone may download a public
evidence file, and restricted ones only the actor's focal points and the secretariat. Anything
else is a 404, so that nobody learns what exists.
"""

from __future__ import annotations

import logging

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest

from security.audit import log_event

from .models import EvidenceFile, FollowUpAction
from .reporting import current_actor, is_secretariat


def acts_as_secretariat(request: HttpRequest) -> bool:
    """Staff who signed in with their second factor: only they reach the review tools."""
    return is_secretariat(request.user) and request.user.is_verified()


class SignInRequired(Exception):
    """The visitor is anonymous and the object is not public: send them to sign in."""


def get_action_for_user(request: HttpRequest, pk: int, *, purpose: str) -> FollowUpAction:
    """The action `pk` if the user may use it for `purpose` ("report" or "review"), else 404."""
    action = FollowUpAction.objects.select_related("actor").filter(pk=pk).first()
    allowed = {
        "report": lambda: action.actor == current_actor(request.user),
        "review": lambda: acts_as_secretariat(request),
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
    if acts_as_secretariat(request) or evidence.action.actor == current_actor(request.user):
        return evidence
    log_event("permission refused", request=request, target=f"evidence file {pk}", level=logging.WARNING)
    raise Http404("No such file.")


def sign_in(request: HttpRequest):
    return redirect_to_login(request.get_full_path())
