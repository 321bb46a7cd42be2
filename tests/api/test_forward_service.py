"""The REST forward names the service, as the staff page's forward form does: a report filed as "Not sure" reaches the
triage desk without one, and the API's forward took only a department and a reason, so an integration could not
forward it properly (the new department's due dates were the triage defaults, no duplicates were looked for). The
rules and their words are the action's (``forward_ticket``), the same on the page."""

from __future__ import annotations

import pytest

from complaints.models import EventType, Ticket, TicketEvent
from services.models import Department, Service
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
REASON = "Saluran tersumbat: wewenang Dinas PUPR."


@pytest.fixture
def triage_officer(city):
    return make_staff("petugas.triase@banjarmasinkota.go.id", "diskominfotik")


@pytest.fixture
def not_sure(citizen) -> Ticket:
    """A "Not sure" report routing could not classify: at the triage desk, with no service."""
    return make_ticket(
        service=None,
        department="diskominfotik",
        reporter=citizen,
        title="Got mampet",
        description="Got depan sekolah mampet dan berbau sejak minggu lalu.",
    )


def _forward(client, ticket, **fields):
    body = {"department": "pupr", "reason": REASON, **fields}
    return client.post(f"/api/v1/tickets/{ticket.reference}/forward/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")


def _errors(response) -> dict:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def _unchanged(ticket) -> None:
    ticket.refresh_from_db()
    assert ticket.department.code == "diskominfotik" and ticket.service is None
    assert not TicketEvent.objects.filter(ticket=ticket, type=EventType.FORWARDED).exists()


def test_the_triage_desk_forwards_with_the_service_by_its_code(as_user, triage_officer, not_sure):
    response = _forward(as_user(triage_officer), not_sure, service="drainase-tersumbat")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["department"], body["service"], body["status"]) == ("pupr", "drainase-tersumbat", "routed")
    not_sure.refresh_from_db()
    assert not_sure.service == Service.objects.get(code="drainase-tersumbat")
    assert TicketEvent.objects.get(ticket=not_sure, type=EventType.FORWARDED).payload["service"] == "drainase-tersumbat"


@pytest.mark.parametrize("fields", [{}, {"service": None}], ids=["left-out", "null"])
def test_a_report_without_a_service_is_not_forwarded_without_one(as_user, triage_officer, not_sure, fields):
    response = _forward(as_user(triage_officer), not_sure, **fields)
    assert response.status_code == 400, response.content
    # The staff page's words (tests/complaints/test_triage_forward_service.py), from the same action.
    assert _errors(response) == {"service": "This report has no service yet: choose the one it is about."}
    _unchanged(not_sure)


def test_an_unknown_service_is_refused_by_its_code(as_user, triage_officer, not_sure):
    response = _forward(as_user(triage_officer), not_sure, service="nope")
    assert response.status_code == 400, response.content
    assert _errors(response) == {
        "service": "There is no active service with the code “nope”; /api/v1/services/ lists them."
    }
    _unchanged(not_sure)


def test_a_service_the_department_does_not_handle_is_refused(as_user, triage_officer, not_sure):
    response = _forward(as_user(triage_officer), not_sure, service="sampah-menumpuk")  # DLH's
    assert response.status_code == 400, response.content
    assert _errors(response) == {"service": "Uncollected or piled-up waste is not a service of Dinas PUPR."}
    _unchanged(not_sure)


def test_a_forward_without_a_service_keeps_the_reports_own(as_user, staff_dlh, citizen):
    ticket = make_ticket(reporter=citizen, department="dlh")
    response = _forward(as_user(staff_dlh), ticket)
    assert response.status_code == 200, response.content
    assert (response.json()["department"], response.json()["service"]) == ("pupr", "sampah-menumpuk")
    assert "service" not in TicketEvent.objects.get(ticket=ticket, type=EventType.FORWARDED).payload


def test_a_forward_may_change_a_reports_service(as_user, staff_dlh, citizen):
    ticket = make_ticket(reporter=citizen, department="dlh")
    response = _forward(as_user(staff_dlh), ticket, service="drainase-tersumbat")
    assert response.status_code == 200, response.content
    assert response.json()["service"] == "drainase-tersumbat"
    assert Ticket.objects.get(pk=ticket.pk).department == Department.objects.get(code="pupr")


def test_the_schema_documents_the_service(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    service = schema["components"]["schemas"]["Forward"]["properties"]["service"]
    assert service.get("nullable") and "triage desk" in service["description"]
    assert "service" not in schema["components"]["schemas"]["Forward"].get("required", [])
    operation = schema["paths"]["/api/v1/tickets/{reference}/forward/"]["post"]
    assert "without a service" in operation["description"]
