"""A ticket's history as evidence (complaints/evidence.py): the print view at /staf/tiket/<reference>/bukti/ and its
XLSX and CSV downloads, for an inspector preparing an audit finding. Whoever opens the staff ticket page may take
it, and nobody else gets more than that page gives them."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints.events import record_event
from complaints.models import Attachment, EventType, Privacy, TicketEvent
from tests.complaints.conftest import jpeg_bytes
from tests.factories import make_ticket
from tests.staff.matrix import ALLOWED, PAGE_CASES, ROLE_FIXTURES

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def evidence_url(ticket, fmt: str | None = None) -> str:
    url = reverse("staff:ticket_evidence", args=[ticket.reference])
    return f"{url}?format={fmt}" if fmt else url


@pytest.fixture
def worked_ticket(citizen, staff_dlh, inspector):
    """An anonymous report of DLH with a life behind it: filed, escalated by the system, replied to, noted internally
    and by the inspectorate, forwarded, with a photo."""
    ticket = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS, title='=HYPERLINK("http://x")')
    record_event(ticket=ticket, type=EventType.SUBMITTED, actor=citizen)
    record_event(
        ticket=ticket,
        type=EventType.ESCALATED,
        payload={"level": 1, "to": "head", "deadline": "response", "due_at": timezone.now().isoformat()},
        public=False,
    )
    record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Kami cek ke lokasi."})
    record_event(ticket=ticket, type=EventType.NOTE, actor=staff_dlh, payload={"message": "Truk rusak."}, public=False)
    record_event(
        ticket=ticket,
        type=EventType.NOTE,
        actor=inspector,
        payload={"message": "Mohon dipantau.", "by": "inspectorate"},
        public=False,
    )
    record_event(
        ticket=ticket,
        type=EventType.FORWARDED,
        actor=staff_dlh,
        payload={"from": "DLH", "to": "PUPR", "reason": "Saluran, bukan sampah."},
    )
    photo = jpeg_bytes(gps=None)
    Attachment.objects.create(
        ticket=ticket, state=Attachment.State.READY, image=ContentFile(photo, name="bukti-sampah.jpg")
    )
    ticket.photo_sha256 = hashlib.sha256(photo).hexdigest()
    ticket.photo_size = len(photo)
    return ticket


def test_the_staff_ticket_page_links_its_evidence(client, staff_dlh, worked_ticket):
    client.force_login(staff_dlh)
    html = client.get(reverse("staff:ticket", args=[worked_ticket.reference]), **EN).content.decode()
    assert f'href="{evidence_url(worked_ticket)}"' in html
    assert "Print as evidence" in html


def test_the_print_view_holds_the_whole_history(client, citizen, staff_dlh, inspector, worked_ticket):
    client.force_login(inspector)
    response = client.get(evidence_url(worked_ticket), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        worked_ticket.reference,
        "DLH",  # the department
        "Mawar",  # the kelurahan
        worked_ticket.service.name_en,  # the service
        "Anonymous reporter",
        "System",
        "Level 1: the department head was told.",
        "Kami cek ke lokasi.",
        "Truk rusak.",  # an internal note
        "Inspectorate note",
        "Mohon dipantau.",
        "Reason: Saluran, bukan sampah.",
        "DLH → PUPR",
        "bukti-sampah",
        worked_ticket.photo_sha256,
        str(worked_ticket.photo_size),
        f"Printed by {inspector}",
        "WITA from Lapor Banjarmasin (",
    ):
        assert text in html, text
    assert str(staff_dlh) in html and str(inspector) in html  # named staff
    # The anonymous reporter stays so on paper.
    assert citizen.email not in html and citizen.full_name not in html
    # Paper: the reference on every page, A4, no navigation bar (print.css).
    assert f'@top-right {{ content: "{worked_ticket.reference}"' in html
    assert "css/ticket-evidence.css" in html and "css/print.css" in html


def test_the_page_is_in_the_users_language(client, staff_dlh, worked_ticket):
    client.force_login(staff_dlh)
    html = client.get(evidence_url(worked_ticket)).content.decode()
    assert '<html lang="id">' in html and "Linimasa" in html and "Diteruskan" in html
    english = client.get(evidence_url(worked_ticket), **EN).content.decode()
    assert '<html lang="en">' in english and "Timeline" in english and "Forwarded" in english


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_facts_timeline_photos_and_who_downloaded_it(client, citizen, inspector, worked_ticket):
    client.force_login(inspector)
    response = client.get(evidence_url(worked_ticket, "csv"), **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    taken = timezone.localtime()
    disposition = response["Content-Disposition"]
    assert f"bukti-{worked_ticket.reference}-" in disposition and disposition.endswith('-WITA.csv"')
    assert f"{taken:%Y-%m-%d}" in disposition
    rows = _csv_rows(response)
    assert {row["Reference"] for row in rows} == {worked_ticket.reference}
    facts = {row["What"]: row for row in rows if row["Section"] == "Ticket"}
    assert facts["Department"]["Text"] == "DLH"
    assert facts["Kelurahan"]["Text"] == "Mawar"
    assert facts["Title"]["Text"].startswith("'=HYPERLINK")  # a formula written as text
    assert facts["Resolution due (WITA)"]["Time (WITA)"] == (
        f"{timezone.localtime(worked_ticket.resolution_due_at):%Y-%m-%d %H:%M}"
    )
    timeline = [row for row in rows if row["Section"] == "Timeline"]
    assert [row["What"] for row in timeline] == [
        "Filed",
        "Escalated",
        "Reply from the department",
        "Internal note",
        "Inspectorate note",
        "Forwarded",
    ]
    assert [row["By"] for row in timeline[:2]] == ["Anonymous reporter", "System"]
    assert "Level 1: the department head was told." in timeline[1]["Details"]
    assert timeline[3]["Internal"] == "Yes" and timeline[2]["Internal"] == "No"
    assert "Reason: Saluran, bukan sampah." in timeline[5]["Details"]
    (photo,) = [row for row in rows if row["Section"] == "Photo"]
    assert photo["SHA-256"] == worked_ticket.photo_sha256 and photo["Size (bytes)"] == str(worked_ticket.photo_size)
    (download,) = [row for row in rows if row["Section"] == "Download"]
    assert download["By"] == str(inspector) and "Lapor Banjarmasin" in download["Text"]
    body = response.content.decode("utf-8-sig")
    assert citizen.email not in body and citizen.full_name not in body


def test_the_xlsx_holds_the_same_with_times_as_cells_and_no_formulas(client, inspector, worked_ticket):
    client.force_login(inspector)
    response = client.get(evidence_url(worked_ticket, "xlsx"), **EN)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-WITA.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Reference", "Section", "Time (WITA)")
    by_what = {row[4]: row for row in rows[1:]}
    title_cell = next(cell for cell in sheet["F"] if cell.value and str(cell.value).startswith("=HYPERLINK"))
    assert title_cell.data_type == "s"  # text, not a formula
    filed = by_what["Filed at (WITA)"][2]
    assert isinstance(filed, dt.datetime)
    assert filed == timezone.localtime(worked_ticket.created_at).replace(tzinfo=None, microsecond=0)
    assert by_what["Inspectorate note"][5] == "Mohon dipantau."
    photo = next(row for row in rows if row[1] == "Photo")
    assert photo[8] == worked_ticket.photo_size and photo[9] == worked_ticket.photo_sha256


def test_an_unknown_format_is_not_found(client, staff_dlh, worked_ticket):
    client.force_login(staff_dlh)
    assert client.get(evidence_url(worked_ticket, "pdf")).status_code == 404


TICKET_PAGE_CASES = [case for case in PAGE_CASES if case.operation == "ticket_page"]


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_whoever_may_open_the_staff_page_may_take_its_evidence_and_nobody_else(request, client, citizen, role):
    """The IDOR walk: each role (the reporter, another department's staff, the administrator …) asks for the print
    view and both files of a ticket of each privacy by its reference, and gets exactly what the staff ticket page
    gives them (tests/staff/matrix.py): the page and the files, 403 or 404 (confidential ones outside their scope
    included), never a byte of the ticket it may not read."""
    user = request.getfixturevalue(ROLE_FIXTURES[role])
    client.force_login(user)
    for case in [case for case in TICKET_PAGE_CASES if case.role == role]:
        ticket = make_ticket(reporter=citizen, privacy=case.privacy, title=f"Rahasia {case.privacy} untuk {role}")
        record_event(ticket=ticket, type=EventType.NOTE, actor=None, payload={"message": "Catatan audit"}, public=False)
        expected = 200 if case.expected == ALLOWED else case.expected
        page = client.get(reverse("staff:ticket", args=[ticket.reference]))
        assert page.status_code == expected, case.id
        for fmt in (None, "csv", "xlsx"):
            response = client.get(evidence_url(ticket, fmt))
            assert response.status_code == expected, (case.id, fmt)
            if expected != 200:
                assert ticket.title.encode() not in response.content, (case.id, fmt)
                assert b"Catatan audit" not in response.content, (case.id, fmt)


def test_someone_not_logged_in_is_sent_to_log_in(client, worked_ticket):
    for fmt in (None, "csv", "xlsx"):
        response = client.get(evidence_url(worked_ticket, fmt))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_ticket_with_fifty_events_takes_a_fixed_number_of_queries(
    client, staff_dlh, worked_ticket, django_assert_max_num_queries
):
    for i in range(50):
        event = record_event(ticket=worked_ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": f"B{i}"})
        Attachment.objects.create(ticket=worked_ticket, event=event, state=Attachment.State.READY)
    assert TicketEvent.objects.filter(ticket=worked_ticket).count() > 50
    client.force_login(staff_dlh)
    for fmt in (None, "csv", "xlsx"):
        with django_assert_max_num_queries(12):
            response = client.get(evidence_url(worked_ticket, fmt))
        assert response.status_code == 200
        assert b"B49" in response.content or fmt == "xlsx"
