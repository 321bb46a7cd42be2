"""A reopened ticket stands out in the queue: its row says "Reopened" next to its status, read in the rows' own
query (the count of queries does not grow with the rows)."""

from __future__ import annotations

import re

from django.urls import reverse

from complaints.models import EventType, Status, TicketEvent
from tests.factories import make_ticket
from tests.staff.test_queue import _count_queries

QUEUE = reverse("staff:queue") + "?status=all&page_size=50"


def row_of(html: str, reference: str) -> str:
    return re.search(rf'<tr data-reference="{reference}".*?</tr>', html, re.S).group(0)


def reopen(ticket):
    TicketEvent.objects.create(ticket=ticket, type=EventType.REOPENED, payload={"reason": "Belum beres"})


def test_reopened_open_tickets_are_marked(client, staff_dlh, city):
    reopened, plain, resolved_again = make_ticket(), make_ticket(), make_ticket(status=Status.RESOLVED)
    reopen(reopened)
    reopen(resolved_again)
    client.force_login(staff_dlh)
    html = client.get(QUEUE).content.decode()
    assert 'class="badge reopened' in row_of(html, reopened.reference)
    assert "Reopened" in row_of(html, reopened.reference)
    assert "reopened" not in row_of(html, plain.reference)
    # Solved again: the mark would only confuse.
    assert "reopened" not in row_of(html, resolved_again.reference)


def test_the_mark_costs_no_query_per_row(client, staff_dlh, city):
    client.force_login(staff_dlh)
    tickets = [make_ticket() for _ in range(3)]
    client.get(QUEUE)
    few = _count_queries(client, QUEUE)
    for ticket in tickets:
        reopen(ticket)
    for _ in range(10):
        reopen(make_ticket())
    assert _count_queries(client, QUEUE) == few
