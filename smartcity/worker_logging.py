"""What a Celery worker logs at ``-l warning`` (the systemd units in README.md): problems, not routine.

Celery logs a task's failure at ERROR but its retries ("Task … retry: …", a transient error the task will try again)
at INFO, on the same logger (``celery.app.trace``) as every success ("Task … succeeded in …"). LOGGING keeps that
logger at INFO with this filter, so a worker whose root level is WARNING logs failures and retries, and neither the
"received" nor the "succeeded" line of each task (two per task, the sweeps every minute).
"""

import logging

from celery.app.trace import LOG_SUCCESS


class WithoutTaskSuccess(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != LOG_SUCCESS
