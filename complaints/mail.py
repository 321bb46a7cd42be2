"""Delivers a queued ``Notification``: render in the recipient's language, send, mark sent."""

from __future__ import annotations

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, close_old_connections, transaction
from django.db import connection as db_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from .models import EventType, Notification
from .notifications import DATE_FIELDS, email_links

log = logging.getLogger(__name__)


_EVENT_TYPES = frozenset(EventType.values)  # (``EventType.values`` builds a new list on every call)


def _render(notification: Notification) -> tuple[str, str]:
    # The stored context, with the links that act without logging in made now: the row never holds them.
    context = {**notification.context, **email_links(notification)}
    for field in DATE_FIELDS:  # the templates' |date shows them in WITA, in the recipient's language
        context[field] = parse_datetime(context[field]) if context.get(field) else None
    event_type = context.get("event_type")
    with translation.override(notification.language or "id"), timezone.override(settings.TIME_ZONE):
        context["event_label"] = str(EventType(event_type).label) if event_type in _EVENT_TYPES else ""
        subject = render_to_string(f"email/{notification.template}_subject.txt", context).strip()
        body = render_to_string(f"email/{notification.template}.txt", context)
    return " ".join(subject.split()), body


# How long a worker keeps trying to record an email it has sent (a PostgreSQL restart takes seconds).
RECORD_SENT_SECONDS = 60.0


_TABLE = Notification._meta.db_table
# Raw statements: the two per email are the hot path of every notification (no ORM compiling per row).
_LOCK = f'SELECT "state" FROM "{_TABLE}" WHERE "id" = %s'
_MARK_SENT = f'UPDATE "{_TABLE}" SET "state" = %s, "sent_at" = %s, "attempts" = "attempts" + 1 WHERE "id" = %s'


def _lock_clause(skip_locked: bool) -> str:
    """FOR UPDATE [SKIP LOCKED] where the database has row locks (SQLite locks the whole file instead)."""
    features = db_connection.features
    if not features.has_select_for_update:
        return ""
    return " FOR UPDATE SKIP LOCKED" if skip_locked and features.has_select_for_update_skip_locked else " FOR UPDATE"


def _deliver_locked(notification: Notification, *, connection, skip_locked: bool) -> bool:
    """Lock the row, send it unless already sent, mark it sent, commit. True when an email went out now.

    One transaction per email: a worker killed mid-batch can repeat at most the one email it
    was sending, never the ones it had already committed as sent. The lock and the state read under
    it decide; the row's content (address, template, context) never changes once written, so it may
    have been read before. The attempt is counted with the mark (a failed attempt's transaction rolls
    back; the callers count it). The links that act without logging in are made here, at sending (they are never
    stored: ``notifications.email_links``). When the database goes away after the email went out (a restart),
    the worker records it as sent once the database is back instead of leaving it pending for the
    sweep to send again. So does a task whose soft time limit falls between the send and the commit (a slow mail
    server used up its time): the email is recorded as sent, then the limit ends the task, whose retry (or the
    sweep) sends the batch's other emails and not this one again.
    """
    sent_at = None
    try:
        with transaction.atomic(), db_connection.cursor() as cursor:
            cursor.execute(_LOCK + _lock_clause(skip_locked), [notification.pk])
            row = cursor.fetchone()
            if row is None or row[0] == Notification.State.SENT:
                return False
            subject, body = _render(notification)
            EmailMessage(
                subject=subject,
                body=body,
                to=[notification.email],
                connection=connection,
                headers={"X-Notification-Id": str(notification.pk)},
            ).send()
            sent_at = timezone.now()
            cursor.execute(_MARK_SENT, [Notification.State.SENT.value, sent_at, notification.pk])
    except (DatabaseError, SoftTimeLimitExceeded) as error:
        if sent_at is None or db_connection.in_atomic_block:
            raise
        time_is_up = _record_sent_after_failure(notification.pk, sent_at)
        if time_is_up or isinstance(error, SoftTimeLimitExceeded):
            raise SoftTimeLimitExceeded() from error  # recorded as sent; the task stops here and is retried
    return True


def _record_sent_after_failure(notification_id: int, sent_at) -> bool:
    """Mark an already emailed notification sent, retrying on fresh connections while the database is down.

    True when the task's soft time limit fell meanwhile: it does not interrupt the recording (the email would go
    out again), the caller stops once it is done. The task's hard time limit leaves room for this."""
    deadline = time.monotonic() + RECORD_SENT_SECONDS
    time_is_up = False
    while True:
        try:
            close_old_connections()
            if not db_connection.is_usable():
                db_connection.close()
            # The failed transaction's attempt count was rolled back with it: count the attempt here.
            Notification.objects.filter(pk=notification_id).exclude(state=Notification.State.SENT).update(
                state=Notification.State.SENT, sent_at=sent_at, attempts=F("attempts") + 1
            )
            return time_is_up
        except DatabaseError:
            if time.monotonic() >= deadline:
                log.error("notification %s was emailed but could not be marked sent", notification_id)
                raise
            try:
                time.sleep(0.25)
            except SoftTimeLimitExceeded:
                time_is_up = True
        except SoftTimeLimitExceeded:
            time_is_up = True


def _count_failed_attempt(notification_id: int) -> None:
    """The failed attempt is counted even though its transaction rolled back (not for an email recorded as sent
    after all, with its attempt, when the task's time limit fell between the send and the commit)."""
    Notification.objects.filter(pk=notification_id).exclude(state=Notification.State.SENT).update(
        attempts=F("attempts") + 1
    )


def deliver_notifications(*, notification_ids: list[int]) -> int:
    """Send the given notifications that are still unsent over one mail connection. Returns how many went out.

    The rows are read with one query; each is then locked, checked and marked in its own transaction.
    Rows another worker has locked are skipped (that worker is sending them; if it dies they stay
    pending and the notification sweep queues them again). If the mail server fails half-way, the
    ones already sent stay committed as sent and the error is raised so the task retries the rest.
    """
    pending = Notification.objects.filter(pk__in=notification_ids).exclude(state=Notification.State.SENT)
    sent = 0
    with get_connection() as connection:
        for notification in pending.order_by("pk"):
            try:
                sent += _deliver_locked(notification, connection=connection, skip_locked=True)
            except Exception:
                _count_failed_attempt(notification.pk)
                raise
    return sent


def deliver_notification(*, notification_id: int) -> bool:
    """Send one notification unless it was already sent (waits for a worker that holds its lock)."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return False
    with get_connection() as connection:
        return _deliver_locked(notification, connection=connection, skip_locked=False)
