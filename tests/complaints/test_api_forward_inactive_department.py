"""Forwarding through the REST API to a department that exists but is switched off says so, and an unknown code still
says there is none: both answered "no department with the code", and the integrator looked for a misspelt code."""
# ruff: noqa: F811

import pytest

from services.models import Department
from tests.api.conftest import api, as_user  # noqa: F401 (the REST API tests' client fixtures)
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def forward_refusal(api, ticket, code: str) -> list[tuple]:
    refused = api.post(
        f"/api/v1/tickets/{ticket.reference}/forward/",
        {"department": code, "reason": "Bukan wewenang DLH."},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400, refused.content
    return [(e["field"], e["message"]) for e in refused.json()["errors"]]


def test_an_inactive_department_is_told_apart_from_an_unknown_code(as_user, city, staff_dlh):
    Department.objects.filter(code="pupr").update(active=False)
    ticket = make_ticket()
    api = as_user(staff_dlh)
    assert forward_refusal(api, ticket, "pupr") == [
        (
            "department",
            "The department “pupr” is not active: it accepts no tickets; /api/v1/departments/ lists the active ones.",
        )
    ]
    assert forward_refusal(api, ticket, "nope") == [
        ("department", "There is no department with the code “nope”; /api/v1/departments/ lists them.")
    ]
    ticket.refresh_from_db()
    assert ticket.department.code != "pupr"
