"""The inspector asks the queue for what was ever escalated to the inspectorate and gets the reports answered late
too: the filter form sends the status it shows ("Open"), which hid them (inspectorate helper's note)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from complaints.events import record_event
from complaints.models import EventType, Status, TicketEvent
from tests.e2e.test_staff_flow import signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

WITA = dt.timezone(dt.timedelta(hours=8))


def _escalated_to_the_inspectorate(ticket, on):
    event = record_event(
        ticket=ticket,
        type=EventType.ESCALATED,
        payload={"level": 2, "deadline": "resolution", "due_at": on.isoformat(), "to": "inspectorate"},
        public=False,
    )
    TicketEvent.objects.filter(pk=event.pk).update(created_at=on)


def test_ever_escalated_lists_the_reports_answered_late_too(live_server, browser, inspector, city):
    late = make_ticket(title="Diselesaikan terlambat", status=Status.RESOLVED, escalation_level=0)
    _escalated_to_the_inspectorate(late, dt.datetime(2026, 3, 10, 9, tzinfo=WITA))
    still = make_ticket(title="Masih di inspektorat", escalation_level=2)
    _escalated_to_the_inspectorate(still, dt.datetime(2026, 5, 4, 9, tzinfo=WITA))
    make_ticket(title="Tidak pernah")

    page = signed_in_page(browser, live_server, inspector)
    page.goto(live_server.url + reverse("staff:queue"))
    assert page.input_value("#filter-status") == "open"
    with page.expect_response(lambda response: "escalated=ever" in response.url) as answer:
        page.select_option("#filter-escalated", "ever")
    assert "status=all" in answer.value.url
    assert page.input_value("#filter-status") == "all"
    page.wait_for_selector(f"#queue-table tr[data-reference='{late.reference}']")
    shown = set(page.eval_on_selector_all("#queue-table tbody tr", "rows => rows.map(r => r.dataset.reference)"))
    assert shown == {late.reference, still.reference}

    # A status the inspector chose herself stays: back to open, then the escalation date narrows the open ones.
    with page.expect_response(lambda response: "status=open" in response.url):
        page.select_option("#filter-status", "open")
    page.wait_for_selector(f"#queue-table tr[data-reference='{late.reference}']", state="detached")
    assert page.input_value("#filter-status") == "open"
