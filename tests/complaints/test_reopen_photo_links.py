"""The department's email about a reopening links the photos that came with it (a citizen's "not fixed" carries up
to 3 photos of what is still broken): the email said "Reopened" and the reason, and the department had to open the
ticket to find out there were photos. Links, never attached files: each opens for whoever may see the ticket once
signed in, and the citizens' own emails about the reopening carry none. A staff reopening (a reason, no photos) and
an earlier reopening's photos are not mixed up; information the citizen adds with photos is linked the same way."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from complaints import actions
from complaints.events import record_event
from complaints.mail import _render, deliver_notification
from complaints.models import Attachment, EventType, Notification, Status, Subscription
from smartcity.site_links import absolute_url
from tests.complaints.conftest import jpeg_bytes, upload
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def resolved(reporter, **fields):
    ticket = make_ticket(reporter=reporter, status=Status.RESOLVED, resolved_at=timezone.now(), **fields)
    record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Saluran sudah dibersihkan."})
    return ticket


def processed(ticket) -> list[Attachment]:
    """The photos re-encoded, as the worker does after the reopening commits."""
    for attachment in Attachment.objects.filter(ticket=ticket, state=Attachment.State.PENDING):
        actions.process_attachment(attachment_id=attachment.pk)
    return list(Attachment.objects.filter(ticket=ticket).order_by("pk"))


def sent_bodies(event) -> dict[str, str]:
    """Each email about ``event`` as sent (the worker's way), by address."""
    mail.outbox.clear()
    for notification in Notification.objects.filter(event=event):
        deliver_notification(notification_id=notification.pk)
    assert all(not message.attachments for message in mail.outbox)  # no file leaves as an attachment
    return {address: message.body for message in mail.outbox for address in message.to}


def test_the_departments_email_about_a_citizens_reopening_links_its_photos(client, citizen, other_citizen, staff_dlh):
    ticket = resolved(citizen, assignee=staff_dlh)
    Subscription.objects.create(ticket=ticket, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    client.force_login(citizen)
    sent = client.post(
        reverse("complaints:reopen", args=[ticket.reference]),
        {
            "reason": "Saluran masih tersumbat.",
            "photos": [upload(jpeg_bytes(), "a.jpg"), upload(jpeg_bytes(), "b.jpg")],
        },
    )
    assert sent.status_code == 302
    event = ticket.events.get(type=EventType.REOPENED)
    photos = processed(ticket)
    assert len(photos) == 2
    links = [absolute_url(photo.url) for photo in photos]

    bodies = sent_bodies(event)
    staff_emails = set(
        Notification.objects.filter(event=event, template=Notification.Template.STAFF_TICKET).values_list(
            "email", flat=True
        )
    )
    assert staff_dlh.email in staff_emails
    for address in staff_emails:  # the assignee, and the department's contact address
        body = bodies[address]
        assert "Saluran masih tersumbat." in body
        assert all(link in body for link in links), body
        assert body.index(links[0]) < body.index(links[1])  # in the order the citizen sent them
    # The supporter's update names the reopening, never its photos.
    assert "Saluran masih tersumbat." in bodies[other_citizen.email]
    assert not any(link in bodies[other_citizen.email] for link in links)

    # The link opens the photo for the department's staff, signed in.
    client.force_login(staff_dlh)
    opened = client.get(urlsplit(links[0]).path)
    assert opened.status_code == 200 and opened["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "count, line",
    [
        (1, "A photo came with it (it opens once you are signed in):"),
        (3, "3 photos came with it (they open once you are signed in):"),
    ],
)
def test_the_photo_lines_read_in_the_recipients_language(client, citizen, staff_dlh, count, line):
    ticket = resolved(citizen, assignee=staff_dlh)
    client.force_login(citizen)
    photos = [upload(jpeg_bytes(), f"{n}.jpg") for n in range(count)]
    client.post(reverse("complaints:reopen", args=[ticket.reference]), {"reason": "Belum beres.", "photos": photos})
    notification = Notification.objects.get(ticket=ticket, event__type=EventType.REOPENED, email=staff_dlh.email)
    notification.language = "en"
    _subject, body = _render(notification)
    assert line in body, body
    assert len(notification.context["photo_urls"]) == count


def test_a_staff_reopening_lists_no_photos_not_even_an_earlier_reopenings(client, citizen, staff_dlh, head_dlh):
    ticket = resolved(citizen, assignee=staff_dlh)
    client.force_login(citizen)
    client.post(
        reverse("complaints:reopen", args=[ticket.reference]),
        {"reason": "Masih rusak.", "photos": [upload(jpeg_bytes(), "a.jpg")]},
    )
    (photo,) = processed(ticket)
    actions.resolve_ticket(ticket=ticket, actor=staff_dlh, note="Sudah diperbaiki lagi.")

    actions.staff_reopen_ticket(ticket=ticket, actor=head_dlh, reason="Perbaikan belum diperiksa.")
    event = ticket.events.filter(type=EventType.REOPENED).latest("pk")
    notification = Notification.objects.get(event=event, email=staff_dlh.email)
    notification.language = "en"
    _subject, body = _render(notification)
    assert "Perbaikan belum diperiksa." in body
    assert absolute_url(photo.url) not in body and "came with it" not in body


def test_information_the_citizen_adds_with_a_photo_is_linked_too(citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen, status=Status.IN_PROGRESS, assignee=staff_dlh)
    event = actions.add_citizen_info(
        ticket=ticket, actor=citizen, message="Ini fotonya dari dekat.", photos=[upload(jpeg_bytes(), "dekat.jpg")]
    )
    (photo,) = processed(ticket)
    assert absolute_url(photo.url) in sent_bodies(event)[staff_dlh.email]


def test_an_unusable_photo_is_not_linked(citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen, status=Status.IN_PROGRESS, assignee=staff_dlh)
    event = record_event(ticket=ticket, type=EventType.CITIZEN_INFO, payload={"message": "Foto", "by": "reporter"})
    Attachment.objects.create(ticket=ticket, event=event, purpose="info", state=Attachment.State.REJECTED)
    from complaints.notifications import notify_staff

    notify_staff(ticket=ticket, event=event, users=[staff_dlh])
    assert "photo_urls" not in Notification.objects.get(event=event, email=staff_dlh.email).context
