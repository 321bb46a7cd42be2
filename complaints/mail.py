"""Delivers a queued ``Notification``: render in the recipient's language, send, mark sent."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import EventType, Notification

log = logging.getLogger(__name__)


def _render(notification: Notification) -> tuple[str, str]:
    context = dict(notification.context)
    event_type = context.get("event_type")
    with translation.override(notification.language or "id"):
        context["event_label"] = str(EventType(event_type).label) if event_type in EventType.values else ""
        subject = render_to_string(f"email/{notification.template}_subject.txt", context).strip()
        body = render_to_string(f"email/{notification.template}.txt", context)
    return " ".join(subject.split()), body


def deliver_notifications(*, notification_ids: list[int]) -> int:
    """Send the given notifications that are still unsent over one mail connection. Returns how many went out.

    Rows another worker has locked are skipped (that worker is sending them; if it dies they stay
    pending and the notification sweep queues them again). Rows are marked sent in the same
    transaction that holds their locks, so none is emailed twice. If the mail server fails half-way,
    the ones already sent are committed as sent and the error is raised so the task retries the rest.
    """
    failure = None
    sent = 0
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=notification_ids)
            .exclude(state=Notification.State.SENT)
            .order_by("pk")
        )
        if not rows:
            return 0
        now = timezone.now()
        done, tried = [], []
        with get_connection() as connection:
            for notification in rows:
                notification.attempts += 1
                tried.append(notification)
                subject, body = _render(notification)
                message = EmailMessage(subject=subject, body=body, to=[notification.email], connection=connection)
                try:
                    message.send()
                except Exception as exc:  # stop here: commit what went out, retry the rest
                    failure = exc
                    break
                notification.state = Notification.State.SENT
                notification.sent_at = now
                done.append(notification)
        attempted = F("attempts") + 1
        Notification.objects.filter(pk__in=[n.pk for n in done]).update(
            state=Notification.State.SENT, sent_at=now, attempts=attempted
        )
        failed = [n.pk for n in tried if n.state != Notification.State.SENT]
        if failed:
            Notification.objects.filter(pk__in=failed).update(attempts=attempted)
        sent = len(done)
    if failure is not None:
        raise failure
    return sent


def deliver_notification(*, notification_id: int) -> bool:
    """Send one notification unless it was already sent. Returns True when an email went out now.

    The row is locked while sending so two workers never send the same email.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.state == Notification.State.SENT:
            return False
        notification.attempts += 1
        subject, body = _render(notification)
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[notification.email])
        notification.state = Notification.State.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["state", "sent_at", "attempts"])
    return True
