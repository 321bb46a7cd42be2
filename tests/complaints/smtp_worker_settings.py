"""Test settings for a live worker that talks SMTP (tests/complaints/test_mail_time_limits.py): the mail server of
``EMAIL_URL`` and ``EMAIL_TIMEOUT`` from the environment, instead of the test settings' in-memory outbox."""

from smartcity.settings.base import EMAIL_CONFIG
from smartcity.settings.test import *  # noqa: F403

EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
