"""Routing has a queue of its own: a backlog of emails (or photos, exports) never holds a new ticket back."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from complaints.models import Notification, Status
from complaints.tasks import route_ticket, send_notification
from smartcity.celery import app
from smartcity.taskqueue import enqueue
from tests.factories import make_ticket

from .test_worker import wait_until_routed

# The tasks that decide or time a ticket's path; everything else a worker does is background work.
ROUTING_TASKS = {
    "complaints.tasks.route_ticket",
    "complaints.tasks.sweep_submitted",
    "complaints.tasks.escalate_overdue_tickets",
    "complaints.tasks.close_expired_tickets",
}


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_workers_poll_the_routing_queue_first():
    # kombu's "sorted" order: BRPOP lists the queues by name and takes from the first one holding a task.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["queue_order_strategy"] == "sorted"
    queues = sorted(queue.name for queue in settings.CELERY_TASK_QUEUES)
    assert queues == [settings.CELERY_TASK_DEFAULT_QUEUE, settings.DEFERRED_QUEUE]


def test_every_project_task_is_on_the_routing_or_the_background_queue():
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    project_tasks = {name for name in app.tasks if name.startswith(("accounts.", "complaints.", "planning."))}
    assert ROUTING_TASKS <= project_tasks
    assert set(settings.CELERY_TASK_ROUTES) <= project_tasks, "a route names a task that does not exist"
    for name in project_tasks:
        expected = settings.CELERY_TASK_DEFAULT_QUEUE if name in ROUTING_TASKS else settings.DEFERRED_QUEUE
        assert _queue_of(name) == expected, name


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_ticket_is_routed_while_hundreds_of_emails_still_wait(live_worker, city, citizen):
    backlog = 600
    Notification.objects.bulk_create(
        Notification(
            dedup_key=f"backlog-{n}", email=f"warga{n}@example.id", template="ticket_update", context={"reference": n}
        )
        for n in range(backlog)
    )
    for pk in Notification.objects.values_list("pk", flat=True):
        assert enqueue(send_notification, pk)
    ticket = make_ticket(status=Status.SUBMITTED, reporter=citizen)
    assert enqueue(route_ticket, ticket.pk)  # published after every email task

    wait_until_routed([ticket.pk])

    # One queue would have sent every email first; with two, the worker took the routing task next.
    still_pending = Notification.objects.filter(state=Notification.State.PENDING).count()
    assert still_pending > backlog // 3, f"only {still_pending} of {backlog} emails were still waiting"
    # ...and the backlog is still worked off.
    wait_for = Notification.objects.filter(dedup_key__startswith="backlog-", state=Notification.State.PENDING)
    _wait(lambda: not wait_for.exists(), timeout=120)


def _wait(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"still not done after {timeout} s")
