"""Enqueue Celery tasks after the surrounding transaction commits, and never fail because of it.

The database is the source of truth: if the broker is down, the row that
asked for the work stays pending and a periodic sweep enqueues it again.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """Send a task now; return False (and log) instead of raising when the broker is unreachable."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        log.warning("could not enqueue %s%r; the periodic sweep will retry", task.name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
