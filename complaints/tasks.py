"""Thin Celery tasks: take an id, call an action, be safe to run twice."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

from smartcity.taskqueue import enqueue

from .mail import deliver_notification, deliver_notifications
from .models import Attachment, Notification

# Errors worth retrying: the database or a mail server briefly away.
TRANSIENT = (ConnectionError, TimeoutError, OSError)
RETRY = dict(autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=600, retry_jitter=True, max_retries=8)
# Routing also retries when PostgreSQL is briefly away or a lock wait/deadlock aborts the transaction.
# Backoff: 2, 4, 8 … s (with jitter), at most 10 minutes, well inside the broker's visibility_timeout.
# After the last retry the ticket simply stays submitted and the sweep sends it again.
DB_TRANSIENT = TRANSIENT + (OperationalError, InterfaceError)
ROUTING_RETRY = dict(
    autoretry_for=DB_TRANSIENT, retry_backoff=2, retry_backoff_max=600, retry_jitter=True, max_retries=8
)


@contextmanager
def _fresh_connection_on_error():
    """Drop a broken database connection before retrying (the worker reuses connections across tasks)."""
    try:
        yield
    except (OperationalError, InterfaceError):
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:  # never under a caller's transaction (eager runs, tests)
                connection.close_if_unusable_or_obsolete()
        raise


# Email tasks share the worker processes with routing, so none may hold one for long. EMAIL_TIMEOUT ends a send to a
# mail server that does not answer; the soft time limit ends one that answers too slowly. Either way the email was not
# marked sent and is retried here (then by the sweep); one sent just before the soft limit is recorded as sent before
# the task stops (mail.py), which the hard limit leaves time for (closing the connection, RECORD_SENT_SECONDS).
EMAIL_RETRY = dict(RETRY, autoretry_for=TRANSIENT + (SoftTimeLimitExceeded,))
EMAIL_HARD_LIMIT_MARGIN = 90


@shared_task(**EMAIL_RETRY, soft_time_limit=60, time_limit=60 + EMAIL_HARD_LIMIT_MARGIN)
def send_notification(notification_id: int) -> bool:
    return deliver_notification(notification_id=notification_id)


# A chunk of 100 emails over one connection takes a few seconds when the mail server is well.
@shared_task(**EMAIL_RETRY, soft_time_limit=180, time_limit=180 + EMAIL_HARD_LIMIT_MARGIN)
def send_notifications(notification_ids: list[int]) -> int:
    """Send a chunk of notifications over one mail connection (queued once per routing batch)."""
    return deliver_notifications(notification_ids=notification_ids)


def _waiting_ids(pending, *, grace_seconds: int, limit: int) -> list[int]:
    """The oldest ``limit`` rows of ``pending`` created before the grace period: their task was never published
    (broker down) or was lost (worker killed, Redis restarted without persistence)."""
    cutoff = timezone.now() - dt.timedelta(seconds=grace_seconds)
    return list(pending.filter(created_at__lt=cutoff).order_by("created_at").values_list("pk", flat=True)[:limit])


def _publish_each(task, ids: list[int]) -> int:
    """Publish ``task`` once per id; how many went out."""
    sent = 0
    for pk in ids:
        if not enqueue(task, pk):
            break  # the broker is still away: each further publish would only wait for it; the next sweep retries
        sent += 1
    return sent


# The sweep gives an email up after this many attempts (the retention job may then blank it).
SEND_ATTEMPTS = 10


@shared_task
def sweep_notifications(grace_seconds: int = 120) -> int:
    """Re-enqueue notifications still pending after the grace period (broker was down, worker died)."""
    pending = Notification.objects.filter(state=Notification.State.PENDING, attempts__lt=SEND_ATTEMPTS)
    return _publish_each(send_notification, _waiting_ids(pending, grace_seconds=grace_seconds, limit=1000))


# --- routing (complaints.actions.dispatch) ------------------------------------------------------


def routing_batch_size() -> int:
    from django.conf import settings

    return int(getattr(settings, "ROUTING_BATCH_SIZE", 50))


# Set while a routing task published by request_routing() waits in the queue (see there).
ROUTING_QUEUED_KEY = "routing:task-queued"
# How long that mark may outlive a lost task before filings publish again (the sweep covers the rest).
ROUTING_QUEUED_SECONDS = 15
# A draining task routes at most this many batches, then hands over to a fresh task.
DRAIN_BATCHES = 20


def request_routing(ticket_id: int) -> bool:
    """After a filing commits: make sure a routing task starts after this moment; False if the broker refused.

    A routing task that has not started yet drains every ticket waiting when it starts, batch after batch, so
    while one is queued another would find nothing to do. The first filing publishes one and marks it queued
    (one ``SET NX`` in Redis); filings that see the mark publish nothing. The task clears the mark before it
    reads the waiting tickets, so a filing that commits after that publishes again: no ticket is left
    without a task that will read it. At the peak this saves most filings a publish, the costliest step
    after the INSERTs. The mark expires after ``ROUTING_QUEUED_SECONDS`` in case its task is lost (Redis
    restarted); with Redis unreachable every filing publishes, and the sweep catches whatever is left.
    """
    from celery import current_app
    from django.core.cache import cache

    if routing_batch_size() <= 1 or current_app.conf.task_always_eager:
        return enqueue(route_ticket, ticket_id)
    if not cache.add(ROUTING_QUEUED_KEY, ticket_id, timeout=ROUTING_QUEUED_SECONDS):
        return True
    if enqueue(route_ticket, ticket_id, drain=True):
        return True
    cache.delete(ROUTING_QUEUED_KEY)  # nothing is queued after all: the next filing tries again
    return False


@shared_task(name="complaints.tasks.route_ticket", bind=True, **ROUTING_RETRY)
def route_ticket(self, ticket_id: int, drain: bool = False) -> int | None:
    """Route this ticket, and on a worker other waiting tickets in the same run (a batch), so the tasks
    queued for those find them routed and finish at once. A second run does nothing. A task published by
    ``request_routing`` (``drain``) routes batches until no ticket is waiting.

    If another worker's batch holds this ticket, the batch skips it; the task then waits for that
    batch's commit on the row (``route_ticket`` locks without skipping) and routes the ticket itself
    if that batch was rolled back (its worker died): no ticket relies on another task's success.
    Run eagerly or called directly (tests, no broker) it routes only the ticket itself.
    """
    from django.core.cache import cache

    from .actions.dispatch import is_waiting, route_batch
    from .actions.dispatch import route_ticket as route

    with _fresh_connection_on_error():
        size = routing_batch_size()
        if size > 1 and not (self.request.is_eager or self.request.called_directly):
            if drain:
                cache.delete(ROUTING_QUEUED_KEY)  # before reading: later filings publish a task of their own
            routed = route_batch(ticket_id=ticket_id, limit=size)
            own_routed = ticket_id in routed
            batches = 1
            # Until a batch routes nothing (a full one may hide more; a ticket that fails to route only
            # ends the run when a whole batch fails, and the sweep retries those).
            while drain and routed:
                if batches == DRAIN_BATCHES:
                    request_routing(ticket_id)  # still more: a fresh task, so other work gets a turn
                    break
                routed = route_batch(limit=size)
                batches += 1
            if own_routed:
                return ticket_id
            if not is_waiting(ticket_id):  # committed as routed (by a batch): no lock to wait for
                return None
        ticket = route(ticket_id=ticket_id)
    return ticket.pk if ticket is not None else None


@shared_task(**ROUTING_RETRY)
def sweep_submitted(grace_seconds: int = 120) -> int:
    """Every minute (beat): re-enqueue tickets still submitted after the grace period."""
    from .actions.dispatch import route_pending

    with _fresh_connection_on_error():
        return route_pending(grace_seconds=grace_seconds)


@shared_task(**ROUTING_RETRY)
def escalate_overdue_tickets() -> int:
    from .actions.dispatch import escalate_overdue

    with _fresh_connection_on_error():
        return escalate_overdue()


@shared_task(**ROUTING_RETRY)
def close_expired_tickets() -> int:
    from .actions.dispatch import close_expired_resolutions

    with _fresh_connection_on_error():
        return close_expired_resolutions()


# Set while a retrain asked for by a catalogue change waits (request_retrain); expires in case its task is lost.
RETRAIN_QUEUED_KEY = "classifier:retrain-queued"
RETRAIN_QUEUED_SECONDS = 15 * 60
# A requested retrain starts this long after the first change: the edits of the next half-minute join it.
RETRAIN_DELAY_SECONDS = 30


def request_retrain() -> bool:
    """After a catalogue change commits (a service added, its names or keywords changed, (de)activated): make sure
    a retrain starts after it, so text-based routing learns the service without waiting for the night.

    One pending at a time: the first change publishes ``retrain_classifier`` (in the deferred queue, starting in
    ``RETRAIN_DELAY_SECONDS``) and marks it queued in the cache; changes that see the mark publish nothing, as the
    waiting task will read them. The task clears the mark before it reads the catalogue, so a change committed
    after that queues one more. Ten edits in a row train once or twice, never ten times. Run eagerly (the embedded
    mode, no broker) the retrain runs here and now. A retrain on the shipped catalogue (37 services, 929 seed
    sentences, no past tickets) takes 1.6–3 s (3–5 s CPU), past tickets add to it. False if the broker refused
    (the nightly retrain still comes)."""
    import logging

    from celery import current_app
    from django.core.cache import cache

    if current_app.conf.task_always_eager:
        return enqueue(retrain_classifier)
    if not cache.add(RETRAIN_QUEUED_KEY, 1, timeout=RETRAIN_QUEUED_SECONDS):
        return True
    try:
        retrain_classifier.apply_async(countdown=RETRAIN_DELAY_SECONDS)
    except Exception:
        logging.getLogger(__name__).warning("could not enqueue a classifier retrain", exc_info=True)
        cache.delete(RETRAIN_QUEUED_KEY)  # nothing is queued after all: the next change tries again
        return False
    return True


@shared_task(**ROUTING_RETRY)
def retrain_classifier() -> dict:
    """Nightly, and after a catalogue change (request_retrain): retrain the "not sure" classifier on the catalogue
    and past routed tickets."""
    from django.core.cache import cache

    from . import classifier

    cache.delete(RETRAIN_QUEUED_KEY)  # before reading the catalogue: a change committed from now on queues another
    with _fresh_connection_on_error():
        return classifier.retrain()


@shared_task(**RETRY)
def build_export(job_id: int) -> bool:
    """Build a large queue export file (CSV or XLSX); a finished job is left alone."""
    from .exports import build_export_job

    job = build_export_job(job_id)
    return job is not None


@shared_task(**RETRY)
def process_attachment(attachment_id: int) -> bool:
    """Re-encode a citizen's photo without metadata (see ``actions.intake.process_attachment``)."""
    from .actions.intake import process_attachment as process

    attachment = process(attachment_id=attachment_id)
    return attachment is not None and attachment.state == "ready"


@shared_task
def sweep_attachments(grace_seconds: int = 120) -> int:
    """Re-enqueue photos still pending after the grace period: their task was lost, or their original could not
    be read yet (``process_attachment`` rejects those once they are PHOTO_PROCESSING_GIVE_UP_HOURS old)."""
    pending = Attachment.objects.filter(state=Attachment.State.PENDING)
    return _publish_each(process_attachment, _waiting_ids(pending, grace_seconds=grace_seconds, limit=500))


@shared_task
def purge_stale_uploads(max_age_hours: int = 24) -> int:
    """Delete photos stashed for a form that was never sent (their signed tokens have expired anyway)."""
    import time
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.PRIVATE_UPLOAD_ROOT) / "stash"
    if not folder.is_dir():
        return 0
    cutoff = time.time() - max_age_hours * 3600
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


@shared_task(**ROUTING_RETRY)
def apply_retention() -> dict:
    """Hourly (beat): delete or blank the personal data whose retention period is over (``actions.retention``)."""
    from .actions.retention import apply_retention as apply

    with _fresh_connection_on_error():
        return apply()


@shared_task
def refresh_dashboard_rollups() -> str | None:
    """Recompute the dashboards' roll-ups (materialized views of complaints migrations 0005, 0007, 0014, 0015 and
    0027; PostgreSQL only).

    CONCURRENTLY, so pages keep reading the previous data meanwhile; all views in one transaction, so they agree.
    Returns the refresh time (ISO) or None on SQLite, where the dashboards always compute live.
    """
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT relispopulated FROM pg_class WHERE relname = 'dashboard_ticket_daily'")
        found = cursor.fetchone()
        if found is None:
            return None  # not migrated yet
        mode = "CONCURRENTLY " if found[0] else ""
        cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        cursor.execute(f"REFRESH MATERIALIZED VIEW {mode}dashboard_ticket_daily")
        cursor.execute(f"REFRESH MATERIALIZED VIEW {mode}dashboard_ticket_area_daily")
        cursor.execute(f"REFRESH MATERIALIZED VIEW {mode}dashboard_ticket_place_daily")
        cursor.execute(f"REFRESH MATERIALIZED VIEW {mode}dashboard_ticket_open_daily")
        cursor.execute(f"REFRESH MATERIALIZED VIEW {mode}dashboard_window_medians")
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0].isoformat()
