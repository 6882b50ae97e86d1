"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis 4).

Every operation in /api/v1/openapi.json gets a bounded number of generated requests (valid and invalid),
sent in-process through Django's WSGI handler (so they share the test's database transaction), with a
fresh bearer token of a superuser, so protected routes run their real code. A request must never cause a
server error, and every documented response must match its schema and content type. The run is
deterministic (derandomized); raise SCHEMATHESIS_MAX_EXAMPLES locally to dig deeper.

Production serves ASGI (uvicorn); the WSGI handler runs the same URLconf, middleware and views.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
)

from ansinh.accounts.models import User
from ansinh.accounts.services import token_issue
from tests.factories import PASSWORD, OrganisationFactory, PersonFactory, UserFactory

OPENAPI_PATH = "/api/v1/openapi.json"
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))
# Not `negative_data_rejection`: it flags requests that merely carry unknown query parameters (which the
# API ignores, as APIs do) and pydantic's lax parsing (a number accepted as a Unix-time `datetime`), so it
# fails on noise. Invalid requests are still generated and must never cause a server error.
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    ignored_auth,
]

schema = schemathesis.openapi.from_wsgi(OPENAPI_PATH, WSGIHandler())


@pytest.fixture
def _one_connection():
    """Like Django's test client: a request must not close the database connection when it ends, or the
    test's transaction (and on PostgreSQL the connection itself) would be gone for the next request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fresh_auth(db, _one_connection):
    """Seeds a little of everything, and returns a function giving headers with a new superuser token.

    A token is issued per request: the fuzzer may revoke the token it was given (DELETE /auth/token) or
    reissue the superuser's own password (which then must be changed), and later requests must still run
    the protected code rather than stop at 401/403."""
    admin = User.objects.create_superuser("schemathesis-admin", PASSWORD)
    org = OrganisationFactory()
    for _ in range(3):
        PersonFactory()
    UserFactory(username="nguyenvanb")
    OrganisationFactory(parent=org)

    def headers() -> dict[str, str]:
        User.objects.filter(pk=admin.pk).update(must_change_password=False, is_active=True)
        _, raw = token_issue(user=User.objects.get(pk=admin.pk), two_factor_verified=True)
        return {"Authorization": f"Bearer {raw}"}

    return headers


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_without_server_error_and_as_documented(case, fresh_auth):
    # Each example runs in a savepoint and is rolled back, so one request's database error (or data) never
    # leaks into the next example.
    savepoint = transaction.savepoint_create()
    try:
        headers = fresh_auth()
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
    finally:
        transaction.savepoint_rollback(savepoint)


NUL_REQUESTS = [
    ("get", "/api/v1/people?q=%00", None),
    ("get", "/api/v1/reference/occupations?q=%00", None),
    ("get", "/api/v1/reference/provinces/%00/wards", None),
    ("get", "/api/v1/audit/entries?object_id=%00", None),
    ("post", "/api/v1/auth/token", {"username": "a\x00", "password": "x"}),
    ("post", "/api/v1/auth/password/reset", {"identifier": "a\x00", "channel": "sms"}),
    (
        "post",
        "/api/v1/auth/password/reset/confirm",
        {"identifier": "a\x00", "code": "123456", "new_password": "Abcdefghijkl-1"},
    ),
]


@pytest.mark.parametrize(("method", "path", "body"), NUL_REQUESTS)
def test_nul_character_is_refused_not_a_server_error(client, db, method, path, body):
    from tests.api_client import ApiClient

    admin = User.objects.create_superuser("nul-admin", PASSWORD)
    headers = ApiClient(client).as_user(admin)._headers(None)
    kwargs: dict = {"headers": headers}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code < 500, response.content


@pytest.mark.parametrize("path", ["/api/v1/audit/entries", "/api/v1/audit/entries.csv"])
def test_far_offset_in_a_date_filter_is_refused_not_a_server_error(client, db, path):
    from tests.api_client import ApiClient

    admin = User.objects.create_superuser("tz-admin", PASSWORD)
    headers = ApiClient(client).as_user(admin)._headers(None)
    response = client.get(path, {"since": "2026-03-22T15:56:35+23:50"}, headers=headers)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code < 500, response.content


def test_document_is_openapi_3_1(client: Client):
    response = client.get(OPENAPI_PATH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"]
    assert document["info"]["version"]
    assert document["paths"], "the document lists no operation"


def test_document_validates_against_the_openapi_3_1_meta_schema(client: Client):
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    document = json.loads(client.get(OPENAPI_PATH).content)
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in OPENAPI_31_VALIDATOR.iter_errors(document)
    ]
    assert not errors, "\n".join(errors[:20])


def test_every_protected_operation_declares_bearer_auth(client: Client):
    document = json.loads(client.get(OPENAPI_PATH).content)
    schemes = document.get("components", {}).get("securitySchemes", {})
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
            assert operation.get("responses"), f"{method.upper()} {path} documents no response"
