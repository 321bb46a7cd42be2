"""Enqueue Celery tasks after the surrounding transaction commits, and never fail because of it.

The database is the source of truth: if the broker is down, the row that
asked for the work stays pending and a periodic sweep enqueues it again.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# The broker down or unreachable: the operator needs the reason in one line, not kombu's 60-line traceback.
BROKER_DOWN = (OperationalError, RedisError, OSError)


def enqueue(task, *args, **kwargs) -> bool:
    """Send a task now; return False (and log) instead of raising when the broker is unreachable."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception as exc:
        log.warning(
            "could not enqueue %s%r (%s: %s); the periodic sweep will retry",
            task.name,
            args,
            type(exc).__name__,
            exc,
            exc_info=not isinstance(exc, BROKER_DOWN),  # anything else may be a bug: its traceback helps
        )
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
