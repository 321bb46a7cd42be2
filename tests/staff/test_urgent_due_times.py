"""An urgent ticket's verification is due at an hour on the clock (URGENT_RESPONSE_HOURS, nights and weekends
included), and the staff pages say so: its weekday, date and time in WITA ("Minggu, 13 Des 2026 22:26 WITA"). The
queue's due column said "verify by 13 Des 2026", which on a Sunday morning read as "tonight, or tomorrow?" (found in
the Saturday-night storm walk). Every other date stays as it was."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints import routing
from complaints.models import Status, Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
QUEUE = "/staf/antrian/"
SUNDAY_MORNING = dt.datetime(2026, 12, 13, 8, 0, tzinfo=WITA)
DUE = dt.datetime(2026, 12, 13, 22, 26, tzinfo=WITA)  # routed urgent on Saturday night, 24 hours later


def ticket_with(priority: int, **fields) -> Ticket:
    ticket = make_ticket(
        status=Status.ROUTED,
        response_due_at=DUE,
        resolution_due_at=dt.datetime(2026, 12, 17, 23, 59, 59, tzinfo=WITA),
        **fields,
    )
    Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
    return ticket


def row_of(html: str, reference: str) -> str:
    row = html[html.index(f'<tr data-reference="{reference}"') :]
    return row[: row.index("</tr>")]


def cell(html: str, cell_id: str) -> str:
    text = re.search(rf'<dd [^>]*id="{cell_id}"[^>]*>(.*?)</dd>', html, flags=re.S).group(1)
    return " ".join(text.split())


def get(client, url, language):
    with time_machine.travel(SUNDAY_MORNING, tick=False):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "Sunday, 13 Dec 2026 22:26 WITA"), ("id", "Minggu, 13 Des 2026 22:26 WITA")]
)
def test_an_urgent_verification_time_shows_its_weekday_and_time(client, staff_dlh, language, shown):
    urgent = ticket_with(routing.PRIORITY_URGENT)
    client.force_login(staff_dlh)
    due = row_of(get(client, QUEUE, language), urgent.reference).split('class="queue-due"', 1)[1]
    assert shown in due
    assert "22:26" not in due.split(shown, 1)[1]  # the resolution date under it stays a date
    page = get(client, reverse("staff:ticket", args=[urgent.reference]), language)
    assert cell(page, "response-due") == shown
    assert cell(page, "resolution-due") == ("17 Dec 2026 23:59 WITA" if language == "en" else "17 Des 2026 23:59 WITA")


def test_a_routine_tickets_dates_stay_as_they_were(client, staff_dlh):
    routine = ticket_with(routing.PRIORITY_HIGH)
    client.force_login(staff_dlh)
    row = row_of(get(client, QUEUE, "en"), routine.reference)
    assert "verify by 13 Dec 2026<" in row and "Sunday" not in row
    assert cell(get(client, reverse("staff:ticket", args=[routine.reference]), "en"), "response-due") == (
        "13 Dec 2026 22:26 WITA"
    )


def test_without_urgent_hours_an_urgent_ticket_shows_working_day_dates(client, staff_dlh, settings):
    settings.URGENT_RESPONSE_HOURS = 0
    urgent = ticket_with(routing.PRIORITY_URGENT)
    client.force_login(staff_dlh)
    assert "Sunday" not in row_of(get(client, QUEUE, "en"), urgent.reference)
