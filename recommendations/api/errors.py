"""Every error of the API is JSON with the reason in `detail`, and for invalid input, `errors` by field."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

INVALID = "The request is not valid; see errors."


class ErrorSerializer(serializers.Serializer):
    """What every error answer holds."""

    detail = serializers.CharField(help_text="Why the request was refused.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: the messages by field (`non_field_errors` for the whole request).",
    )


class ConflictSerializer(ErrorSerializer):
    """A write refused because of the action's state or someone else's change."""

    differences = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        required=False,
        help_text="For a version conflict: each field that differs, as stored and as sent.",
    )


def handler(exc: Exception, context: dict):
    """DRF's answer, with field errors gathered under `errors` beside a `detail`."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": INVALID, "errors": _flat(errors)}
    return response


def _flat(errors: dict) -> dict[str, list[str]]:
    """Messages by field; a nested field's are named by its path (`evidence_links.0.url`)."""
    flat: dict[str, list[str]] = {}
    for name, value in errors.items():
        if isinstance(value, dict):
            flat.update({f"{name}.{inner}": messages for inner, messages in _flat(value).items()})
        elif isinstance(value, list) and value and isinstance(value[0], dict | list):
            for index, item in enumerate(value):
                if item:
                    inner = item if isinstance(item, dict) else {"": item}
                    flat.update({f"{name}.{index}{'.' + k if k else ''}": m for k, m in _flat(inner).items()})
        else:
            flat[name] = [str(message) for message in (value if isinstance(value, list) else [value])]
    return flat


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/v1/, whatever the method: 404, never the CSRF page's 403,
    as a client of the API sends no cookie and the answer changes nothing."""
    return JsonResponse(
        {"detail": "No such address in the API; its endpoints are listed at /api/v1/docs/."}, status=404
    )
