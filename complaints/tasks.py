"""Thin Celery tasks: take an id, call an action, be safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from smartcity.taskqueue import enqueue

from .mail import deliver_notification
from .models import Notification

# Errors worth retrying: the database or a mail server briefly away.
TRANSIENT = (ConnectionError, TimeoutError, OSError)
RETRY = dict(autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=600, retry_jitter=True, max_retries=8)


@shared_task(**RETRY)
def send_notification(notification_id: int) -> bool:
    return deliver_notification(notification_id=notification_id)


@shared_task
def sweep_notifications(grace_seconds: int = 120) -> int:
    """Re-enqueue notifications still pending after the grace period (broker was down, worker died)."""
    cutoff = timezone.now() - dt.timedelta(seconds=grace_seconds)
    ids = list(
        Notification.objects.filter(state=Notification.State.PENDING, created_at__lt=cutoff, attempts__lt=10)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    for notification_id in ids:
        enqueue(send_notification, notification_id)
    return len(ids)
