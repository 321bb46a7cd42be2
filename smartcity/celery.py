"""The Celery app, configured from Django settings (``CELERY_`` namespace).

Without ``REDIS_URL`` the settings make tasks run in-process (eager), so the
embedded default needs no broker; the code paths are the same.
"""

import logging
import time

from celery import Celery
from celery.signals import worker_init

from .environment import use_settings

use_settings()

app = Celery("smartcity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


log = logging.getLogger(__name__)


@worker_init.connect
def stop_without_a_database(**_):
    """A worker that cannot reach the database would report "ready" and then fail every task it takes: it waits up
    to WORKER_DATABASE_WAIT_SECONDS for one still starting, then stops with the reason (the supervisor shows it)."""
    from django.conf import settings
    from django.db import OperationalError, connection

    deadline = time.monotonic() + settings.WORKER_DATABASE_WAIT_SECONDS
    while True:
        try:
            connection.ensure_connection()
        except OperationalError as error:
            if time.monotonic() >= deadline:
                log.critical("The worker cannot reach the database (DATABASE_URL): %s", str(error).strip())
                raise SystemExit(3) from error
            time.sleep(1)
        else:
            connection.close()  # the tasks open their own
            return
