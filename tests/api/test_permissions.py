"""The staff permission matrix (tests/staff/matrix.py) against the REST API: the same outcomes as the pages."""

from __future__ import annotations

import pytest

from complaints.models import Ticket, TicketEvent
from tests.factories import make_ticket
from tests.staff.matrix import ACTION_CASES, ACTIONS, ALLOWED, ROLE_FIXTURES, VISIBILITY_CASES

pytestmark = pytest.mark.django_db

ENDPOINT = {"ask_info": "ask-info"}


def _ticket(citizen, privacy, status="routed"):
    return make_ticket(reporter=citizen, privacy=privacy, status=status, title=f"Sampah {privacy}")


def _payload(operation, member):
    if operation in ("reply", "ask_info", "note"):
        return {"message": "Mohon kirim foto lebih dekat."}
    if operation == "assign":
        return {"assignee": member.pk}
    if operation == "priority":
        return {"priority": 4}
    if operation == "resolve":
        return {"note": "Sampah sudah diangkut."}
    if operation in ("reject", "reopen"):
        return {"reason": "Alasan yang jelas."}
    if operation == "forward":
        return {"department": "pupr", "reason": "Bukan wewenang."}
    if operation == "merge":
        return {"into": make_ticket(title="Laporan asli").reference}
    return {}


@pytest.fixture
def dlh_member(city):
    from tests.conftest import make_staff

    return make_staff("anggota.dlh@banjarmasinkota.go.id", "dlh")


@pytest.mark.parametrize("case", ACTION_CASES, ids=lambda c: c.id)
def test_actions(case, request, api, citizen, dlh_member):
    ticket = _ticket(citizen, case.privacy, status=ACTIONS[case.operation])
    payload = _payload(case.operation, dlh_member)
    api.force_authenticate(request.getfixturevalue(ROLE_FIXTURES[case.role]))
    before = TicketEvent.objects.filter(ticket=ticket).count()
    snapshot = Ticket.objects.filter(pk=ticket.pk).values().get()

    operation = ENDPOINT.get(case.operation, case.operation)
    response = api.post(f"/api/v1/tickets/{ticket.reference}/{operation}/", payload, format="json")

    if case.expected == ALLOWED:
        assert response.status_code == 200, response.content.decode()[:500]
        assert TicketEvent.objects.filter(ticket=ticket).count() > before
    else:
        assert response.status_code == case.expected, response.content.decode()[:500]
        assert response.json()["errors"][0]["message"]
        assert TicketEvent.objects.filter(ticket=ticket).count() == before
        assert Ticket.objects.filter(pk=ticket.pk).values().get() == snapshot


@pytest.mark.parametrize("case", [c for c in VISIBILITY_CASES if c.operation != "in_export"], ids=lambda c: c.id)
def test_visibility(case, request, api, citizen):
    ticket = _ticket(citizen, case.privacy)
    api.force_authenticate(request.getfixturevalue(ROLE_FIXTURES[case.role]))
    if case.operation == "in_queue":
        response = api.get("/api/v1/tickets/", {"queue": "true"})
        seen = ticket.reference in {t["reference"] for t in response.json()["results"]}
    else:  # sees_reporter; the citizen of the matrix is the reporter, who always sees their own details
        response = api.get(f"/api/v1/tickets/{ticket.reference}/")
        seen = response.status_code == 200 and (response.json()["reporter"] or {}).get("email") == citizen.email
        if case.role == "citizen":
            assert seen
            return
    assert seen is case.expected
