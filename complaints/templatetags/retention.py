"""The retention periods for the pages that state them (the privacy notice, the "what happens next" card), read from
the settings the retention job reads (``complaints.actions.retention``), so a page never promises another period
than the one the city runs. 0 means that kind of data is kept."""

from django import template
from django.conf import settings

register = template.Library()

PERIODS = {
    "unconfirmed": "RETENTION_UNCONFIRMED_DAYS",
    "email_log": "RETENTION_EMAIL_LOG_DAYS",
    "exports": "RETENTION_EXPORT_DAYS",
}


@register.simple_tag
def retention_days(kind: str) -> int:
    """``{% retention_days "unconfirmed" as days %}``: the days that kind of data is kept (0: kept for good).
    ``"unconfirmed_support"``: a "me too" waiting for its confirmation, as long as its link works (not a setting)."""
    if kind == "unconfirmed_support":
        from complaints.actions.intake import SUPPORT_CONFIRMATION_DAYS

        return SUPPORT_CONFIRMATION_DAYS
    return max(0, int(getattr(settings, PERIODS[kind])))


@register.simple_tag
def api_answers_hours() -> int:
    """``{% api_answers_hours as hours %}``: the hours the REST API keeps its answers for retries (the retention job
    deletes them after as many)."""
    return settings.API_IDEMPOTENCY_HOURS
