"""``manage.py run_periodic``: on a bare machine (no Redis, so no beat) overdue tickets still escalate and
resolved ones still close."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from complaints.models import EventType, Notification, Status, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare_machine(settings):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


def test_the_periodic_work_runs_without_a_broker(bare_machine, city, staff_dlh, head_dlh, citizen):
    long_ago = timezone.now() - dt.timedelta(days=30)
    overdue = make_ticket(status=Status.ACKNOWLEDGED, response_due_at=long_ago, resolution_due_at=long_ago)
    left_resolved = make_ticket(status=Status.RESOLVED, reporter=citizen, resolved_at=long_ago)

    call_command("run_periodic", "--once")

    overdue.refresh_from_db()
    assert overdue.escalation_level >= 1
    escalation = TicketEvent.objects.filter(ticket=overdue, type=EventType.ESCALATED).first()
    assert Notification.objects.filter(event=escalation, email=head_dlh.email).exists()
    left_resolved.refresh_from_db()
    assert left_resolved.status == Status.CLOSED


def test_it_refuses_to_run_beside_a_real_beat(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    with pytest.raises(CommandError, match="celery -A smartcity beat"):
        call_command("run_periodic", "--once")
