"""The queue's urgent and high priority badges read at WCAG AA in the browser, on an ordinary row and on an overdue
row's red, and the urgent ticket is the first row on Monday morning although older ones are overdue (found in the
Saturday-night storm's QA walk: the weekend's fallen trees were rows 18-22, "Mendesak" plain text). Debian's chromium
via Playwright."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Status, Ticket
from tests.e2e.test_contrast import AA, _contrast, _page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_urgent_ticket_leads_and_its_badge_reads_at_aa(browser, live_server, staff_dlh, city):
    now = timezone.now()
    overdue = make_ticket(
        status=Status.ACKNOWLEDGED,
        response_due_at=now - dt.timedelta(days=40),
        resolution_due_at=now - dt.timedelta(days=30),
    )
    tree = make_ticket(title="Pohon tumbang", resolution_due_at=now + dt.timedelta(days=5))
    high_overdue = make_ticket(response_due_at=now - dt.timedelta(hours=3))
    Ticket.objects.filter(pk=tree.pk).update(priority=4)
    Ticket.objects.filter(pk=high_overdue.pk).update(priority=3)

    page = _page(browser, live_server, user=staff_dlh)
    page.goto(live_server.url + reverse("staff:queue"))
    rows = page.locator("#queue-table tbody tr")
    assert rows.first.get_attribute("data-reference") == tree.reference
    assert overdue.reference in [rows.nth(i).get_attribute("data-reference") for i in range(rows.count())]
    assert page.locator(f'tr[data-reference="{tree.reference}"] .priority-urgent').inner_text() == "Urgent"
    assert _contrast(page, ".priority-urgent") >= AA
    high = f'tr[data-reference="{high_overdue.reference}"]'
    assert "table-danger" in page.locator(high).get_attribute("class")
    assert _contrast(page, f"{high} .priority-high") >= AA
    assert _contrast(page, f"{high} .overdue") >= AA
