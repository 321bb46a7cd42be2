"""A report filed as "Not sure" reaches the triage desk without a service; forwarding it names one. The forward form
had no service field, so the service stayed empty for good: the triage desk's default 3/5 working days applied at
the new department and its duplicates were never looked for (found in the Saturday-night storm's QA walk)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from complaints import routing
from complaints.api import public_payload
from complaints.models import DuplicateCandidate, EventType, Status, Ticket, TicketEvent
from services.models import Department, Service
from tests.conftest import make_staff
from tests.factories import make_ticket
from tests.routing.conftest import wita

pytestmark = pytest.mark.django_db
SATURDAY_NIGHT = wita(2026, 8, 15, 22, 0)


@pytest.fixture
def triage_officer(city):
    return make_staff("petugas.triase@banjarmasinkota.go.id", "diskominfotik")


@pytest.fixture
def not_sure(citizen) -> Ticket:
    """What routing leaves of a "Not sure" report it could not classify: at the triage desk, with no service."""
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        return make_ticket(
            service=None,
            department="diskominfotik",
            reporter=citizen,
            title="Got mampet",
            description="Got depan sekolah mampet dan berbau sejak minggu lalu.",
        )


def _forward(client, ticket, **fields):
    data = {
        "forward-department": Department.objects.get(code="pupr").pk,
        "forward-reason": "Saluran tersumbat: wewenang Dinas PUPR.",
    }
    data.update({f"forward-{name}": value for name, value in fields.items()})
    url = reverse("staff:ticket_action", args=[ticket.reference, "forward"])
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_triage_desk_names_the_service_and_the_due_dates_are_the_services(client, triage_officer, not_sure):
    drain = Service.objects.get(code="drainase-tersumbat")  # PUPR: 3 working days to verify, 7 to resolve
    client.force_login(triage_officer)
    monday = wita(2026, 8, 17, 7, 30)
    with time_machine.travel(monday, tick=False):
        _forward(client, not_sure, service=drain.pk)
    not_sure.refresh_from_db()
    assert not_sure.department.code == "pupr" and not_sure.service == drain
    response_due, resolution_due = routing.due_dates(start=monday, response_days=3, resolution_days=7)
    assert (not_sure.response_due_at, not_sure.resolution_due_at) == (response_due, resolution_due)
    # The triage desk's defaults (3 and 5 working days) would have made it due two working days sooner.
    _default_response, triage_resolution = routing.due_dates(start=monday, response_days=None, resolution_days=None)
    assert not_sure.resolution_due_at > triage_resolution


def test_the_citizens_timeline_names_the_service(client, triage_officer, not_sure, citizen):
    client.force_login(triage_officer)
    _forward(client, not_sure, service=Service.objects.get(code="drainase-tersumbat").pk)
    client.force_login(citizen)
    page = client.get(reverse("complaints:ticket", args=[not_sure.reference]), HTTP_ACCEPT_LANGUAGE="en")
    timeline = page.content.decode().split('id="timeline"', 1)[1]
    assert "Service: Blocked drain or culvert" in timeline
    event = TicketEvent.objects.get(ticket=not_sure, type=EventType.FORWARDED)
    assert event.public and event.payload["service"] == "drainase-tersumbat"
    # The REST API shows the public the same.
    assert public_payload(event.payload, event.type)["service_names"]["en"] == "Blocked drain or culvert"


def test_the_forward_looks_for_duplicates_of_the_service(client, triage_officer, not_sure):
    drain = Service.objects.get(code="drainase-tersumbat")
    earlier = make_ticket(service=drain, lat=not_sure.lat, lng=not_sure.lng, status=Status.ACKNOWLEDGED)
    client.force_login(triage_officer)
    _forward(client, not_sure, service=drain.pk)
    assert DuplicateCandidate.objects.filter(ticket=not_sure, candidate=earlier).exists()


def test_a_report_without_a_service_is_not_forwarded_without_one(client, triage_officer, not_sure):
    client.force_login(triage_officer)
    page = _forward(client, not_sure).content.decode()
    assert "This report has no service yet: choose the one it is about." in page
    not_sure.refresh_from_db()
    assert not_sure.department.code == "diskominfotik" and not_sure.service is None


def test_a_service_of_another_department_is_refused(client, triage_officer, not_sure):
    client.force_login(triage_officer)
    rubbish = Service.objects.get(code="sampah-menumpuk")  # DLH's
    page = _forward(client, not_sure, service=rubbish.pk).content.decode()
    assert "Uncollected or piled-up waste is not a service of Dinas PUPR." in page
    not_sure.refresh_from_db()
    assert not_sure.department.code == "diskominfotik" and not_sure.service is None


def test_a_forward_without_a_service_keeps_the_reports_own(client, staff_dlh, citizen):
    ticket = make_ticket(reporter=citizen, department="dlh")
    client.force_login(staff_dlh)
    form = client.get(reverse("staff:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="forward-service"' in form and "Keep the current service" in form
    _forward(client, ticket)
    ticket.refresh_from_db()
    assert ticket.department.code == "pupr" and ticket.service.code == "sampah-menumpuk"
    assert "service" not in TicketEvent.objects.get(ticket=ticket, type=EventType.FORWARDED).payload
