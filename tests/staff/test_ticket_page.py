"""The staff ticket page and the queue row agree on what is overdue, and the timeline says what changed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import actions, queries
from complaints.models import Status, Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
QUEUE = "/staf/antrian/"
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def queue_row(html: str, ticket: Ticket) -> str:
    row = html[html.index(f'<tr data-reference="{ticket.reference}"') :]
    return row[: row.index("</tr>")]


def ticket_page(client, ticket: Ticket) -> str:
    return client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()


def due_date_cell(html: str, cell_id: str) -> str:
    return re.search(rf'<dd [^>]*id="{cell_id}"[^>]*>.*?</dd>', html, flags=re.S).group(0)


# --- overdue ------------------------------------------------------------------------------------------


def test_a_ticket_nobody_verified_by_its_response_due_date_is_overdue_in_its_row_and_on_its_page(client, staff_dlh):
    """The queue's 'Overdue only' filter listed it, but its row was not red and its page had no 'Overdue' badge:
    both looked at the resolution due date only."""
    now = timezone.now()
    unverified = make_ticket(response_due_at=now - HOUR, resolution_due_at=now + 5 * 24 * HOUR)
    client.force_login(staff_dlh)
    assert unverified.reference in client.get(QUEUE, {"overdue": "on"}).content.decode()
    row = queue_row(client.get(QUEUE).content.decode(), unverified)
    assert 'class="table-danger"' in row and "verification overdue" in row
    html = ticket_page(client, unverified)
    assert 'id="ticket-overdue"' in html
    # The page says which date was missed: the response due date, not the resolution due date.
    assert "overdue" in due_date_cell(html, "response-due") and "overdue" not in due_date_cell(html, "resolution-due")


def test_a_verified_ticket_past_its_response_due_date_is_on_time_until_its_resolution_due_date(client, staff_dlh):
    now = timezone.now()
    verified = make_ticket(
        status=Status.ACKNOWLEDGED, response_due_at=now - HOUR, resolution_due_at=now + 5 * 24 * HOUR
    )
    client.force_login(staff_dlh)
    assert verified.reference not in client.get(QUEUE, {"overdue": "on"}).content.decode()
    row = queue_row(client.get(QUEUE).content.decode(), verified)
    assert "table-danger" not in row and "overdue" not in row
    html = ticket_page(client, verified)
    assert 'id="ticket-overdue"' not in html and "overdue" not in due_date_cell(html, "response-due")


def test_a_ticket_past_its_resolution_due_date_is_overdue_there(client, staff_dlh):
    late = make_ticket(status=Status.IN_PROGRESS, resolution_due_at=timezone.now() - HOUR)
    client.force_login(staff_dlh)
    assert 'class="table-danger"' in queue_row(client.get(QUEUE).content.decode(), late)
    html = ticket_page(client, late)
    assert 'id="ticket-overdue"' in html and "overdue" in due_date_cell(html, "resolution-due")


def test_the_queue_filter_and_the_rows_rule_agree_on_every_ticket(city):
    """``overdue_filter`` (the queue's SQL) and ``missed_deadlines`` (its rows, the ticket page and the exports) are
    one rule, a paused clock included: waiting for the citizen since before or after a due date passed."""
    now = timezone.now()
    tickets = []
    for status in (Status.SUBMITTED, Status.ROUTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED):
        for response in (None, now - HOUR, now + HOUR):
            for resolution in (None, now - HOUR, now + HOUR):
                for waiting_since in (None, now - 2 * HOUR, now - HOUR / 2):
                    tickets.append(
                        make_ticket(
                            status=status,
                            department="dlh",
                            response_due_at=response,
                            resolution_due_at=resolution,
                            waiting_for_citizen_since=waiting_since,
                        )
                    )
    listed = set(Ticket.objects.filter(queries.overdue_filter(now)).values_list("pk", flat=True))
    assert listed  # the rule is not vacuous
    assert {t.pk for t in tickets if queries.missed_deadlines(t, now)} == listed
    # A date that passed during the wait is not overdue; one missed before the question still is.
    paused_early = [t.pk for t in tickets if t.waiting_for_citizen_since == now - 2 * HOUR and t.is_open]
    paused_late = [t.pk for t in tickets if t.waiting_for_citizen_since == now - HOUR / 2 and t.is_open]
    assert not listed & set(paused_early)
    assert listed & set(paused_late)


# --- timeline details -----------------------------------------------------------------------------------


def timeline_entry(html: str, event_type: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", entry))
        for entry in re.findall(rf'<li [^>]*data-type="{event_type}".*?</li>', html, flags=re.S)
    ]


def test_the_timeline_says_from_which_priority_to_which(client, staff_dlh, dlh_ticket):
    """'Priority changed' showed nothing, though its event holds {'from': 2, 'to': 4}."""
    actions.set_priority(ticket=dlh_ticket, actor=staff_dlh, priority=4)
    client.force_login(staff_dlh)
    (entry,) = timeline_entry(ticket_page(client, dlh_ticket), "priority_changed")
    assert "Normal → Urgent" in entry


def test_the_timeline_says_which_level_an_escalation_reached_and_who_was_told(client, staff_dlh, head_dlh):
    """'Escalated' showed neither the level nor whom it went to."""
    from complaints.actions.dispatch import escalate_overdue

    missed = timezone.now() - 2 * HOUR
    ticket = make_ticket(status=Status.IN_PROGRESS, resolution_due_at=missed)
    assert escalate_overdue() == 1
    assert escalate_overdue(now=timezone.now() + dt.timedelta(days=14)) == 1
    client.force_login(staff_dlh)
    first, second = timeline_entry(ticket_page(client, ticket), "escalated")
    local = timezone.localtime(missed)
    due = f"{local.day} {local.strftime('%b %Y %H:%M')}"
    assert "Level 1: the department head was told." in first and f"Missed resolution deadline: {due} WITA" in first
    assert "Level 2: the inspectorate was told." in second


def test_the_timeline_says_in_words_why_the_system_closed_a_ticket(client, staff_dlh):
    """It said 'Reason: window', the payload's code."""
    from complaints.actions.dispatch import close_expired_resolutions

    ticket = make_ticket(
        status=Status.RESOLVED, resolved_at=timezone.now() - 20 * DAY, close_window_ends_at=timezone.now() - DAY
    )
    assert close_expired_resolutions() == 1
    client.force_login(staff_dlh)
    (entry,) = timeline_entry(ticket_page(client, ticket), "closed")
    assert "the citizen did not answer within the closing window" in entry and "Reason: window" not in entry


def test_an_action_from_an_old_page_is_refused_and_keeps_what_the_officer_typed(client, staff_dlh, dlh_ticket):
    """Another officer resolved the ticket after this page was opened: the reply is refused, its text stays."""
    actions.resolve_ticket(ticket=dlh_ticket, actor=staff_dlh, note="Sudah diangkut.")
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[dlh_ticket.reference, "reply"])
    response = client.post(url, {"reply-message": "Petugas kami datang besok pagi, mohon sampah dikumpulkan."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be changed" in html
    assert "Petugas kami datang besok pagi, mohon sampah dikumpulkan." in html
    assert 'id="form-reply" data-refused' in html


def test_an_action_on_a_ticket_forwarded_away_meanwhile_says_so_on_the_queue(client, staff_dlh, dlh_ticket):
    from services.models import Department

    actions.forward_ticket(
        ticket=dlh_ticket, actor=staff_dlh, department=Department.objects.get(code="pupr"), reason="Drainase."
    )
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[dlh_ticket.reference, "reply"])
    response = client.post(url, {"reply-message": "Kami cek besok."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:queue")
    html = response.content.decode()
    assert f"{dlh_ticket.reference} was forwarded to another department" in html and "Kami cek besok." in html
    # Tickets this department never had, and made-up references, are still a plain 404.
    other = make_ticket(department="pupr")
    assert client.post(reverse("staff:ticket_action", args=[other.reference, "reply"]), {}).status_code == 404
    assert client.post(reverse("staff:ticket_action", args=["BJM-2026-999999", "reply"]), {}).status_code == 404


def test_the_timeline_names_the_reporter_of_an_anonymous_report_as_the_reporter(client, staff_dlh, citizen):
    """The reporter's answer on an anonymous report showed as done by "System"; it is the reporter's, without a
    name."""
    from complaints.models import EventType, Privacy

    ticket = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS, department="dlh")
    actions.ask_for_information(ticket=ticket, actor=staff_dlh, message="Di sisi jalan yang mana?")
    actions.add_citizen_info(ticket=ticket, actor=citizen, message="Sisi timur, dekat warung.")
    client.force_login(staff_dlh)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()
    item = re.search(rf'<li[^>]*data-type="{EventType.CITIZEN_INFO}".*?</li>', page, flags=re.S).group(0)
    assert "· Anonymous reporter" in item and "System" not in item
    assert citizen.full_name not in page and citizen.email not in page
