"""The permission matrix (tests/staff/matrix.py) against the staff pages and actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import actions as ticket_actions
from complaints.models import EventType, Status, Ticket, TicketEvent
from services.models import Department
from tests.factories import make_ticket
from tests.staff.matrix import ACTION_CASES, ALLOWED, FORBIDDEN, NOT_FOUND, PAGE_CASES, VISIBILITY_CASES

pytestmark = pytest.mark.django_db

FORWARD_READY = hasattr(ticket_actions, "forward_ticket")


def _ticket(citizen, privacy, status="routed"):
    return make_ticket(reporter=citizen, privacy=privacy, status=status, title=f"Sampah {privacy}")


def _action_data(operation, request, ticket):
    if operation == "reply":
        return {"reply-message": "Kami akan cek ke lokasi."}
    if operation in ("ask_info", "note"):
        return {f"{operation}-message": "Mohon kirim foto lebih dekat."}
    if operation == "assign":
        return {"assign-assignee": request.getfixturevalue("dlh_member").pk}
    if operation == "priority":
        return {"priority-priority": 4}
    if operation == "resolve":
        return {"resolve-note": "Sampah sudah diangkut."}
    if operation in ("reject", "reopen"):
        return {f"{operation}-reason": "Alasan yang jelas."}
    if operation == "forward":
        return {"forward-department": Department.objects.get(code="pupr").pk, "forward-reason": "Bukan wewenang."}
    if operation == "merge":
        target = make_ticket(title="Laporan asli")
        return {"merge-into": target.reference}
    return {}


@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.id)
def test_pages(case, request, client, citizen, as_role):
    ticket = _ticket(citizen, case.privacy)
    as_role(case.role)
    url = {
        "queue": reverse("staff:queue"),
        "ticket_page": reverse("staff:ticket", args=[ticket.reference]),
        "export": reverse("staff:export") + "?status=all&format=csv",
    }[case.operation]
    response = client.get(url)
    expected = 200 if case.expected == ALLOWED else case.expected
    assert response.status_code == expected


def _action_events(ticket, operation: str) -> int:
    """The ticket's events but the officer taking it from the pool, which starting or resolving also records."""
    events = TicketEvent.objects.filter(ticket=ticket)
    if operation != "assign":
        events = events.exclude(type=EventType.ASSIGNED)
    return events.count()


@pytest.mark.parametrize("case", ACTION_CASES, ids=lambda c: c.id)
def test_actions(case, request, client, citizen, as_role):
    if case.operation == "forward" and not FORWARD_READY:
        pytest.skip("forward_ticket (routing) is not committed yet")
    from tests.staff.matrix import ACTIONS

    ticket = _ticket(citizen, case.privacy, status=ACTIONS[case.operation])
    data = _action_data(case.operation, request, ticket)
    as_role(case.role)
    before = _action_events(ticket, case.operation)
    snapshot = Ticket.objects.filter(pk=ticket.pk).values().get()

    response = client.post(reverse("staff:ticket_action", args=[ticket.reference, case.operation]), data)

    after = _action_events(ticket, case.operation)
    if case.expected == ALLOWED:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert after == before + 1
    else:
        assert response.status_code == case.expected
        assert after == before
        current = Ticket.objects.filter(pk=ticket.pk).values().get()
        assert current == snapshot


@pytest.mark.parametrize("case", VISIBILITY_CASES, ids=lambda c: c.id)
def test_visibility(case, client, citizen, as_role):
    ticket = _ticket(citizen, case.privacy)
    as_role(case.role)
    if case.operation == "in_queue":
        response = client.get(reverse("staff:queue") + "?status=all")
        seen = response.status_code == 200 and ticket.reference in response.content.decode()
    elif case.operation == "in_export":
        response = client.get(reverse("staff:export") + "?status=all&format=csv")
        seen = response.status_code == 200 and ticket.reference in response.content.decode()
    else:
        response = client.get(reverse("staff:ticket", args=[ticket.reference]))
        seen = response.status_code == 200 and citizen.email in response.content.decode()
    assert seen is case.expected


def test_anonymous_visitor_is_sent_to_login(client, dlh_ticket):
    for url in (reverse("staff:queue"), reverse("staff:ticket", args=[dlh_ticket.reference])):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_invalid_transition_in_the_browser_is_refused_with_a_message(client, citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen, status=Status.CLOSED)
    client.force_login(staff_dlh)
    response = client.post(
        reverse("staff:ticket_action", args=[ticket.reference, "resolve"]), {"resolve-note": "Selesai."}
    )
    assert response.status_code == 400
    assert "cannot be changed" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED


def test_reject_without_reason_in_the_browser(client, dlh_ticket, staff_dlh):
    client.force_login(staff_dlh)
    response = client.post(reverse("staff:ticket_action", args=[dlh_ticket.reference, "reject"]), {})
    assert response.status_code == 400
    assert Ticket.objects.get(pk=dlh_ticket.pk).status == Status.ROUTED
    assert not TicketEvent.objects.filter(ticket=dlh_ticket).exists()


def test_export_job_is_only_for_its_owner(client, staff_dlh, head_dlh):
    from complaints.models import ExportJob

    job = ExportJob.objects.create(owner=staff_dlh, query="", format="csv", state=ExportJob.State.READY)
    client.force_login(head_dlh)
    assert client.get(reverse("staff:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("staff:export_download", args=[job.pk])).status_code == 404
    assert FORBIDDEN == 403 and NOT_FOUND == 404
