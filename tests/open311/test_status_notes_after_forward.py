"""A request's status_notes after it moved to another department: the report page's latest word (the forward, the
move in a reorganisation), not the old department's reply from before. A bridge that showed status_notes told its
citizen "the truck comes tomorrow" from a department that had since forwarded the report."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from complaints.actions import forward_ticket, reply_publicly
from complaints.actions.transfer import transfer_tickets
from complaints.models import Status
from services.models import Department
from tests.factories import make_ticket

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db
OLD_REPLY = "Truk dijadwalkan besok pagi."
FORWARD_REASON = "Saluran drainase, bukan wewenang DLH."
FORWARDED_EN = f"Forwarded from DLH to Dinas PUPR. Reason: {FORWARD_REASON}"
REORGANISATION = "Perwali No. 12 Tahun 2025 tentang SOTK Perangkat Daerah"


def one(client, ticket, fmt="json", language="en", **params):
    response = client.get(f"{BASE}/requests/{ticket.reference}.{fmt}", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()[0] if fmt == "json" else ET.fromstring(response.content).find("request")


@pytest.fixture
def replied(client, city, staff_dlh):
    """A public report DLH answered publicly before it found the report was not its own."""
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh")
    reply_publicly(ticket=ticket, actor=staff_dlh, message=OLD_REPLY)
    assert one(client, ticket)["status_notes"] == OLD_REPLY
    return ticket


def test_after_a_forward_status_notes_say_where_it_went_and_why(client, replied, staff_dlh):
    forward_ticket(
        ticket=replied, actor=staff_dlh, department=Department.objects.get(code="pupr"), reason=FORWARD_REASON
    )
    record = one(client, replied, extensions="true")
    assert record["status_notes"] == FORWARDED_EN
    assert record["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    # The same words in the public timeline's notes, and in XML.
    assert record["notes"][-1]["type"] == "forwarded" and record["notes"][-1]["description"] == FORWARDED_EN
    assert one(client, replied, "xml").findtext("status_notes") == FORWARDED_EN
    # In Indonesian (the default) too, the reason and the departments, not the old reply.
    indonesian = one(client, replied, language="id")["status_notes"]
    assert OLD_REPLY not in indonesian and FORWARD_REASON in indonesian and "Dinas PUPR" in indonesian


def test_the_new_departments_reply_is_the_latest_word_again(client, replied, staff_dlh, staff_pupr):
    forward_ticket(
        ticket=replied, actor=staff_dlh, department=Department.objects.get(code="pupr"), reason=FORWARD_REASON
    )
    reply_publicly(ticket=replied, actor=staff_pupr, message="Tim PUPR ke lokasi Senin.")
    assert one(client, replied)["status_notes"] == "Tim PUPR ke lokasi Senin."


def test_after_a_move_in_a_reorganisation_status_notes_say_who_handles_it_now(client, replied, administrator):
    disperkim = Department.objects.create(
        code="disperkim",
        name="Dinas Perumahan dan Kawasan Permukiman",
        short_name="Disperkim",
        email="disperkim@banjarmasinkota.go.id",
    )
    transfer_tickets(source=replied.department, target=disperkim, reason=REORGANISATION, actor=administrator)
    record = one(client, replied, extensions="true")
    expected = (
        "Now handled by Dinas Perumahan dan Kawasan Permukiman (Disperkim) after the reorganisation of city "
        f"departments. Its handling and due dates carry on as before. Reason: {REORGANISATION}"
    )
    assert record["status_notes"] == expected
    assert record["notes"][-1]["description"] == expected
    assert OLD_REPLY not in one(client, replied, language="id")["status_notes"]
