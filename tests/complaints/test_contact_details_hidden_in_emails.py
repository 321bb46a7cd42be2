"""A supporter ("me too") is another citizen: the emails they get about a report read its title and its reporter's
reopening reason as the report's public page shows them, phone numbers and emails hidden (4bdd9bd hid them on every
public channel; the supporters' emails still carried them as typed). The reporter's own emails keep their words."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from complaints.events import record_event
from complaints.mail import deliver_notification
from complaints.models import EventType, Notification, Status, Subscription
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

PHONE = "081234567890"
EMAIL = "budi.warga@gmail.com"


def sent_to(event) -> dict[str, tuple[str, str]]:
    """Each email about ``event`` as the worker sends it: (subject, body) by address."""
    mail.outbox.clear()
    for notification in Notification.objects.filter(event=event):
        deliver_notification(notification_id=notification.pk)
    return {address: (message.subject, message.body) for message in mail.outbox for address in message.to}


def test_a_supporter_reads_the_reopening_without_the_reporters_phone_and_the_reporter_gets_theirs(
    client, citizen, other_citizen, staff_dlh
):
    ticket = make_ticket(
        reporter=citizen,
        assignee=staff_dlh,
        title=f"Lampu mati, hubungi {PHONE}",
        status=Status.RESOLVED,
        resolved_at=timezone.now(),
    )
    record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Lampu sudah diganti."})
    Subscription.objects.create(ticket=ticket, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    client.force_login(citizen)
    reason = f"Masih mati. Kabari saya di {EMAIL}"
    assert client.post(reverse("complaints:reopen", args=[ticket.reference]), {"reason": reason}).status_code == 302

    emails = sent_to(ticket.events.get(type=EventType.REOPENED))
    subject, body = emails[other_citizen.email]
    assert PHONE not in subject + body and EMAIL not in body
    assert "Lampu mati, hubungi" in body and "Masih mati. Kabari saya di" in body
    staff_subject, staff_body = emails[staff_dlh.email]
    assert PHONE in staff_subject + staff_body and EMAIL in staff_body  # the department reads it as written


def test_the_reporter_reads_their_own_title_in_an_update_and_a_supporter_does_not(client, citizen, other_citizen):
    ticket = make_ticket(reporter=citizen, title=f"Sampah menumpuk, WA {PHONE}", status=Status.ROUTED)
    Subscription.objects.create(ticket=ticket, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    event = record_event(ticket=ticket, type=EventType.REPLY, payload={"message": "Kami jadwalkan besok."})
    from complaints.notifications import notify_followers

    notify_followers(ticket=ticket, event=event)
    emails = sent_to(event)
    assert PHONE in "".join(emails[citizen.email])
    assert PHONE not in "".join(emails[other_citizen.email])
    assert "Kami jadwalkan besok." in emails[other_citizen.email][1]
