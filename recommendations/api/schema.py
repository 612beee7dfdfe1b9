"""What the OpenAPI schema says of each endpoint beyond its serializers: errors, headers, the token."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from .errors import ConflictSerializer, ErrorSerializer
from .filters import PARAMETERS


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Token <secret>`, the focal point's personal token from the workspace."""

    target_class = "recommendations.api.tokens.PersonalToken"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106  # nosec B106
        scheme["description"] = "A focal point's personal token, made in the workspace at /my/tokens/."
        return scheme


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


TOO_MANY = _error("Too many requests from this address (or token); Retry-After says in how many seconds to retry.")
_HEADERS = [
    OpenApiParameter(
        "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, description="The data version.", response=[200, 304]
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="When the data last changed (HTTP date).",
        response=[200, 304],
    ),
    OpenApiParameter(
        "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, description="Seconds to wait.", response=[429]
    ),
]


def read_list(serializer, *, filters: bool, summary: str):
    """A public list: cursor pages, 304 while the data version is unchanged, 400 on a bad filter."""
    responses = {
        200: serializer(many=True),
        304: OpenApiResponse(description="Not modified: the data version is the one sent in If-None-Match."),
        404: _error("The cursor is not one this API gave."),
        429: TOO_MANY,
    }
    if filters:
        responses[400] = _error("A filter's value is unknown; the reason names it.")
    return extend_schema(
        summary=summary,
        responses=responses,
        parameters=[*(PARAMETERS if filters else []), *_HEADERS],
        tags=["open data"],
    )


NUMBER = OpenApiParameter(
    "number", OpenApiTypes.INT, OpenApiParameter.PATH, description="The action's number (action-42 is 42)."
)


def write(request, response, *, summary: str, created: bool = False):
    """A focal point's write with a personal token, on the action `number` unless it creates one."""
    return extend_schema(
        summary=summary,
        request=request,
        responses={
            201 if created else 200: response,
            400: _error("The input is not valid: `errors` gives the messages by field."),
            401: _error("No token, or a token that is unknown, expired, revoked, or whose appointment has ended."),
            404: _error("No action of the token's actor has this number."),
            409: OpenApiResponse(
                ConflictSerializer,
                description="The action waits for review, or was changed since the version sent (see differences).",
            ),
            429: TOO_MANY,
        },
        parameters=[_HEADERS[-1], *([] if created else [NUMBER])],
        tags=["reporting"],
    )
