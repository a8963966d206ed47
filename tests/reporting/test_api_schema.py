"""Schemathesis runs generated requests against the read API's OpenAPI schema: no endpoint
answers a server error or strays from its documented response schema, whatever it is sent."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from reporting.services import api_token_create
from tests.factories import InitiativeFactory, LeaFactory

from .helpers import records

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def _connection_kept():
    """Keep the test's database connection across the calls, as Django's test client does.

    The WSGI handler closes the connection at the end of each request, and the test's
    transaction with it; the signals are disconnected for the test and restored after it.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def lead_token(db, lead, _connection_kept):
    records((LeaFactory(), InitiativeFactory(), 1, "direct"))
    return api_token_create(user=lead, name="schemathesis")[1]


@schema.parametrize()
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_generated_request_gets_a_server_error(case, lead_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {lead_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
