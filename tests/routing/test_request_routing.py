"""request_routing: one queued routing task at a time, and no filed ticket ever left without one."""

from __future__ import annotations

import pytest
from django.core.cache import cache

import complaints.tasks
from complaints.models import EventType, Status, Ticket
from complaints.tasks import ROUTING_QUEUED_KEY, ROUTING_QUEUED_SECONDS, request_routing
from tests.factories import make_ticket

from .test_worker import wait_until_routed


@pytest.fixture
def published(monkeypatch):
    """The routing tasks handed to the broker, as (ticket id, drain)."""
    sent = []

    class Spy:
        name = "route_ticket"

        def apply_async(self, args=(), kwargs=None):
            sent.append((args[0], (kwargs or {}).get("drain", False)))

    monkeypatch.setattr(complaints.tasks, "route_ticket", Spy())
    return sent


@pytest.mark.redis
def test_while_a_task_is_queued_filings_publish_nothing(published):
    assert all(request_routing(ticket_id) for ticket_id in (11, 12, 13))
    assert published == [(11, True)]
    assert 0 < cache._cache.get_client().ttl(cache.make_and_validate_key(ROUTING_QUEUED_KEY)) <= ROUTING_QUEUED_SECONDS


@pytest.mark.redis
def test_once_the_task_starts_the_next_filing_publishes_again(published):
    request_routing(21)
    cache.delete(ROUTING_QUEUED_KEY)  # what the task does before it reads the waiting tickets
    request_routing(22)
    assert published == [(21, True), (22, True)]


@pytest.mark.redis
def test_a_refused_publish_leaves_no_mark(monkeypatch):
    monkeypatch.setattr(complaints.tasks, "enqueue", lambda *args, **kwargs: False)  # the broker is away
    assert request_routing(31) is False
    assert cache.get(ROUTING_QUEUED_KEY) is None


def test_without_a_broker_every_filing_routes_at_once(published):
    from celery import current_app

    saved = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        request_routing(41)
        request_routing(42)
    finally:
        current_app.conf.task_always_eager = saved
    assert published == [(41, False), (42, False)]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_one_task_drains_a_burst_of_filings_batch_after_batch(live_worker, city, citizen):
    """120 tickets wait, one routing task is published: it routes them all, in batches of 50."""
    from smartcity.taskqueue import enqueue

    tickets = [
        make_ticket(service="sampah-menumpuk", kelurahan="63.71.05.1003", status=Status.SUBMITTED, reporter=citizen)
        for _ in range(120)
    ]
    assert enqueue(complaints.tasks.route_ticket, tickets[0].pk, drain=True)
    routed = wait_until_routed([t.pk for t in tickets], timeout=90)
    assert {t.status for t in routed.values()} == {Status.ROUTED}
    assert Ticket.objects.filter(events__type=EventType.ROUTED).count() == 120  # each routed once
    assert cache.get(ROUTING_QUEUED_KEY) is None
