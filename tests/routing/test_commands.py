"""The operator's view: routing_status and train_classifier."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_routing_status_reports_waiting_and_overdue(city):
    half_an_hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    waiting = make_ticket(status=Status.SUBMITTED, created_at=half_an_hour_ago)
    type(waiting).objects.filter(pk=waiting.pk).update(updated_at=half_an_hour_ago)
    make_ticket(status=Status.SUBMITTED, email_confirmed=False)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    make_ticket(service="pju-mati", status=Status.ACKNOWLEDGED, resolution_due_at=past, escalation_level=1)
    make_ticket(service="pju-mati", status=Status.ROUTED, response_due_at=past)
    make_ticket(service="sampah-menumpuk", status=Status.ROUTED)  # on time
    output = run("routing_status")
    assert "Queue depth, routing (Redis 'celery'):" in output
    assert "Queue depth, emails, photos, exports (Redis 'deferred'):" in output
    assert "Waiting to be routed: 1, oldest waiting 30 min" in output
    assert "Waiting for email confirmation: 1" in output
    assert "Overdue open tickets: 2" in output
    dishub = next(line for line in output.splitlines() if line.strip().startswith("Dishub"))
    assert dishub.split()[1:] == ["2", "1", "0"]


def test_train_classifier_writes_a_model(city, tmp_path):
    from complaints import classifier

    try:
        output = run("train_classifier", "--output", str(tmp_path / "m.joblib"))
    finally:
        classifier.reset()
    assert "routed tickets" in output and (tmp_path / "m.joblib").exists()
