"""Delivers a queued ``Notification``: render in the recipient's language, send, mark sent."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import EventType, Notification

log = logging.getLogger(__name__)


def deliver_notification(*, notification_id: int) -> bool:
    """Send one notification unless it was already sent. Returns True when an email went out now.

    The row is locked while sending so two workers never send the same email.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.state == Notification.State.SENT:
            return False
        notification.attempts += 1
        context = dict(notification.context)
        event_type = context.get("event_type")
        with translation.override(notification.language or "id"):
            context["event_label"] = str(EventType(event_type).label) if event_type in EventType.values else ""
            subject = render_to_string(f"email/{notification.template}_subject.txt", context).strip()
            body = render_to_string(f"email/{notification.template}.txt", context)
        send_mail(subject=" ".join(subject.split()), message=body, from_email=None, recipient_list=[notification.email])
        notification.state = Notification.State.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["state", "sent_at", "attempts"])
    return True
