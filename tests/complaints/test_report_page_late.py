"""A report's page said a missed date as a promise: "Follow-up due 16 Dec 2026" on the 20th, while "My reports" said
"overdue" (found in the Ketua RT walk). Its dates now say so when passed, as the "What happens next" card does (and
whom the escalation told), for its reporter, a follower with or without an account, and any visitor; a date passed
while the department waits for the citizen's answer is on hold, not late."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Status, Subscription
from complaints.views import SUPPORTS_SESSION_KEY
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
LATER = dt.datetime(2026, 12, 20, 9, 0, tzinfo=WITA)


def late_ticket(reporter, **fields):
    fields.setdefault("status", Status.ROUTED)
    fields.setdefault("response_due_at", dt.datetime(2026, 12, 14, 23, 59, 59, tzinfo=WITA))
    fields.setdefault("resolution_due_at", dt.datetime(2026, 12, 16, 23, 59, 59, tzinfo=WITA))
    return make_ticket(reporter=reporter, **fields)


def get(client, ticket) -> str:
    with time_machine.travel(LATER, tick=False):
        response = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en")
    return response.content.decode()


def row(html: str, row_id: str) -> str:
    start = html.index(f'id="{row_id}"')
    return html[start : html.index("</dd>", start)]


def test_the_reporter_and_a_follower_read_both_passed_dates_as_overdue_with_the_head_alerted(
    client, citizen, other_citizen
):
    ticket = late_ticket(citizen, escalation_level=1, escalated_deadline="response")
    Subscription.objects.create(ticket=ticket, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    for user in (citizen, other_citizen):
        client.force_login(user)
        html = get(client, ticket)
        assert "14 Dec 2026" in row(html, "response-due") and "overdue" in row(html, "response-due")
        assert "16 Dec 2026" in row(html, "resolution-due") and "overdue" in row(html, "resolution-due")
        # Said once: the card says whom the escalation told.
        assert html.count("The head of the department has been alerted.") == 1
        assert 'id="next-alerted"' in html and 'id="deadline-alerted"' not in html


def test_a_follower_without_an_account_gets_the_card_with_the_late_dates(client, citizen):
    ticket = late_ticket(citizen, status=Status.IN_PROGRESS, escalation_level=2, escalated_deadline="resolution")
    Subscription.objects.create(
        ticket=ticket, email="tetangga@example.id", email_confirmed=True, reason=Subscription.Reason.SUPPORTER
    )
    session = client.session
    session[SUPPORTS_SESSION_KEY] = {str(ticket.pk): {"email": "tetangga@example.id", "confirmed": True}}
    session.save()
    html = get(client, ticket)
    assert 'id="support-followed"' in html
    card = html[html.index('id="next-steps"') :].split("</div></div>", 1)[0]
    assert "Follow-up was due by 16 December 2026: it is late." in card
    assert "The head of the department and the city inspectorate have been alerted." in card
    assert "overdue" in row(html, "resolution-due")


def test_a_visitor_reads_the_late_dates_and_whom_the_escalation_told(client, citizen):
    ticket = late_ticket(citizen, status=Status.ACKNOWLEDGED, escalation_level=2, escalated_deadline="resolution")
    html = get(client, ticket)
    assert 'id="next-steps"' not in html
    assert "overdue" in row(html, "resolution-due")
    assert "The head of the department and the city inspectorate have been alerted." in row(html, "deadline-alerted")


def test_dates_ahead_or_on_hold_are_not_overdue(client, citizen):
    ahead = late_ticket(
        citizen,
        response_due_at=dt.datetime(2026, 12, 21, 23, 59, 59, tzinfo=WITA),
        resolution_due_at=dt.datetime(2026, 12, 28, 23, 59, 59, tzinfo=WITA),
    )
    client.force_login(citizen)
    html = get(client, ahead)
    assert "overdue" not in row(html, "response-due") and "overdue" not in row(html, "resolution-due")

    waiting = late_ticket(
        citizen, escalation_level=1, waiting_for_citizen_since=dt.datetime(2026, 12, 14, 9, 0, tzinfo=WITA)
    )
    html = get(client, waiting)
    assert "overdue" not in row(html, "resolution-due") and 'id="clock-paused"' in html
    assert "alerted" not in html


def test_the_late_word_is_indonesian_by_default(client, citizen):
    ticket = late_ticket(citizen)
    with time_machine.travel(LATER, tick=False):
        html = client.get(reverse("complaints:ticket", args=[ticket.reference])).content.decode()
    assert 'class="text-danger fw-semibold overdue"' in row(html, "resolution-due")
