"""Schemathesis drives every operation of /api/schema/ against the app (in-process WSGI), anonymous and with a
token, with a bounded number of examples: no 5xx, and every response matches the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def _keep_test_connection():
    """Like Django's test client: the request signals must not close the test transaction's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(city, _keep_test_connection):
    from accounts.tokens import issue_token
    from tests.conftest import make_staff
    from tests.factories import make_ticket

    head = make_staff("kepala.api@banjarmasinkota.go.id", "dlh", role="head")
    make_ticket()
    return issue_token(head)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, api_token):
    # The in-process WSGI transport asks for gzip (as requests does) but, unlike requests, does not unpack it.
    plain = {"Accept-Encoding": "identity"}
    case.call_and_validate(headers=plain, checks=CHECKS)
    case.call_and_validate(headers={**plain, "Authorization": f"Token {api_token}"}, checks=CHECKS)
