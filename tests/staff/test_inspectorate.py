"""The inspectorate's walk of the staff pages (Inspektorat auditor):

- the queue lists the tickets that WERE escalated to the inspectorate (in a period), still open or not, from the
  escalation events: the escalation level is only the state now, and a department that answered late dropped off;
- the inspector may add an internal note to any ticket she sees ("Inspectorate note") and ask the department for an
  explanation (a note emailed to its heads and the assignee), and still changes nothing else;
- the queue offers its bulk actions only to those who work tickets;
- planners and finance opening the queue are told it is the departments' and the inspectorate's, with their pages;
- an anonymous report's staff timeline says "Anonymous reporter", not "System", for what its reporter did.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import actions
from complaints.events import record_event
from complaints.models import EventType, Notification, Privacy, Status, TicketEvent
from tests.factories import make_ticket
from tests.staff.test_queue import QUEUE, refs

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
WITA = dt.timezone(dt.timedelta(hours=8))


def _escalate(ticket, *, level: int, on: dt.datetime):
    event = record_event(
        ticket=ticket,
        type=EventType.ESCALATED,
        payload={"level": level, "deadline": "resolution", "due_at": on.isoformat(), "to": "inspectorate"},
        public=False,
    )
    TicketEvent.objects.filter(pk=event.pk).update(created_at=on)
    return event


@pytest.fixture
def audit(city):
    """Escalated to the inspectorate in March and resolved late (its level back to 0), escalated in May and still
    open at level 2, told only the head in March, never escalated."""
    march, may = dt.datetime(2026, 3, 10, 9, tzinfo=WITA), dt.datetime(2026, 5, 4, 9, tzinfo=WITA)
    late = make_ticket(title="Diselesaikan terlambat", status=Status.RESOLVED, escalation_level=0)
    _escalate(late, level=1, on=march - dt.timedelta(days=5))
    _escalate(late, level=2, on=march)
    still = make_ticket(title="Masih di inspektorat", escalation_level=2)
    _escalate(still, level=2, on=may)
    head_only = make_ticket(title="Hanya kepala", escalation_level=1)
    _escalate(head_only, level=1, on=march)
    never = make_ticket(title="Tidak pernah")
    return {"late": late, "still": still, "head_only": head_only, "never": never}


# --- 1. escalated to the inspectorate, ever ---------------------------------------------------------------------


def test_the_queue_lists_what_was_escalated_to_the_inspectorate_open_or_not(client, inspector, audit):
    client.force_login(inspector)
    # "now" is the state: the late one was answered and dropped off.
    assert refs(client.get(QUEUE, {"escalated": "2", "status": "all"})) == {audit["still"].reference}
    # "ever" reads the escalations that happened.
    ever = {audit["late"].reference, audit["still"].reference}
    assert refs(client.get(QUEUE, {"escalated": "ever", "status": "all"})) == ever
    # A link without a status lists them all, open or not, and the status list says so.
    html = client.get(QUEUE, {"escalated": "ever"}, **EN).content.decode()
    assert refs(client.get(QUEUE, {"escalated": "ever"})) == ever
    assert re.search(r'<option value="all" selected>All</option>', html)
    # Open only, when asked.
    assert refs(client.get(QUEUE, {"escalated": "ever", "status": "open"})) == {audit["still"].reference}


def test_the_escalation_dates_narrow_by_the_day_it_was_escalated_not_filed(client, head_dlh, audit):
    client.force_login(head_dlh)  # the department's head too
    march = {"escalated_from": "2026-03-01", "escalated_until": "2026-03-31", "status": "all"}
    assert refs(client.get(QUEUE, march)) == {audit["late"].reference}
    may = {"escalated_from": "2026-05-04", "escalated_until": "2026-05-04", "status": "all"}
    assert refs(client.get(QUEUE, may)) == {audit["still"].reference}
    # Each row says when.
    html = client.get(QUEUE, march, **EN).content.decode()
    row = html[html.index(f'data-reference="{audit["late"].reference}"') :]
    assert "Escalated to the inspectorate on 10 Mar 2026" in row[: row.index("</tr>")]
    # The dates the wrong way round are named, not answered with nothing.
    html = client.get(QUEUE, {"escalated_from": "2026-04-01", "escalated_until": "2026-03-01"}, **EN).content
    assert "The start date must not be after the end date." in html.decode()


def test_the_list_costs_the_same_queries_for_more_tickets(client, inspector, audit):
    client.force_login(inspector)
    url = QUEUE + "?escalated=ever"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        _escalate(make_ticket(title=f"Lagi {n}"), level=2, on=timezone.now())
    with CaptureQueriesContext(connection) as more:
        assert len(refs(client.get(url))) == 7
    assert len(more) == len(few)


@pytest.mark.postgres
def test_the_escalations_are_read_through_their_index(inspector, audit):
    from complaints import queries

    tickets = queries.queue_tickets(
        inspector, status="all", escalated_from=dt.date(2026, 3, 1), escalated_to=dt.date(2026, 3, 31)
    )
    sql, params = tickets[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_ticketevent")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "event_escalated_idx" in plan, plan


# --- 2. the inspectorate's notes and questions ------------------------------------------------------------------


def test_the_inspector_adds_a_note_the_department_reads_and_the_public_never(client, inspector, staff_dlh, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.CLOSED)  # closed: an audit remark
    client.force_login(inspector)
    page = client.get(reverse("staff:ticket", args=[ticket.reference]), **EN).content.decode()
    assert "You can view this ticket but not change it." not in page
    assert 'id="action-note"' in page and 'id="action-ask_explanation"' in page
    for name in ("resolve", "assign", "reply", "priority", "reopen"):
        assert f'id="action-{name}"' not in page

    response = client.post(
        reverse("staff:ticket_action", args=[ticket.reference, "note"]), {"note-message": "Mohon dicek ulang."}
    )
    assert response.status_code == 302
    note = TicketEvent.objects.get(ticket=ticket, type=EventType.NOTE)
    assert note.public is False and note.payload == {"message": "Mohon dicek ulang.", "by": "inspectorate"}
    assert not Notification.objects.filter(event=note).exists()

    client.force_login(staff_dlh)
    page = client.get(reverse("staff:ticket", args=[ticket.reference]), **EN).content.decode()
    assert "Inspectorate note" in page and "Mohon dicek ulang." in page
    client.force_login(citizen)
    assert (
        "Mohon dicek ulang." not in client.get(reverse("complaints:ticket", args=[ticket.reference])).content.decode()
    )


def test_the_inspector_asks_the_department_for_an_explanation_by_email(
    client, inspector, head_dlh, staff_dlh, dlh_member
):
    ticket = make_ticket(assignee=dlh_member, escalation_level=2)
    client.force_login(inspector)
    url = reverse("staff:ticket_action", args=[ticket.reference, "ask_explanation"])
    response = client.post(url, {"ask_explanation-message": "Mengapa terlambat 20 hari?"}, **EN)
    assert response.status_code == 302
    event = TicketEvent.objects.get(ticket=ticket, type=EventType.NOTE)
    assert event.public is False and event.payload["explanation_requested"] is True
    sent = Notification.objects.filter(event=event)
    # The heads and the assignee, through the staff outbox; not the department's address, not the inspector.
    assert {n.email for n in sent} == {head_dlh.email, dlh_member.email}
    assert {n.template for n in sent} == {Notification.Template.STAFF_TICKET}

    from complaints.mail import _render

    notification = sent.get(email=head_dlh.email)
    notification.language = "en"
    _subject, body = _render(notification)
    assert "The inspectorate asks the department for an explanation." in body
    assert "Question: Mengapa terlambat 20 hari?" in body

    client.force_login(staff_dlh)
    page = client.get(reverse("staff:ticket", args=[ticket.reference]), **EN).content.decode()
    assert "Explanation asked by the inspectorate" in page
    assert page.count("Mengapa terlambat 20 hari?") == 1  # the note's text, not again as a detail line
    assert 'id="action-ask_explanation"' not in page  # the department does not ask itself


def test_the_inspector_still_changes_nothing_else(inspector):
    ticket = make_ticket()
    with pytest.raises(Exception) as refused:
        actions.resolve_ticket(ticket=ticket, actor=inspector, note="Selesai.")
    assert refused.type.__name__ == "PermissionDenied"
    with pytest.raises(Exception) as refused:
        actions.assign_ticket(ticket=ticket, actor=inspector, assignee=None)
    assert refused.type.__name__ == "PermissionDenied"


def test_only_the_inspectorate_asks_for_an_explanation(client, staff_dlh, head_dlh):
    from django.core.exceptions import PermissionDenied

    ticket = make_ticket()
    for user in (staff_dlh, head_dlh):
        with pytest.raises(PermissionDenied):
            actions.ask_department_for_explanation(ticket=ticket, actor=user, message="?")
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[ticket.reference, "ask_explanation"])
    assert client.post(url, {"ask_explanation-message": "?"}).status_code == 403
    assert not TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE).exists()


def test_asking_a_department_with_nobody_to_ask_is_refused(client, inspector):
    ticket = make_ticket()  # DLH has no head here, and the ticket no assignee
    client.force_login(inspector)
    url = reverse("staff:ticket_action", args=[ticket.reference, "ask_explanation"])
    response = client.post(url, {"ask_explanation-message": "Mengapa?"}, **EN)
    assert response.status_code == 400
    assert "Nobody in the department can be asked" in response.content.decode()
    assert not TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE).exists()


# --- 3. no bulk actions for those who work no ticket ------------------------------------------------------------


def test_the_queue_offers_bulk_actions_only_to_who_works_tickets(client, inspector, staff_dlh):
    make_ticket()
    client.force_login(inspector)
    html = client.get(QUEUE, **EN).content.decode()
    assert 'id="bulk-action"' not in html and 'id="bulk-apply"' not in html
    assert 'id="bulk-export-csv"' in html  # exporting the ticked ones stays
    assert client.post(reverse("staff:bulk"), {"action": "acknowledge", "ids": ["1"]}).status_code == 403

    client.force_login(staff_dlh)
    html = client.get(QUEUE, **EN).content.decode()
    assert 'id="bulk-action"' in html and 'id="bulk-apply"' in html


# --- 4. planners and finance ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["planner", "finance"])
def test_planners_and_finance_are_told_whose_the_queue_is_and_sent_to_their_pages(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(QUEUE, **EN)
    assert response.status_code == 403
    html = response.content.decode()
    assert "The ticket queue is for the departments and the inspectorate." in html
    assert "This page is for city staff." not in html
    assert "ask the portal's administrator for the role" not in html
    pages = html[html.index('id="own-pages"') :]
    assert reverse("planning:board") in pages[: pages.index("</ul>")]


def test_a_citizen_is_still_told_the_page_is_for_city_staff(client, citizen):
    client.force_login(citizen)
    html = client.get(QUEUE, **EN).content.decode()
    assert "This page is for city staff." in html and 'id="own-pages"' not in html


# --- 5. "Anonymous reporter" ------------------------------------------------------------------------------------


def _actor_line(html: str, event_type: str) -> str:
    item = html[html.index(f'data-type="{event_type}"') :]
    return item[: item.index("</div>")]


def test_an_anonymous_reports_filing_is_the_anonymous_reporters_not_the_systems(client, staff_dlh, citizen):
    ticket = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS)
    record_event(ticket=ticket, type=EventType.SUBMITTED, payload={"channel": "web"})
    record_event(ticket=ticket, type=EventType.ROUTED, payload={})
    record_event(
        ticket=ticket, type=EventType.CITIZEN_INFO, actor=citizen, payload={"message": "Foto", "by": "reporter"}
    )
    client.force_login(staff_dlh)
    html = client.get(reverse("staff:ticket", args=[ticket.reference]), **EN).content.decode()
    assert "Anonymous reporter" in _actor_line(html, "submitted")
    assert "Anonymous reporter" in _actor_line(html, "citizen_info")
    assert citizen.email not in html and str(citizen) not in _actor_line(html, "citizen_info")
    assert "System" in _actor_line(html, "routed")


def test_a_public_report_filed_without_an_account_is_the_reporters(client, staff_dlh):
    ticket = make_ticket()
    record_event(ticket=ticket, type=EventType.SUBMITTED, payload={"channel": "web"})
    client.force_login(staff_dlh)
    html = client.get(reverse("staff:ticket", args=[ticket.reference]), **EN).content.decode()
    line = _actor_line(html, "submitted")
    assert "The reporter" in line and "System" not in line
