"""A real Celery worker on Redis routes tickets from the transactional test database (not eager mode)."""

from __future__ import annotations

import time

import pytest

from complaints.models import EventType, Status, Ticket, TicketEvent
from complaints.tasks import route_ticket
from services.calendar import add_working_days
from smartcity.taskqueue import enqueue
from tests.factories import make_ticket

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_routed(ids, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Ticket.objects.filter(pk__in=ids, status=Status.SUBMITTED).exists():
            return {t.pk: t for t in Ticket.objects.filter(pk__in=ids).select_related("department", "service")}
        time.sleep(0.2)
    raise AssertionError(f"not routed within {timeout} s")


CASES = [
    # service, kelurahan, text, expected department, expected service
    ("sampah-menumpuk", "63.71.05.1003", "Sampah belum diangkut", "dlh", "sampah-menumpuk"),
    ("genangan-banjir", "63.71.01.1001", "Air naik", "pupr", "genangan-banjir"),  # kelurahan rule
    ("genangan-banjir", "63.71.01.1002", "Air naik", "bpbd", "genangan-banjir"),  # kecamatan rule
    ("pju-mati", "63.71.02.1001", "Lampu padam", "dishub", "pju-mati"),
    ("air-mati", "63.71.03.1001", "Air tidak mengalir", "pdam", "air-mati"),
    (None, "63.71.04.1001", "sampah menumpuk di depan rumah", "dlh", "sampah-menumpuk"),
    (None, "63.71.05.1003", "qwrty asdfgh zxcvb", "diskominfotik", None),
]


def test_worker_routes_tickets_to_their_departments_with_due_dates(live_worker, city, citizen):
    tickets = []
    for service, kelurahan, text, _department, _service in CASES:
        ticket = make_ticket(
            service=service,
            kelurahan=kelurahan,
            status=Status.SUBMITTED,
            title=text,
            description=text,
            reporter=citizen,
        )
        tickets.append(ticket)
        assert enqueue(route_ticket, ticket.pk)
    routed = wait_until_routed([t.pk for t in tickets])
    for ticket, (_s, _k, _t, department, service) in zip(tickets, CASES):
        result = routed[ticket.pk]
        assert result.status == Status.ROUTED
        assert result.department.code == department, (ticket.title, result.department.code)
        assert (result.service.code if result.service else None) == service
        sla = result.service or None
        response_days = sla.response_sla_days if sla else 3
        resolution_days = sla.resolution_sla_days if sla else 5
        assert result.response_due_at == add_working_days(result.routed_at, response_days)
        assert result.resolution_due_at == add_working_days(result.routed_at, resolution_days)
    assert TicketEvent.objects.filter(ticket__in=tickets, type=EventType.ROUTED).count() == len(CASES)


def test_worker_running_the_task_twice_records_one_routed_event(live_worker, city, citizen):
    ticket = make_ticket(status=Status.SUBMITTED, reporter=citizen)
    for _ in range(3):
        assert enqueue(route_ticket, ticket.pk)
    wait_until_routed([ticket.pk])
    assert enqueue(route_ticket, ticket.pk)  # a late redelivery, after routing
    time.sleep(1.5)
    assert TicketEvent.objects.filter(ticket=ticket, type=EventType.ROUTED).count() == 1
