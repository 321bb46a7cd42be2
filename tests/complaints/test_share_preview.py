"""A public report's link shared on the RT's WhatsApp group previews what it is about (found in the Ketua RT walk:
the preview showed only 'BJM-2026-000580 · Lapor Banjarmasin'): Open Graph title, description (service, place,
status) and its first photo, from the city's own address. Never the reporter's name or contact, and nothing at all
for a report that is not public."""

import re

import pytest

from complaints.events import record_event
from complaints.models import Attachment, EventType, Privacy, Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _meta(page: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', page))


def test_a_public_report_previews_its_title_service_place_and_status(client, citizen, settings):
    settings.SITE_URL = "https://lapor.banjarmasinkota.go.id/"
    ticket = make_ticket(reporter=citizen, title='Got "mampet" di Gang Mawar', status=Status.IN_PROGRESS)
    page = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    meta = _meta(page)
    assert meta["og:title"] == f"{ticket.reference}: Got &quot;mampet&quot; di Gang Mawar"
    assert ticket.service.name_en in meta["og:description"] and ticket.area.name in meta["og:description"]
    assert "In progress" in meta["og:description"]
    assert meta["og:url"] == f"https://lapor.banjarmasinkota.go.id/laporan/{ticket.reference}/"
    assert "og:image" not in meta  # no photo yet
    shared = " ".join(meta.values())
    assert citizen.email not in shared and "Siti" not in shared


def test_a_confidential_report_previews_nothing(client, citizen):
    ticket = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL, title="Rumah hampir roboh")
    client.force_login(citizen)
    page = client.get(f"/laporan/{ticket.reference}/").content.decode()
    assert "Rumah hampir roboh" in page
    assert not any(key.startswith("og:") for key in _meta(page)) and 'name="description"' not in page


def test_the_preview_shows_the_reports_first_photo(client, citizen, settings):
    settings.SITE_URL = "https://lapor.banjarmasinkota.go.id"
    ticket = make_ticket(reporter=citizen)
    filed = record_event(ticket=ticket, type=EventType.SUBMITTED, actor=citizen)
    photo = Attachment.objects.create(ticket=ticket, event=filed, state=Attachment.State.READY)
    meta = _meta(client.get(f"/laporan/{ticket.reference}/").content.decode())
    assert meta["og:image"] == f"https://lapor.banjarmasinkota.go.id{photo.thumbnail_url}"
