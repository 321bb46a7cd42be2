"""Thin Celery tasks of the planning cycle: take an id, call the import, be safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from smartcity.taskqueue import enqueue

from .models import ImportJob

TRANSIENT = (ConnectionError, TimeoutError)
RETRY = dict(autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=600, retry_jitter=True, max_retries=5)


@shared_task(**RETRY)
def run_import_job(job_id: int) -> bool:
    from .imports import run_import_job as run

    return run(job_id=job_id) is not None


@shared_task
def sweep_import_jobs(grace_seconds: int = 120) -> int:
    """Re-enqueue imports still waiting after the grace period (the broker was down when they were filed)."""
    cutoff = timezone.now() - dt.timedelta(seconds=grace_seconds)
    ids = list(
        ImportJob.objects.filter(state=ImportJob.State.PENDING, created_at__lt=cutoff)
        .exclude(file_path="")
        .values_list("pk", flat=True)[:100]
    )
    for job_id in ids:
        enqueue(run_import_job, job_id)
    return len(ids)
