"""Reopening a resolved report ("it is not fixed") takes up to 3 photos showing it is still broken (found in the
Ketua RT walk: the reopen form took words only). They are kept as the citizen's other photos are (re-encoded, without
EXIF or GPS), survive a refused form, and show with the reopening on the citizen's timeline and on the staff page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.actions import process_attachment
from complaints.events import record_event
from complaints.models import Attachment, EventType, Status
from tests.complaints.conftest import jpeg_bytes, upload
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def resolved(reporter, **fields):
    ticket = make_ticket(reporter=reporter, status=Status.RESOLVED, resolved_at=timezone.now(), **fields)
    record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Saluran sudah dibersihkan."})
    return ticket


def url(ticket) -> str:
    return reverse("complaints:reopen", args=[ticket.reference])


def kept_tokens(html: str) -> list[str]:
    return re.findall(r'name="photo_tokens" value="([^"]+)"[^>]*checked', html)


def processed(ticket) -> list[Attachment]:
    for attachment in Attachment.objects.filter(ticket=ticket):
        process_attachment(attachment_id=attachment.pk)
    return list(Attachment.objects.filter(ticket=ticket).order_by("pk"))


def test_the_reopen_form_offers_photos(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    html = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = html[html.index('id="reopen-form"') - 200 : html.index("</form>", html.index('id="reopen-form"'))]
    assert 'enctype="multipart/form-data"' in form
    assert 'type="file" name="photos" id="id_reopen_photos" multiple' in form
    assert "Photos showing it is still broken (optional, up to 3)" in form


def test_photos_sent_with_a_reopening_show_with_it_to_the_citizen_and_the_staff(client, citizen, staff_dlh):
    ticket = resolved(citizen)
    client.force_login(citizen)
    sent = client.post(
        url(ticket),
        {
            "reason": "Saluran masih tersumbat.",
            "photos": [upload(jpeg_bytes(), "a.jpg"), upload(jpeg_bytes(), "b.jpg")],
        },
    )
    assert sent.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    event = ticket.events.get(type=EventType.REOPENED)
    photos = processed(ticket)
    assert [(p.event_id, p.purpose, p.state) for p in photos] == [(event.pk, "info", "ready")] * 2
    assert all(p.original_path == "" and p.uploaded_by_id is None for p in photos)

    html = client.get(reverse("complaints:ticket", args=[ticket.reference])).content.decode()
    timeline = html[html.index('id="timeline"') :]
    reopened = timeline[timeline.index('class="event-reopened"') :].split("</li>", 1)[0]
    assert "Saluran masih tersumbat." in reopened
    assert all(p.thumbnail_url in reopened for p in photos)
    assert client.get(photos[0].url).status_code == 200

    client.force_login(staff_dlh)
    staff_page = client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()
    assert all(p.thumbnail_url in staff_page for p in photos)
    assert client.get(photos[0].url).status_code == 200


def test_a_refused_reopening_keeps_its_photos_and_the_next_one_sends_them(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    refused = client.post(url(ticket), {"reason": "", "photos": [upload(jpeg_bytes(), "masih-rusak.jpg")]})
    assert refused.status_code == 400
    html = refused.content.decode()
    tokens = kept_tokens(html)
    assert len(tokens) == 1 and "masih-rusak.jpg" in html
    assert not Attachment.objects.exists()

    done = client.post(url(ticket), {"reason": "Masih bocor.", "photo_tokens": tokens})
    assert done.status_code == 302
    (photo,) = Attachment.objects.all()
    assert photo.event == ticket.events.get(type=EventType.REOPENED)


def test_more_than_three_photos_or_an_unusable_one_are_refused_with_the_reason_kept(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    four = [upload(jpeg_bytes(), f"{n}.jpg") for n in range(4)]
    refused = client.post(url(ticket), {"reason": "Masih rusak.", "photos": four}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Please add at most 3 photos." in html and 'id="id_reopen_photos_error"' in html
    assert "Masih rusak." in html
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and not Attachment.objects.exists()

    junk = client.post(url(ticket), {"reason": "Masih rusak.", "photos": [upload(b"not an image", "virus.jpg")]})
    assert junk.status_code == 400 and kept_tokens(junk.content.decode()) == []
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_reopening_without_a_photo_still_works(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    assert client.post(url(ticket), {"reason": "Belum beres."}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and not Attachment.objects.exists()
