"""The OpenAPI schema says what is there: typed fields, and every answer conforms to it.

Schemathesis generates requests from the schema and sends them to the app through WSGI: every
read anonymously, every write with a focal point's token (on its own draft), a modest number
of examples each. No answer may be a server error, and each must conform to the schema: its
status code, content type, headers and body.
"""

import contextlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apc_tracker.wsgi import application
from recommendations.models import FollowUpAction

from .test_writes import DRAFT, call, token_for

pytestmark = pytest.mark.usefixtures("unthrottled")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 15


@contextlib.contextmanager
def _test_connection_kept():
    """The WSGI app closes the database connection after each request, as a server should; the
    test's transaction lives on that connection, so here it stays open, as Django's test client
    keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(client, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    return client.get("/api/v1/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()


def _operations(document: dict) -> dict:
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application
    return {operation.label: operation for operation in (result.ok() for result in schema.get_all_operations())}


def _run(operation, headers=None, **strategy) -> set[int]:
    """Send the operation's generated requests and check each answer; the status codes seen.

    The answers are asked for uncompressed: called through WSGI, nothing decompresses them.
    """
    seen = set()
    headers = {"Accept-Encoding": "identity", **(headers or {})}

    @given(case=operation.as_strategy(**strategy))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case):
        with _test_connection_kept():
            seen.add(case.call_and_validate(checks=CHECKS, headers=headers, app=application).status_code)

    run()
    return seen


READS = ["recommendations", "actions", "statuses", "actors", "meetings", "themes"]
WRITES = [
    "POST /api/v1/my/actions/",
    "GET /api/v1/my/actions/{number}/",
    "PUT /api/v1/my/actions/{number}/",
    "POST /api/v1/my/actions/{number}/evidence-links/",
    "POST /api/v1/my/actions/{number}/submit/",
]


def test_the_schema_lists_every_endpoint(api_schema):
    labels = set(_operations(api_schema))
    assert labels == {f"GET /api/v1/{name}/" for name in READS} | {"GET /api/v1/"} | set(WRITES)


def test_every_read_answers_as_the_schema_says(api_schema, follow_up):
    for label in ["GET /api/v1/", *(f"GET /api/v1/{name}/" for name in READS)]:
        assert 200 in _run(_operations(api_schema)[label]), label


def test_every_write_answers_as_the_schema_says(client, api_schema, thai_focal_point, follow_up):
    token = token_for(thai_focal_point)
    number = call(client, "post", "/api/v1/my/actions/", token, DRAFT).json()["number"]
    operations = _operations(api_schema)
    headers = {"Authorization": f"Token {token}"}
    for label in WRITES:
        path_parameters = {"number": number} if "{number}" in label else None
        seen = _run(operations[label], headers=headers, path_parameters=path_parameters)
        assert 401 not in seen and seen, (label, seen)
    assert FollowUpAction.objects.published().filter(actor__code="THA", pk=number).count() == 0


def _fields(component: dict):
    for name, field in component.get("properties", {}).items():
        yield name, field.get("items", field) if field.get("type") == "array" else field


def test_every_field_has_its_type_and_identifiers_dates_and_addresses_their_format(api_schema):
    components = api_schema["components"]["schemas"]
    for component_name, component in components.items():
        if "enum" in component:
            assert component["type"] == "string" and component["enum"], component_name
            continue
        for name, field in _fields(component):
            assert "type" in field or "$ref" in field or "allOf" in field or "oneOf" in field, (component_name, name)
            if name in ("url", "website") or name == "evidence":
                assert field["format"] == "uri", (component_name, name)
            if name.endswith("_date") or name in ("status_as_of", "as_of"):
                assert field["format"] == "date", (component_name, name)
            if name in ("status", "kind", "actor_kind", "state", "set_by", "status_label"):
                assert "$ref" in field or "allOf" in field or "oneOf" in field, (component_name, name)
            identifiers = ("id", "actor", "recommendation", "code", "recommendations", "partners", "addressees")
            if name in identifiers and component_name != "Index":
                assert "pattern" in field or field.get("type") == "integer", (component_name, name)
    assert components["StatusEnum"]["enum"] == [
        "no_action_planned", "not_started", "planned", "in_progress", "completed", "ongoing_practice",
    ]  # fmt: skip
    assert components["Action"]["properties"]["published_at"]["format"] == "date-time"
    token = api_schema["components"]["securitySchemes"]["personalToken"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    for path, operations in api_schema["paths"].items():
        for operation in operations.values():
            if path.startswith("/api/v1/my/"):
                assert operation["security"] == [{"personalToken": []}], path
            else:
                assert operation.get("security", [{}]) == [{}], path


def test_the_documentation_is_served_from_our_own_files(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "http" not in html.replace("http-equiv", "")
    assert "<script>" not in html, "the init script is a file of its own, as the CSP allows"
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert "'self'" in page["Content-Security-Policy"] and "unsafe-eval" not in page["Content-Security-Policy"]
