"""The embedded mode's beat: runs CELERY_BEAT_SCHEDULE's tasks in this process, each when it is due.

Without REDIS_URL there is no broker and so no ``celery beat``: on a bare machine overdue tickets were never
escalated, resolved ones never closed and the sweeps never ran. ``make run`` starts this beside the web server.
With Redis, run exactly one ``celery -A smartcity beat`` instead (README, Deployment); this refuses to run then,
so the two can never both schedule.
"""

import logging
import time

from celery import current_app
from celery.schedules import crontab, schedule
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

log = logging.getLogger(__name__)


def _schedule_of(value):
    return value if isinstance(value, (schedule, crontab)) else schedule(run_every=value)


class Command(BaseCommand):
    help = "Run the periodic tasks (escalation, closing, sweeps) in-process, for the embedded mode without Redis."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every interval task once, then stop.")
        parser.add_argument("--tick", type=float, default=20.0, help="Seconds between looks at the schedule.")

    def handle(self, *args, once=False, tick=20.0, **options):
        if settings.REDIS_URL:
            raise CommandError("REDIS_URL is set: run exactly one `celery -A smartcity beat` instead.")
        current_app.autodiscover_tasks(force=True)
        entries = {}
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            when = _schedule_of(entry["schedule"])
            # Interval tasks run at start (the demo's overdue tickets escalate at once); clock tasks (the nightly
            # retrain) wait for their time.
            entries[name] = (
                current_app.tasks[entry["task"]],
                when,
                timezone.now() if isinstance(when, crontab) else None,
            )
        while True:
            for name, (task, when, last_run) in list(entries.items()):
                if once and isinstance(when, crontab):
                    continue
                if last_run is not None and not when.is_due(last_run).is_due:
                    continue
                result = task.apply()
                if result.failed():
                    log.error("periodic task %s failed: %r", name, result.result)
                elif result.result:
                    self.stdout.write(f"{timezone.localtime():%H:%M:%S} {name}: {result.result}")
                entries[name] = (task, when, timezone.now())
            if once:
                return
            time.sleep(tick)
