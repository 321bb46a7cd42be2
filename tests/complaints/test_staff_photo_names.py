"""A screen reader's list of links on the staff ticket page read "Photo from the citizen" for every photo of the
report and "Photo" for every photo of the timeline (an accessibility walk of the staff side): the officer could not
tell the citizen's photos from the resolution's, nor one from the next. Each is named apart now, as on the public
page: its number, and in the timeline its event and minute."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from complaints.actions import resolve_ticket
from complaints.events import record_event
from complaints.models import Attachment, EventType, Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def photo_names(html: str, container: str) -> list[str]:
    part = html[html.index(f'id="{container}"') :]
    return re.findall(r'<a href="[^"]+"><img src="[^"]+" alt="([^"]+)"', part[: part.index("</ul>")])


def test_the_staff_page_names_each_photo_by_its_number_event_and_minute(client, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, assignee=staff_dlh)
    filed = record_event(ticket=ticket, type=EventType.SUBMITTED)
    for _ in range(2):
        Attachment.objects.create(ticket=ticket, event=filed, state=Attachment.State.READY)
    resolve_ticket(ticket=ticket, actor=staff_dlh, note="Sudah diangkut.")
    resolved = ticket.events.get(type=EventType.RESOLVED)
    for _ in range(3):
        Attachment.objects.create(
            ticket=ticket, event=resolved, purpose=Attachment.Purpose.RESOLUTION, state=Attachment.State.READY
        )
    client.force_login(staff_dlh)

    html = client.get(f"/staf/tiket/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    report = html[html.index('id="ticket-photos"') :]
    names = re.findall(r'alt="([^"]+)"', report[: report.index("</div>")])
    assert names == ["Photo 1 of 2 of the report", "Photo 2 of 2 of the report"]
    filed_at = timezone.localtime(filed.created_at).strftime("%-d %b %Y %H:%M")
    resolved_at = timezone.localtime(resolved.created_at).strftime("%-d %b %Y %H:%M")
    timeline = photo_names(html, "timeline")
    assert [name for name in timeline if "Resolved" in name] == [
        f"Photo {number} of 3: Resolved, {resolved_at} WITA" for number in (1, 2, 3)
    ]
    assert [name for name in timeline if "Resolved" not in name] == [
        f"Photo {number} of 2: Filed, {filed_at} WITA" for number in (1, 2)
    ]
    assert len(set(timeline)) == len(timeline) == 5


def test_an_inspectorate_notes_photo_is_named_by_the_notes_heading(client, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS)
    note = record_event(
        ticket=ticket,
        type=EventType.NOTE,
        public=False,
        payload={"message": "Mohon penjelasan.", "by": "inspectorate", "explanation_requested": True},
    )
    Attachment.objects.create(ticket=ticket, event=note, state=Attachment.State.READY)
    client.force_login(staff_dlh)

    html = client.get(f"/staf/tiket/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    [name] = photo_names(html, "timeline")
    assert name.startswith("Photo 1 of 1: Explanation asked by the inspectorate, ")
    assert ">Explanation asked by the inspectorate</div>" in html  # the event's heading, as before
