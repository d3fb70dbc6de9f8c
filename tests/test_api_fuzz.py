"""schemathesis against the app's own OpenAPI schema, in process (no network at all): for
every operation, generated requests — valid and invalid — never get a 5xx, and every
response matches the schema. Bounded, so that it stays a few seconds per operation."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from paliers.wsgi import application

from .test_api import make_api_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def key(db):
    """A head's token: the operations answer with data, not only 401s."""
    # Called in process, the app fires the request signals, whose handler would close the
    # test's database connection (inside its transaction): as Django's test client does,
    # leave the connection alone while the test runs.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield make_api_world().keys["head"]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_fails_nor_breaks_its_schema(case, key):
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    case.validate_response(
        response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance]
    )
