"""An urgent report is answered on the clock, not in working days. Found in the QA walk of a Saturday-night storm: a
tree fallen on power lines, filed Sat 12 Dec 2026 22:26 WITA and set "Urgent" by its words, was due for verification
on Monday 23:59 and first escalated on Tuesday 00:20; nobody was told out of hours, the staff email did not say it
was urgent, and the citizen's page kept promising a date already passed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints import actions, routing
from complaints.actions.dispatch import escalate_overdue, route_ticket
from complaints.mail import _render, _render_digest
from complaints.models import EventType, Notification, Status, TicketEvent
from services.calendar import add_working_days
from services.models import Department
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
FILED = dt.datetime(2026, 12, 12, 22, 26, tzinfo=WITA)  # Saturday night
STORM = "Pohon besar tumbang menimpa kabel listrik, ada percikan api"
TIMUR = "63.71.02.1001"  # Banjarmasin Timur: fallen trees go to DLH (the city centre's rule sends them to BPBD)


def route_at(moment, ticket):
    with time_machine.travel(moment, tick=False):
        return route_ticket(ticket_id=ticket.pk)


@pytest.fixture
def storm_ticket(city, citizen):
    return make_ticket(
        service="pohon-tumbang", kelurahan=TIMUR, status="submitted", reporter=citizen, title=STORM, description=STORM
    )


@pytest.fixture
def head(city):
    return make_staff("kepala.dlh@banjarmasinkota.go.id", "dlh", role="head")


# --- priority words --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Pohon besar tumbang menimpa kabel listrik, ada percikan api",
        "Air setinggi lutut, lansia perlu dievakuasi",
        "Tutup manhole hilang, berbahaya sekali",
        "Jalan tertutup pohon, mobil tidak bisa lewat",
        "Ada warga terjebak di rumah, ada korban luka",
        "Lubang terbuka di trotoar depan sekolah",
        "Kabel listrik jatuh ke jalan depan masjid",
    ],
)
def test_the_storm_nights_sentences_are_urgent(text):
    assert routing.decide_priority(default=2, text=text, open_in_cluster=1).priority == routing.PRIORITY_URGENT


@pytest.mark.parametrize(
    "text",
    [
        "Jalan berlubang, bahaya bagi pengendara motor",
        "Kabel menjuntai rendah di gang",
        "Tiang listrik miring",
        # A street light on its pole names the cable too: not a danger now (it was urgent, low-vision walk)
        "Lampu jalan mati, kabel listrik di tiangnya kendor",
    ],
)
def test_a_hazard_in_general_words_is_high_not_urgent(text):
    decision = routing.decide_priority(default=2, text=text, open_in_cluster=1)
    assert decision.priority == routing.PRIORITY_HIGH
    assert decision.reasons["high_keyword"]


def test_ordinary_reports_keep_their_services_priority():
    for text in ("Sampah menumpuk di depan pasar", "Lampu jalan mati di gang 5", "Kabelnya bagus"):
        assert routing.decide_priority(default=2, text=text, open_in_cluster=1).priority == 2


# --- due dates -------------------------------------------------------------------------------------------------------


def test_an_urgent_ticket_is_due_for_verification_24_hours_later_weekend_or_not(storm_ticket):
    routed = route_at(FILED, storm_ticket)
    assert routed.priority == routing.PRIORITY_URGENT
    assert routed.response_due_at == FILED + dt.timedelta(hours=24)  # Sunday 22:26, not Monday 23:59
    # Resolution stays in the service's working days.
    assert routed.resolution_due_at == add_working_days(FILED, routed.service.resolution_sla_days)
    event = TicketEvent.objects.get(ticket=routed, type=EventType.ROUTED)
    assert event.payload["response_due_at"] == (FILED + dt.timedelta(hours=24)).isoformat()


def test_zero_hours_keeps_working_days(storm_ticket, settings):
    settings.URGENT_RESPONSE_HOURS = 0
    routed = route_at(FILED, storm_ticket)
    assert routed.priority == routing.PRIORITY_URGENT
    assert routed.response_due_at == add_working_days(FILED, routed.service.response_sla_days)


def test_a_non_urgent_ticket_keeps_working_days(city, citizen):
    ticket = make_ticket(service="sampah-menumpuk", kelurahan=TIMUR, status="submitted", reporter=citizen)
    routed = route_at(FILED, ticket)
    assert routed.priority < routing.PRIORITY_URGENT
    assert routed.response_due_at == add_working_days(FILED, routed.service.response_sla_days)


def test_a_service_that_verifies_sooner_keeps_its_own_date():
    monday_morning = dt.datetime(2026, 12, 14, 0, 30, tzinfo=WITA)
    response, _resolution = routing.due_dates(
        start=monday_morning, response_days=0, resolution_days=3, priority=routing.PRIORITY_URGENT
    )
    assert response == dt.datetime(2026, 12, 14, 23, 59, 59, tzinfo=WITA)  # end of today: sooner than 24 hours


def test_the_sweep_escalates_the_urgent_ticket_to_the_head_on_sunday_night(storm_ticket, head):
    route_at(FILED, storm_ticket)
    with time_machine.travel(FILED + dt.timedelta(hours=23, minutes=50), tick=False):
        assert escalate_overdue() == 0
    with time_machine.travel(FILED + dt.timedelta(hours=24, minutes=15), tick=False):  # Sunday 22:41
        assert escalate_overdue() == 1
    storm_ticket.refresh_from_db()
    assert (storm_ticket.escalation_level, storm_ticket.escalated_deadline) == (1, "response")
    event = TicketEvent.objects.get(ticket=storm_ticket, type=EventType.ESCALATED)
    assert head.email in set(Notification.objects.filter(event=event).values_list("email", flat=True))


def test_the_sweep_leaves_an_urgent_ticket_alone_while_its_clock_is_paused(storm_ticket, head):
    route_at(FILED, storm_ticket)
    storm_ticket.refresh_from_db()
    storm_ticket.waiting_for_citizen_since = FILED + dt.timedelta(hours=1)
    storm_ticket.save(update_fields=["waiting_for_citizen_since"])
    with time_machine.travel(FILED + dt.timedelta(hours=25), tick=False):
        assert escalate_overdue() == 0


def test_an_urgent_ticket_forwarded_on_saturday_night_is_due_24_hours_after_the_forward(storm_ticket, city):
    from complaints.actions.dispatch import forward_ticket

    route_at(FILED - dt.timedelta(hours=2), storm_ticket)
    operator = make_staff("petugas.dlh@banjarmasinkota.go.id", "dlh")
    with time_machine.travel(FILED, tick=False):
        forward_ticket(
            ticket=storm_ticket, actor=operator, department=Department.objects.get(code="bpbd"), reason="TRC BPBD"
        )
    storm_ticket.refresh_from_db()
    assert storm_ticket.response_due_at == FILED + dt.timedelta(hours=24)


def test_raising_a_ticket_to_urgent_brings_its_verification_date_nearer(city, staff_dlh):
    routed_friday = dt.datetime(2026, 12, 11, 10, 0, tzinfo=WITA)
    ticket = make_ticket(
        service="sampah-menumpuk",
        status=Status.ROUTED,
        response_due_at=add_working_days(routed_friday, 3),  # Wednesday 16 December
        resolution_due_at=add_working_days(routed_friday, 5),
    )
    resolution_due = ticket.resolution_due_at
    with time_machine.travel(FILED, tick=False):
        actions.set_priority(ticket=ticket, actor=staff_dlh, priority=routing.PRIORITY_URGENT)
    ticket.refresh_from_db()
    assert ticket.response_due_at == FILED + dt.timedelta(hours=24)
    assert ticket.resolution_due_at == resolution_due
    event = TicketEvent.objects.get(ticket=ticket, type=EventType.PRIORITY_CHANGED)
    assert event.payload["response_due_at"] == (FILED + dt.timedelta(hours=24)).isoformat()

    # Lowered again: the nearer date stays (a priority change never pushes a date later).
    with time_machine.travel(FILED + dt.timedelta(hours=1), tick=False):
        actions.set_priority(ticket=ticket, actor=staff_dlh, priority=2)
    ticket.refresh_from_db()
    assert ticket.response_due_at == FILED + dt.timedelta(hours=24)


def test_raising_to_urgent_never_moves_a_date_later_nor_a_verified_tickets(city, staff_dlh):
    sooner = FILED + dt.timedelta(hours=3)
    routed = make_ticket(service="sampah-menumpuk", status=Status.ROUTED, response_due_at=sooner)
    verified = make_ticket(
        service="sampah-menumpuk", status=Status.ACKNOWLEDGED, response_due_at=FILED - dt.timedelta(days=1)
    )
    with time_machine.travel(FILED, tick=False):
        actions.set_priority(ticket=routed, actor=staff_dlh, priority=routing.PRIORITY_URGENT)
        actions.set_priority(ticket=verified, actor=staff_dlh, priority=routing.PRIORITY_URGENT)
    routed.refresh_from_db()
    verified.refresh_from_db()
    assert routed.response_due_at == sooner
    assert verified.response_due_at == FILED - dt.timedelta(days=1)


# --- staff emails ----------------------------------------------------------------------------------------------------


def test_an_urgent_tickets_email_says_so_and_reaches_the_head_too(storm_ticket, staff_dlh, head):
    Department.objects.filter(code="dlh").update(auto_assign=True)
    Department.objects.filter(code="dlh").update(email="")
    head.language = "en"
    head.save(update_fields=["language"])
    routed = route_at(FILED, storm_ticket)
    assert routed.assignee_id is not None
    event = TicketEvent.objects.get(ticket=routed, type=EventType.ROUTED)
    rows = list(Notification.objects.filter(event=event, template=Notification.Template.STAFF_TICKET))
    emails = [row.email for row in rows]
    assert sorted(emails) == sorted({staff_dlh.email, head.email})  # one each, the head too
    (to_head,) = [row for row in rows if row.email == head.email]
    subject, body = _render(to_head)
    assert subject.startswith("[URGENT] [")
    assert body.startswith("[URGENT] Ticket ")
    assert "Verification due: 13 December 2026, 22:26 WITA" in body


def test_a_routine_tickets_email_does_not_say_urgent_nor_reach_the_head(city, citizen, staff_dlh, head):
    Department.objects.filter(code="dlh").update(auto_assign=True)
    ticket = make_ticket(service="sampah-menumpuk", kelurahan=TIMUR, status="submitted", reporter=citizen)
    routed = route_at(FILED, ticket)
    event = TicketEvent.objects.get(ticket=routed, type=EventType.ROUTED)
    rows = list(Notification.objects.filter(event=event, template=Notification.Template.STAFF_TICKET))
    assert head.email not in {row.email for row in rows}
    subject, body = _render(rows[0])
    assert "[" not in subject.split("]", 1)[0].lstrip("[") and "URGENT" not in subject.upper()
    assert "URGENT" not in body.upper() and "MENDESAK" not in body.upper()


def test_an_escalation_digest_with_an_urgent_ticket_says_so(city):
    urgent, routine = make_ticket(), make_ticket()

    def row(ticket, urgent_flag):
        return Notification(
            ticket=ticket,
            email="kepala@example.id",
            language="en",
            template=Notification.Template.STAFF_TICKET,
            context={
                "reference": ticket.reference,
                "title": ticket.title,
                "event_type": EventType.ESCALATED,
                "payload": {},
                "urgent": urgent_flag,
            },
        )

    subject, body = _render_digest([row(routine, False), row(urgent, True)])
    assert subject.startswith("[URGENT] 2 tickets missed their deadlines")
    assert f"2. [URGENT] [{urgent.reference}]" in body and f"1. [{routine.reference}]" in body


# --- the citizen's page ----------------------------------------------------------------------------------------------


def next_steps(client, user, ticket) -> str:
    client.force_login(user)
    html = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return html[html.index('id="next-steps"') :].split("</div></div>", 1)[0]


def test_a_passed_verification_date_is_said_late_with_the_head_alerted(client, city, citizen):
    ticket = make_ticket(
        service="sampah-menumpuk",
        reporter=citizen,
        status=Status.ROUTED,
        response_due_at=dt.datetime(2026, 12, 14, 23, 59, 59, tzinfo=WITA),
        resolution_due_at=dt.datetime(2026, 12, 21, 23, 59, 59, tzinfo=WITA),
    )
    with time_machine.travel(dt.datetime(2026, 12, 15, 9, 0, tzinfo=WITA), tick=False):
        html = next_steps(client, citizen, ticket)
        assert "Verification was due by 14 December 2026: it is late." in html
        assert "The department verifies it by" not in html
        assert "Follow-up due by 21 December 2026." in html
        assert "alerted" not in html  # the sweep has not escalated it yet

        ticket.escalation_level, ticket.escalated_deadline = 1, "response"
        ticket.save(update_fields=["escalation_level", "escalated_deadline"])
        assert "The head of the department has been alerted." in next_steps(client, citizen, ticket)

    with time_machine.travel(dt.datetime(2026, 12, 14, 9, 0, tzinfo=WITA), tick=False):
        assert "The department verifies it by 14 December 2026." in next_steps(client, citizen, ticket)


def test_a_passed_follow_up_date_is_said_late(client, city, citizen):
    ticket = make_ticket(
        service="sampah-menumpuk",
        reporter=citizen,
        status=Status.IN_PROGRESS,
        resolution_due_at=dt.datetime(2026, 12, 14, 23, 59, 59, tzinfo=WITA),
        escalation_level=2,
        escalated_deadline="resolution",
    )
    with time_machine.travel(dt.datetime(2026, 12, 20, 9, 0, tzinfo=WITA), tick=False):
        html = next_steps(client, citizen, ticket)
    assert "Follow-up was due by 14 December 2026: it is late." in html
    assert "The head of the department and the city inspectorate have been alerted." in html


def test_a_date_passed_while_the_department_waits_for_the_citizen_is_on_hold_not_late(client, city, citizen):
    ticket = make_ticket(
        service="sampah-menumpuk",
        reporter=citizen,
        status=Status.ROUTED,
        response_due_at=dt.datetime(2026, 12, 14, 23, 59, 59, tzinfo=WITA),
        waiting_for_citizen_since=dt.datetime(2026, 12, 14, 9, 0, tzinfo=WITA),
    )
    with time_machine.travel(dt.datetime(2026, 12, 15, 9, 0, tzinfo=WITA), tick=False):
        html = next_steps(client, citizen, ticket)
    assert "it is late" not in html
    assert "The deadlines are on hold while the department waits for an answer to its question." in html


def test_the_citizen_is_told_the_report_is_urgent_and_what_that_means(client, storm_ticket, citizen):
    route_at(FILED, storm_ticket)
    with time_machine.travel(FILED + dt.timedelta(minutes=5), tick=False):
        html = next_steps(client, citizen, storm_ticket)
    assert (
        "Treated as urgent: the department is to give a first answer within 24 hours, nights, weekends and holidays "
        "included." in html
    )
    assert "The department verifies it by 13 December 2026, 22:26 WITA." in html
