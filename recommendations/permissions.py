"""Who may open which object outside the public pages: the one place every object view asks.

A focal point works on the actions reported by the actor they are currently focal point of,
and nothing else; the secretariat (staff) reviews every action; everyone may download a public
evidence file, and restricted ones only the actor's focal points and the secretariat. Anything
else is a 404, so that nobody learns what exists.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest

from .models import EvidenceFile, FollowUpAction
from .reporting import current_actor, is_secretariat


class SignInRequired(Exception):
    """The visitor is anonymous and the object is not public: send them to sign in."""


def get_action_for_user(request: HttpRequest, pk: int, *, purpose: str) -> FollowUpAction:
    """The action `pk` if the user may use it for `purpose` ("report" or "review"), else 404."""
    action = FollowUpAction.objects.select_related("actor").filter(pk=pk).first()
    allowed = {
        "report": lambda: action.actor == current_actor(request.user),
        "review": lambda: is_secretariat(request.user),
    }[purpose]
    if action is None or not allowed():
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
    raise Http404("No such file.")


def sign_in(request: HttpRequest):
    return redirect_to_login(request.get_full_path())
