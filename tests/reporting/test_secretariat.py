"""Every write of the workflow that only the secretariat may make refuses anyone else, and changes nothing.

The secretariat is active staff verified by their second factor (security.roles.is_secretariat).
Two staff users who are not: the one django-otp's middleware marks unverified (signed in with
the password alone), and the secretariat's own account loaded from the database, which carries
no verification at all. The workflow is called directly, as a page or a command would call it.
"""

import inspect

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from recommendations.models import ActionRevision, FollowUpAction, ImplementationStatus
from recommendations.reporting import workflow

from .conftest import action_input


def published(thailand, thai_focal_point, secretariat, p15) -> FollowUpAction:
    action = workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15], title="Published"))
    workflow.submit(action=action, user=thai_focal_point, version=action.version)
    return workflow.approve(action=action, user=secretariat)


def corrected(action: FollowUpAction) -> FollowUpAction:
    action.title = "Corrected title"
    return action


WRITES = {
    "approve": lambda actions, user: workflow.approve(action=actions["submitted"], user=user),
    "approve_many": lambda actions, user: workflow.approve_many(actions=[actions["submitted"]], user=user),
    "return_for_revision": lambda actions, user: workflow.return_for_revision(
        action=actions["submitted"], user=user, comment="Cite the resolution."
    ),
    "enter_on_behalf": lambda actions, user: workflow.enter_on_behalf(
        action=FollowUpAction(actor=actions["submitted"].actor, **action_input([], title="On paper").content),
        user=user,
    ),
    "correct_action": lambda actions, user: workflow.correct_action(
        action=corrected(actions["published"]), user=user, version=actions["published"].version, reason="A typo."
    ),
    "delete_actions": lambda actions, user: workflow.delete_actions(actions=list(actions.values()), user=user),
}


def test_the_table_covers_every_write_that_requires_the_secretariat():
    requiring = {
        name
        for name, function in inspect.getmembers(workflow, inspect.isfunction)
        if function.__module__ == workflow.__name__
        and not name.startswith("_")
        and "_require_secretariat(user)" in inspect.getsource(function)
    }
    assert requiring == set(WRITES)


@pytest.fixture
def actions(thai_submitted, thailand, thai_focal_point, secretariat, p15) -> dict:
    return {"submitted": thai_submitted, "published": published(thailand, thai_focal_point, secretariat, p15)}


@pytest.fixture(params=["signed in with the password alone", "loaded from the database"])
def unverified(request, django_user_model):
    if request.param == "signed in with the password alone":
        user = request.getfixturevalue("unverified_staff")
        assert user.is_verified() is False
    else:
        user = django_user_model.objects.get(pk=request.getfixturevalue("secretariat").pk)
        assert not hasattr(user, "is_verified")
    assert user.is_active and user.is_staff and user.is_superuser
    return user


def snapshot():
    return (
        list(FollowUpAction.objects.order_by("pk").values_list("pk", "state", "version", "title", "reviewed_by")),
        FollowUpAction.history.count(),
        ActionRevision.objects.count(),
        list(ImplementationStatus.objects.order_by("pk").values_list("actor", "paragraph", "status")),
        len(mail.outbox),
    )


@pytest.mark.parametrize("write", WRITES)
def test_staff_not_verified_by_their_second_factor_are_refused_and_change_nothing(actions, unverified, write):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        WRITES[write](actions, unverified)
    assert snapshot() == before


def test_approving_an_empty_selection_is_refused_too(unverified):
    with pytest.raises(PermissionDenied):
        workflow.approve_many(actions=[], user=unverified)
