"""A real Celery worker on Redis routes tickets from the transactional test database (not eager mode)."""

from __future__ import annotations

import time

import pytest
from django.db import models

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


@pytest.fixture
def two_workers(live_worker, tmp_path):
    """A second worker next to ``live_worker`` (same test database and Redis): both solo, batches of 20."""

    from smartcity.celery import app
    from tests.worker import start_worker, stop_worker, wait_for_ping, worker_env

    env = worker_env(ROUTING_BATCH_SIZE="20")
    second = start_worker(env=env, log_path=tmp_path / "worker2.log")
    try:
        wait_for_ping(app, second)
        yield live_worker, second
    finally:
        stop_worker(second)


def test_two_workers_draining_batches_route_each_ticket_once_and_email_once(two_workers, city, citizen):
    from complaints.models import Notification

    tickets = [
        make_ticket(status=Status.SUBMITTED, reporter=citizen, service=service, kelurahan=kelurahan)
        for _ in range(40)
        for service, kelurahan in (("sampah-menumpuk", "63.71.05.1003"), ("pju-mati", "63.71.02.1001"))
    ]
    for ticket in tickets:
        assert enqueue(route_ticket, ticket.pk)
        assert enqueue(route_ticket, ticket.pk)  # a duplicate delivery for every ticket
    wait_until_routed([t.pk for t in tickets], timeout=120)
    counts = dict(
        TicketEvent.objects.filter(ticket__in=tickets, type=EventType.ROUTED)
        .values_list("ticket_id")
        .annotate(n=models.Count("pk"))
        .values_list("ticket_id", "n")
    )
    assert counts == {t.pk: 1 for t in tickets}
    rows = Notification.objects.filter(ticket__in=tickets)
    assert rows.filter(email=citizen.email).count() == len(tickets)  # the reporter, once per ticket
    deadline = time.monotonic() + 60
    while rows.exclude(state=Notification.State.SENT).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    # Every row sent, and each by exactly one attempt: no email went out twice.
    assert set(rows.values_list("state", "attempts")) == {(Notification.State.SENT, 1)}


def test_a_worker_that_cannot_reach_the_database_stops_and_says_why(tmp_path):
    """Not "ready" and then failing every task: it exits at start with the reason for the supervisor's log."""
    import subprocess

    from tests.worker import celery_executable, worker_env

    env = {
        **worker_env(WORKER_DATABASE_WAIT_SECONDS="1"),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/no_such_database_here",
    }
    run = subprocess.run(
        [*celery_executable(), "-A", "smartcity", "worker", "--pool=solo", "-l", "INFO"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 3
    assert "The worker cannot reach the database (DATABASE_URL)" in run.stdout + run.stderr
    assert "ready." not in run.stdout + run.stderr
