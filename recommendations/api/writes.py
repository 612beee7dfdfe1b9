"""Focal points report from their own systems with a personal token: the workspace's writes.

Everything goes the way of the workspace's forms: the action form checks the input by its
rules, `access.get_action_for_user` decides which action the token reaches (its actor's only,
else 404 and a line in the security log), and the workflow's functions write, each with the
version the client last read (409 with the differences when someone saved in between). Nothing
here publishes or approves: that stays with the secretariat.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Actor, FollowUpAction, Paragraph
from ..reporting import access, workflow
from ..reporting.forms import ActionForm
from . import schema, serializers
from .tokens import HasPersonalToken, PersonalToken


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, detail: str, differences: list[dict] | None = None):
        super().__init__(detail)
        self.differences = differences


class _Write(APIView):
    authentication_classes = [PersonalToken]
    permission_classes = [HasPersonalToken]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, Conflict) and exc.differences is not None:
            response.data["differences"] = exc.differences
        return response

    def reported(self, number: int) -> FollowUpAction:
        return access.get_action_for_user(self.request, number, purpose="report")

    def answer(self, action: FollowUpAction, code: int = status.HTTP_200_OK) -> Response:
        fresh = FollowUpAction.objects.get(pk=action.pk)
        return Response(serializers.OwnActionSerializer(serializers.own_action(fresh, self.request)).data, status=code)


def _valid(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _form(data: dict, actor: Actor) -> ActionForm:
    """The workspace's action form filled with `data`, checked by its rules."""
    wanted = {tuple(identifier.split("/")) for identifier in data["recommendations"]}
    matches = Q(pk__in=[])
    for meeting, number in wanted:
        matches |= Q(meeting__code=meeting, number=int(number))
    paragraphs = dict(
        (f"{meeting}/{number}", pk)
        for pk, meeting, number in Paragraph.objects.tracked()
        .filter(matches)
        .values_list("pk", "meeting__code", "number")
    )
    partners = dict(Actor.objects.filter(code__in=data["partners"]).values_list("code", "pk"))
    errors = {}
    if unknown := [identifier for identifier in data["recommendations"] if identifier not in paragraphs]:
        errors["recommendations"] = [f"No tracked recommendation is {', '.join(unknown)}."]
    if unknown := [code for code in data["partners"] if code not in partners]:
        errors["partners"] = [f"No actor has the code {', '.join(unknown)}."]
    if errors:
        raise exceptions.ValidationError(errors)
    form = ActionForm(
        {
            **{name: _text(data.get(name)) for name in workflow.CONTENT_FIELDS},
            "recommendations": [paragraphs[identifier] for identifier in data["recommendations"]],
            "partners": [partners[code] for code in data["partners"]],
            "evidence_links": "\n".join(f"{link['url']} {link['label']}".strip() for link in data["evidence_links"]),
        },
        actor=actor,
    )
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                "non_field_errors" if name == "__all__" else name: list(messages)
                for name, messages in form.errors.items()
            }
        )
    return form


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _save(action: FollowUpAction, user, version: int, form: ActionForm) -> None:
    try:
        workflow.edit_action(action=action, user=user, version=version, data=form.action_input())
    except workflow.EditConflict as error:
        raise Conflict(
            f"Someone saved this action since version {version}; it is now at version {error.action.version}.",
            [{"field": label, "stored": stored, "sent": sent} for label, stored, sent in error.differences],
        ) from None
    except workflow.WorkflowError as error:
        raise Conflict(str(error)) from None


class OwnActions(_Write):
    @schema.write(
        serializers.ActionInputSerializer, serializers.OwnActionSerializer, summary="Log a draft", created=True
    )
    def post(self, request: Request) -> Response:
        actor = access.current_actor(request.user)
        form = _form(_valid(serializers.ActionInputSerializer, request), actor)
        action = workflow.create_action(actor=actor, user=request.user, data=form.action_input())
        return self.answer(action, status.HTTP_201_CREATED)


class OwnAction(_Write):
    @schema.write(None, serializers.OwnActionSerializer, summary="One of the actor's actions, as it is edited")
    def get(self, request: Request, number: int) -> Response:
        return self.answer(self.reported(number))

    @schema.write(
        serializers.ActionEditSerializer, serializers.OwnActionSerializer, summary="Replace a draft's content"
    )
    def put(self, request: Request, number: int) -> Response:
        action = self.reported(number)
        data = _valid(serializers.ActionEditSerializer, request)
        _save(action, request.user, data["version"], _form(data, action.actor))
        return self.answer(action)


class EvidenceLinks(_Write):
    @schema.write(serializers.LinksInputSerializer, serializers.OwnActionSerializer, summary="Attach evidence links")
    def post(self, request: Request, number: int) -> Response:
        action = self.reported(number)
        data = _valid(serializers.LinksInputSerializer, request)
        current = serializers.own_action(action, request)
        listed = {link["url"] for link in current["evidence_links"]}
        current["evidence_links"] += [link for link in data["links"] if link["url"] not in listed]
        _save(action, request.user, data["version"], _form(current, action.actor))
        return self.answer(action)


class Submit(_Write):
    @schema.write(serializers.VersionSerializer, serializers.OwnActionSerializer, summary="Submit for review")
    def post(self, request: Request, number: int) -> Response:
        action = self.reported(number)
        version = _valid(serializers.VersionSerializer, request)["version"]
        try:
            workflow.submit(action=action, user=request.user, version=version)
        except workflow.EditConflict:
            raise Conflict(f"Someone saved this action since version {version}; read it again and submit.") from None
        except workflow.WorkflowError as error:
            raise Conflict(str(error)) from None
        return self.answer(action)
