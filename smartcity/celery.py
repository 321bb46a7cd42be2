"""The Celery app, configured from Django settings (``CELERY_`` namespace).

Without ``REDIS_URL`` the settings make tasks run in-process (eager), so the
embedded default needs no broker; the code paths are the same.
"""

from celery import Celery

from .environment import use_settings

use_settings()

app = Celery("smartcity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
