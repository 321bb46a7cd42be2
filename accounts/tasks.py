"""Thin Celery tasks of the accounts app."""

from __future__ import annotations

import logging
import random
import smtplib

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .mail import REDACTED_ARGS, REDACTED_KWARGS, from_data

log = logging.getLogger(__name__)

# Retries while the mail server refuses, drops or does not answer (EMAIL_TIMEOUT) the conversation: 1, 2, 4, 8 minutes,
# then every 15, each drawn between half and all of that (jitter); 8 retries, 9 attempts over 37-75 minutes (about an
# hour on average), inside the broker's visibility_timeout. Then an error in the log and the email is given up: the
# citizen asks again ("send again", a new password reset).
MAX_RETRIES = 8
BACKOFF_SECONDS = 60
BACKOFF_MAX_SECONDS = 15 * 60
TRANSIENT = (smtplib.SMTPException, OSError, SoftTimeLimitExceeded)


def retry_countdown(retries: int) -> float:
    ceiling = min(BACKOFF_SECONDS * 2**retries, BACKOFF_MAX_SECONDS)
    return random.uniform(ceiling / 2, ceiling)


def _permanent(error: Exception) -> bool:
    """The server refused every recipient for good (5xx): trying again an hour long changes nothing."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


# A conversation takes seconds; a mail server that drips its answers ends here (the retry comes later). The hard
# limit ends a worker process stuck past it (the task is redelivered: acks_late, reject_on_worker_lost).
@shared_task(
    name="accounts.tasks.send_account_email", bind=True, max_retries=MAX_RETRIES, soft_time_limit=60, time_limit=90
)
def send_account_email(self, message: dict, kind: str = "") -> bool:
    """Send an account email that the web request rendered (``accounts.mail.deliver``)."""
    try:
        from_data(message).send()
    except TRANSIENT as error:
        attempts = self.request.retries + 1
        if _permanent(error) or self.request.retries >= self.max_retries:
            # Neither the address nor the message (it holds the key or link) goes to the log.
            log.error("account email %s not sent after %d attempts, given up: %s", kind, attempts, type(error).__name__)
            return False
        raise self.retry(
            exc=error,
            countdown=retry_countdown(self.request.retries),
            argsrepr=REDACTED_ARGS,
            kwargsrepr=REDACTED_KWARGS % kind,
        ) from None
    return True
