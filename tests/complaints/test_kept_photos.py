"""A refused form keeps the photos it carried: the page offers them again, ticked, so neither a citizen adding
information nor an officer resolving a ticket has to pick them again (browsers cannot refill a file input)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.models import Attachment, EventType, Status
from tests.complaints.conftest import jpeg_bytes, upload
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _kept_tokens(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}" value="([^"]+)"[^>]*checked', html)


def test_an_officer_who_forgot_the_note_resolves_with_the_photo_already_sent(client, citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[ticket.reference, "resolve"])
    refused = client.post(url, {"resolve-note": "", "resolve-photos": [upload(jpeg_bytes(), "hasil.jpg")]})
    assert refused.status_code == 400
    html = refused.content.decode()
    tokens = _kept_tokens(html, "resolve-photo_tokens")
    assert len(tokens) == 1 and "hasil.jpg" in html
    assert not Attachment.objects.exists()

    done = client.post(url, {"resolve-note": "Saluran sudah dibersihkan.", "resolve-photo_tokens": tokens})
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    photo = Attachment.objects.get()
    assert photo.purpose == Attachment.Purpose.RESOLUTION and photo.ticket == ticket
    # The kept copy is gone once used: the same token cannot attach it twice.
    again = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    client.post(
        reverse("staff:ticket_action", args=[again.reference, "resolve"]),
        {"resolve-note": "Selesai.", "resolve-photo_tokens": tokens},
    )
    assert Attachment.objects.count() == 1


def test_a_citizen_keeps_their_photos_when_the_message_is_refused(client, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED)
    client.force_login(citizen)
    url = f"/laporan/{ticket.reference}/info/"
    too_long = "x" * 4001
    refused = client.post(
        url, {"message": too_long, "photos": [upload(jpeg_bytes(), "a.jpg"), upload(jpeg_bytes(), "b.jpg")]}
    )
    assert refused.status_code == 400
    tokens = _kept_tokens(refused.content.decode(), "photo_tokens")
    assert len(tokens) == 2

    # The citizen shortens the message and leaves one of the two photos out (unticks it).
    done = client.post(url, {"message": "Lubangnya di depan rumah nomor 12.", "photo_tokens": tokens[:1]})
    assert done.status_code == 302
    event = ticket.events.get(type=EventType.CITIZEN_INFO)
    assert event.attachments.count() == 1


def test_an_unusable_photo_is_not_kept_and_a_forged_token_is_ignored(client, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED)
    client.force_login(citizen)
    url = f"/laporan/{ticket.reference}/info/"
    refused = client.post(
        url, {"message": "", "photos": [upload(b"not an image", "virus.jpg")], "photo_tokens": ["forged"]}
    )
    assert refused.status_code == 400
    assert _kept_tokens(refused.content.decode(), "photo_tokens") == []
    assert not Attachment.objects.exists()
