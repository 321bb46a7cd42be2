"""IDOR: another person's ticket, photo and export cannot be reached by changing an id in a URL."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints import actions
from complaints.models import Attachment, ExportJob, Rating, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_ticket(citizen):
    return make_ticket(reporter=citizen, privacy="confidential", title="Pungutan liar di kantor kelurahan")


def test_someone_elses_confidential_ticket_is_not_found(client, other_citizen, private_ticket):
    client.force_login(other_citizen)
    assert client.get(reverse("complaints:ticket", args=[private_ticket.reference])).status_code == 404
    assert client.get(f"/api/v1/tickets/{private_ticket.reference}/").status_code == 404
    events = client.get(f"/api/v1/events/?ticket={private_ticket.reference}").content.decode()
    assert private_ticket.title not in events


def test_anonymous_visitors_do_not_reach_a_confidential_ticket(client, private_ticket):
    assert client.get(reverse("complaints:ticket", args=[private_ticket.reference])).status_code == 404
    assert client.get(f"/api/v1/tickets/{private_ticket.reference}/").status_code == 404


@pytest.mark.parametrize("name", ["add_info", "rate", "reopen", "confirm_fixed", "emails"])
def test_reporter_actions_refuse_another_citizen(name, client, other_citizen, citizen):
    ticket = make_ticket(reporter=citizen, status="resolved", title="Lampu mati")
    events_before = TicketEvent.objects.filter(ticket=ticket).count()
    client.force_login(other_citizen)
    response = client.post(
        reverse(f"complaints:{name}", args=[ticket.reference]),
        {"message": "bukan punya saya", "score": 1, "comment": "x", "reason": "x", "enabled": ""},
    )
    assert response.status_code in (403, 404)
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    assert not Rating.objects.filter(ticket=ticket).exists()
    assert TicketEvent.objects.filter(ticket=ticket).count() == events_before


def test_staff_of_another_department_cannot_open_or_act(client, staff_pupr, private_ticket):
    client.force_login(staff_pupr)
    assert client.get(reverse("staff:ticket", args=[private_ticket.reference])).status_code == 404
    response = client.post(
        reverse("staff:ticket_action", args=[private_ticket.reference, "note"]), {"note-message": "x"}
    )
    assert response.status_code in (403, 404)


def test_someone_elses_export_is_not_found(client, staff_dlh, staff_pupr):
    job = ExportJob.objects.create(owner=staff_dlh, query="status=all", format="csv")
    client.force_login(staff_pupr)
    assert client.get(reverse("staff:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("staff:export_download", args=[job.pk])).status_code == 404
    client.force_login(staff_dlh)
    assert client.get(reverse("staff:export_job", args=[job.pk])).status_code == 200


def test_photos_are_reached_through_the_ticket_and_originals_are_never_served(
    client, citizen, other_citizen, private_ticket, settings
):
    """A photo's address is the portal's /foto/<id>/, which checks who asks: counting ids reaches nothing that is
    not yours to see, and the file's own name (random, under MEDIA_ROOT/tickets/) is no way in."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 10)).save(buffer, "JPEG")
    actions.attach_photos(
        ticket=private_ticket,
        photos=[SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")],
        uploaded_by=citizen,
    )
    attachment = Attachment.objects.get(ticket=private_ticket)
    actions.process_attachment(attachment_id=attachment.pk)
    attachment.refresh_from_db()
    name = attachment.image.name
    # Still a random name (no reference, no id, no counter), and not an address anyone is given.
    assert re.search(r"[0-9a-f]{32}", name)
    assert private_ticket.reference not in name and f"/{attachment.pk}." not in name
    assert attachment.url == reverse("complaints:photo", args=[attachment.pk])
    # The id is guessable, so the answer depends on who asks: another citizen and a visitor get a 404.
    for user in (other_citizen, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(attachment.url).status_code == 404
        assert client.get(attachment.thumbnail_url).status_code == 404
        assert client.get(f"/media/{name}").status_code == 404
    client.force_login(citizen)
    response = client.get(attachment.url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    # The original upload is outside MEDIA_ROOT: no URL leads to it.
    assert not str(settings.PRIVATE_UPLOAD_ROOT).startswith(str(settings.MEDIA_ROOT))
    assert client.get("/media/../private/" + attachment.original_path).status_code == 404
