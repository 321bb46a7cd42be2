"""Staff see in words that a ticket waits for the citizen and that its clock is paused: on the ticket page and in
the queue, without the queue costing a query more. (The actions and the sweep: tests/complaints/.)"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import actions
from complaints.models import Status, Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
ASKED = dt.datetime(2026, 8, 12, 10, 0, tzinfo=WITA)
WAITING = "Waiting for the citizen since 12 Aug 2026 10:00 WITA; the clock is paused."
QUEUE = "/staf/antrian/"


def _overdue_ticket(citizen):
    """Due on Thursday 13 August 2026: long past by now."""
    return make_ticket(
        reporter=citizen,
        status=Status.ACKNOWLEDGED,
        resolution_due_at=dt.datetime(2026, 8, 13, 23, 59, 59, tzinfo=WITA),
    )


def test_asking_from_the_ticket_page_pauses_the_clock_and_the_page_says_so(client, citizen, staff_dlh):
    ticket = _overdue_ticket(citizen)
    client.force_login(staff_dlh)
    page = reverse("staff:ticket", args=[ticket.reference])
    assert 'id="ticket-overdue"' in client.get(page).content.decode()
    with time_machine.travel(ASKED, tick=False):
        response = client.post(
            reverse("staff:ticket_action", args=[ticket.reference, "ask_info"]),
            {"ask_info-message": "Di RT berapa tepatnya?"},
        )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.waiting_for_citizen_since == ASKED
    html = client.get(page).content.decode()
    assert WAITING in html
    # It runs again by itself after 10 working days: 13, 14, 18 … 28 August (17 and 25 August are holidays).
    assert "Without an answer it runs again after 28 Aug 2026" in html
    # Not overdue while paused: its due date had not passed when the department asked.
    assert 'id="ticket-overdue"' not in html
    assert "The department&#x27;s clock is paused until the citizen answers (at most 10 working days)." in html

    # The citizen answers: the page no longer waits and says how far the due date moved.
    with time_machine.travel(dt.datetime(2026, 8, 18, 10, tzinfo=WITA), tick=False):
        actions.add_citizen_info(ticket=ticket, actor=citizen, message="RT 05.")
    html = client.get(page).content.decode()
    assert WAITING not in html
    assert "The department waited 3 working days for this answer: its due dates move 3 working days later." in html
    assert "Resolution now due: 19 Aug 2026" in html


def test_the_queue_says_which_tickets_wait_for_the_citizen(client, citizen, staff_dlh):
    waiting, other = _overdue_ticket(citizen), _overdue_ticket(citizen)
    with time_machine.travel(ASKED, tick=False):
        actions.ask_for_information(ticket=waiting, actor=staff_dlh, message="Di RT berapa?")
    client.force_login(staff_dlh)
    html = client.get(QUEUE, HTTP_HX_REQUEST="true").content.decode()
    rows = {ref: row for ref, row in _rows(html)}
    assert WAITING in rows[waiting.reference] and "overdue" not in rows[waiting.reference]
    assert WAITING not in rows[other.reference] and "overdue" in rows[other.reference]


def test_a_ticket_overdue_before_the_question_stays_overdue_while_it_waits(client, citizen, staff_dlh):
    ticket = _overdue_ticket(citizen)
    with time_machine.travel(dt.datetime(2026, 8, 17, 9, tzinfo=WITA), tick=False):
        actions.ask_for_information(ticket=ticket, actor=staff_dlh, message="Masih ada?")
    client.force_login(staff_dlh)
    (row,) = [row for ref, row in _rows(client.get(QUEUE, HTTP_HX_REQUEST="true").content.decode())]
    assert "Waiting for the citizen since 17 Aug 2026 09:00 WITA" in row and "overdue" in row


def test_waiting_tickets_cost_the_queue_no_query_more(client, citizen, staff_dlh, django_assert_max_num_queries):
    tickets = [_overdue_ticket(citizen) for _ in range(8)]
    client.force_login(staff_dlh)
    client.get(QUEUE)  # warm the session
    url = QUEUE + "?page_size=50&status=all"
    with CaptureQueriesContext(connection) as before:
        client.get(url, HTTP_HX_REQUEST="true")
    Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(waiting_for_citizen_since=ASKED)
    with CaptureQueriesContext(connection) as after:
        html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert html.count(WAITING) == 8
    assert len(after) == len(before)
    with django_assert_max_num_queries(15):
        client.get(QUEUE + "?page_size=100", HTTP_HX_REQUEST="true")


def _rows(html: str):
    import re

    for match in re.finditer(r'<tr data-reference="([^"]+)"[^>]*>(.*?)</tr>', html, re.S):
        yield match.group(1), match.group(2)
