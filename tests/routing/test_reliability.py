"""Publishing never breaks filing: an unreachable broker costs the citizen nothing but a short wait."""

from __future__ import annotations

import time

import pytest

from complaints.models import Status
from tests.routing.conftest import file_for_test


def test_db_reuse_setting_reaches_the_django_fixup():
    """Celery's Django fixup reads CELERY_DB_REUSE_MAX; without it every task reconnects to the database."""
    from celery.fixups.django import DjangoWorkerFixup

    from smartcity.celery import app

    assert DjangoWorkerFixup(app).db_reuse_max >= 100


def test_reliability_settings_are_in_effect():
    from smartcity.celery import app

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] > 600  # longer than the longest retry backoff
    from complaints.tasks import route_ticket

    assert route_ticket.retry_backoff_max <= 600 and route_ticket.retry_jitter
    from django.db import OperationalError

    assert OperationalError in route_ticket.autoretry_for


def test_beat_schedule_names_real_tasks():
    from django.conf import settings

    from smartcity.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_filing_with_the_broker_down_still_returns_a_ticket_quickly(
    city, citizen, unreachable_broker, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_for_test(service="sampah-menumpuk", title="Sampah belum diangkut tiga hari", reporter=citizen)
    elapsed = time.monotonic() - started
    assert ticket.pk and ticket.reference
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED  # the sweep routes it when the broker is back
    assert elapsed < 2.0, f"filing waited {elapsed:.2f} s for the broker"


@pytest.mark.django_db
def test_sweep_gives_up_quietly_while_the_broker_is_down(submitted, unreachable_broker):
    import datetime as dt

    from complaints.actions.dispatch import route_pending

    submitted(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    started = time.monotonic()
    assert route_pending(grace_seconds=60) == 0
    assert time.monotonic() - started < 2.0


@pytest.mark.django_db
def test_transient_database_error_is_retried(submitted, monkeypatch):
    from django.db import OperationalError

    from complaints.actions import dispatch
    from complaints.tasks import route_ticket

    real = dispatch.route_ticket
    calls = []

    def flaky(*, ticket_id):
        calls.append(ticket_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(ticket_id=ticket_id)

    monkeypatch.setattr(dispatch, "route_ticket", flaky)
    ticket = submitted()
    route_ticket.apply(args=[ticket.pk])  # eager: the retry runs at once instead of after its backoff
    ticket.refresh_from_db()
    assert len(calls) == 2 and ticket.status == Status.ROUTED
