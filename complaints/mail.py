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


def _context(notification: Notification) -> dict:
    # The stored context, with the links that act without logging in made now: the row never holds them.
    context = {**notification.context, **email_links(notification)}
    for field in DATE_FIELDS:  # the templates' |date shows them in WITA, in the recipient's language
        context[field] = parse_datetime(context[field]) if context.get(field) else None
    event_type = context.get("event_type")
    context["event_label"] = str(EventType(event_type).label) if event_type in _EVENT_TYPES else ""
    return context


def _render(notification: Notification) -> tuple[str, str]:
    with translation.override(notification.language or "id"), timezone.override(settings.TIME_ZONE):
        return _subject_and_body(notification.template, _context(notification))


def _render_digest(notifications: list[Notification]) -> tuple[str, str]:
    """One email for several escalations to one person (``_digest_groups``), in that person's language."""
    with translation.override(notifications[0].language or "id"), timezone.override(settings.TIME_ZONE):
        tickets = [_context(row) for row in notifications]
        # One urgent ticket among them makes the email urgent: its subject says so before the count.
        urgent = any(ticket.get("urgent") for ticket in tickets)
        return _subject_and_body("staff_escalations", {"tickets": tickets, "urgent": urgent})


def _subject_and_body(template: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"email/{template}_subject.txt", context).strip()
    body = render_to_string(f"email/{template}.txt", context)
    return " ".join(subject.split()), body


def _is_escalation(notification: Notification) -> bool:
    return (
        notification.template == Notification.Template.STAFF_TICKET
        and notification.context.get("event_type") == EventType.ESCALATED
    )


def _digest_groups(notifications: list[Notification]) -> list[list[Notification]]:
    """The emails to send: one per notification, except that one person's escalations (a head's, an inspector's,
    a department's address) go in one email. An escalation sweep after a flood or a long holiday escalates
    hundreds of tickets at once; each one an email buried the one that mattered."""
    groups: dict[tuple, list[Notification]] = {}
    for notification in notifications:
        if _is_escalation(notification):
            key = ("escalations", notification.email.lower(), notification.language)
        else:
            key = ("one", notification.pk)
        groups.setdefault(key, []).append(notification)
    return list(groups.values())


# How long a worker keeps trying to record an email it has sent (a PostgreSQL restart takes seconds).
RECORD_SENT_SECONDS = 60.0


_TABLE = Notification._meta.db_table
# Raw statements: the two per email are the hot path of every notification (no ORM compiling per row).
_LOCK = f'SELECT "id", "state" FROM "{_TABLE}" WHERE "id" IN ({{ids}})'
_MARK_SENT = f'UPDATE "{_TABLE}" SET "state" = %s, "sent_at" = %s, "attempts" = "attempts" + 1 WHERE "id" IN ({{ids}})'


def _placeholders(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def _lock_clause(skip_locked: bool) -> str:
    """FOR UPDATE [SKIP LOCKED] where the database has row locks (SQLite locks the whole file instead)."""
    features = db_connection.features
    if not features.has_select_for_update:
        return ""
    return " FOR UPDATE SKIP LOCKED" if skip_locked and features.has_select_for_update_skip_locked else " FOR UPDATE"


def _deliver_locked(notifications: list[Notification], *, connection, skip_locked: bool) -> int:
    """Lock the rows, send those not yet sent in one email, mark them sent, commit. How many went out now.

    One transaction per email: a worker killed mid-batch can repeat at most the one email it
    was sending, never the ones it had already committed as sent. The locks and the states read under
    them decide; a row's content (address, template, context) never changes once written, so it may
    have been read before. The attempt is counted with the mark (a failed attempt's transaction rolls
    back; the callers count it). The links that act without logging in are made here, at sending (they are never
    stored: ``notifications.email_links``). When the database goes away after the email went out (a restart),
    the worker records it as sent once the database is back instead of leaving it pending for the
    sweep to send again. So does a task whose soft time limit falls between the send and the commit (a slow mail
    server used up its time): the email is recorded as sent, then the limit ends the task, whose retry (or the
    sweep) sends the batch's other emails and not this one again. Several rows are one person's escalations
    (``_digest_groups``); with ``skip_locked`` a row another worker is sending is left to it.
    """
    sent_at = None
    sending: list[int] = []
    try:
        with transaction.atomic(), db_connection.cursor() as cursor:
            ids = [notification.pk for notification in notifications]
            cursor.execute(_LOCK.format(ids=_placeholders(ids)) + _lock_clause(skip_locked), ids)
            unsent = {pk for pk, state in cursor.fetchall() if state != Notification.State.SENT}
            to_send = [notification for notification in notifications if notification.pk in unsent]
            if not to_send:
                return 0
            sending = [notification.pk for notification in to_send]
            subject, body = _render(to_send[0]) if len(to_send) == 1 else _render_digest(to_send)
            EmailMessage(
                subject=subject,
                body=body,
                to=[to_send[0].email],
                connection=connection,
                headers={"X-Notification-Id": ",".join(map(str, sending))},
            ).send()
            sent_at = timezone.now()
            cursor.execute(
                _MARK_SENT.format(ids=_placeholders(sending)), [Notification.State.SENT.value, sent_at, *sending]
            )
    except (DatabaseError, SoftTimeLimitExceeded) as error:
        if sent_at is None or db_connection.in_atomic_block:
            raise
        time_is_up = _record_sent_after_failure(sending, sent_at)
        if time_is_up or isinstance(error, SoftTimeLimitExceeded):
            raise SoftTimeLimitExceeded() from error  # recorded as sent; the task stops here and is retried
    return len(sending)


def _record_sent_after_failure(notification_ids: list[int], sent_at) -> bool:
    """Mark the notifications of an email already sent as sent, retrying on fresh connections while the database
    is down.

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
            Notification.objects.filter(pk__in=notification_ids).exclude(state=Notification.State.SENT).update(
                state=Notification.State.SENT, sent_at=sent_at, attempts=F("attempts") + 1
            )
            return time_is_up
        except DatabaseError:
            if time.monotonic() >= deadline:
                log.error("notifications %s were emailed but could not be marked sent", notification_ids)
                raise
            try:
                time.sleep(0.25)
            except SoftTimeLimitExceeded:
                time_is_up = True
        except SoftTimeLimitExceeded:
            time_is_up = True


def _count_failed_attempt(notification_ids: list[int]) -> None:
    """The failed attempt is counted even though its transaction rolled back (not for an email recorded as sent
    after all, with its attempt, when the task's time limit fell between the send and the commit)."""
    Notification.objects.filter(pk__in=notification_ids).exclude(state=Notification.State.SENT).update(
        attempts=F("attempts") + 1
    )


def deliver_notifications(*, notification_ids: list[int]) -> int:
    """Send the given notifications that are still unsent over one mail connection. Returns how many went out.

    The rows are read with one query; each email (one row, or one person's escalations) is then locked, checked
    and marked in its own transaction. Rows another worker has locked are skipped (that worker is sending them; if
    it dies they stay pending and the notification sweep queues them again). If the mail server fails half-way,
    the ones already sent stay committed as sent and the error is raised so the task retries the rest.
    """
    pending = Notification.objects.filter(pk__in=notification_ids).exclude(state=Notification.State.SENT)
    sent = 0
    with get_connection() as connection:
        for email in _digest_groups(list(pending.order_by("pk"))):
            try:
                sent += _deliver_locked(email, connection=connection, skip_locked=True)
            except Exception:
                _count_failed_attempt([notification.pk for notification in email])
                raise
    return sent


def deliver_notification(*, notification_id: int) -> bool:
    """Send one notification unless it was already sent (waits for a worker that holds its lock)."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return False
    with get_connection() as connection:
        return _deliver_locked([notification], connection=connection, skip_locked=False) > 0
