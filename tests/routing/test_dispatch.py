"""route_ticket, forward_ticket, escalation and closing, called directly (in-process)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.actions.dispatch import (
    close_expired_resolutions,
    escalate_overdue,
    forward_ticket,
    route_pending,
    route_ticket,
)
from complaints.models import DuplicateCandidate, EventType, Notification, Status, TicketEvent
from services.models import Department
from tests.factories import make_ticket
from tests.routing.conftest import wita

pytestmark = pytest.mark.django_db


def events(ticket, type_):
    return list(TicketEvent.objects.filter(ticket=ticket, type=type_))


def test_routes_to_the_services_department_with_working_day_due_dates(submitted):
    with time_machine.travel(wita(2026, 8, 13, 10, 0), tick=False):
        ticket = submitted("sampah-menumpuk")
        routed = route_ticket(ticket_id=ticket.pk)
    assert routed.status == Status.ROUTED
    assert routed.department.code == "dlh"
    assert routed.response_due_at == wita(2026, 8, 18, 23, 59, 59)
    assert routed.resolution_due_at == wita(2026, 8, 19, 23, 59, 59)
    (event,) = events(ticket, EventType.ROUTED)
    assert event.public and event.payload["department"] == "DLH"
    assert event.payload["reasons"]["rule"] == "default_department"


def test_most_specific_rule_wins(submitted):
    kelurahan_rule = route_ticket(ticket_id=submitted("genangan-banjir", "63.71.01.1001").pk)  # Mantuil → PUPR
    kecamatan_rule = route_ticket(ticket_id=submitted("genangan-banjir", "63.71.01.1002").pk)  # Selatan → BPBD
    default = route_ticket(ticket_id=submitted("genangan-banjir", "63.71.02.1001").pk)  # Timur: default PUPR
    assert kelurahan_rule.department.code == "pupr"
    assert kecamatan_rule.department.code == "bpbd"
    assert default.department.code == "pupr"
    reasons = TicketEvent.objects.get(ticket=kecamatan_rule, type=EventType.ROUTED).payload["reasons"]
    assert reasons["rule_id"] and "BPBD" in reasons["rule"]


def test_second_run_changes_nothing_and_records_nothing(submitted):
    ticket = submitted()
    assert route_ticket(ticket_id=ticket.pk) is not None
    notifications = Notification.objects.count()
    assert route_ticket(ticket_id=ticket.pk) is None
    assert len(events(ticket, EventType.ROUTED)) == 1
    assert Notification.objects.count() == notifications


def test_unconfirmed_email_waits(submitted):
    ticket = submitted(email_confirmed=False)
    assert route_ticket(ticket_id=ticket.pk) is None
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED


def test_not_sure_text_is_classified(submitted):
    ticket = submitted(service=None, title="Tolong", description="sampah menumpuk di depan rumah")
    routed = route_ticket(ticket_id=ticket.pk)
    assert routed.service.code == "sampah-menumpuk"
    assert routed.department.code == "dlh"
    assert routed.classifier_score >= 0.45
    reasons = TicketEvent.objects.get(ticket=ticket, type=EventType.ROUTED).payload["reasons"]
    assert reasons["classifier_service"] == "sampah-menumpuk"


def test_gibberish_goes_to_triage_without_a_service(submitted):
    routed = route_ticket(ticket_id=submitted(service=None, title="asdf", description="qwerty zxcv").pk)
    assert routed.department.is_triage and routed.department.code == "diskominfotik"
    assert routed.service is None
    assert TicketEvent.objects.get(ticket=routed, type=EventType.ROUTED).payload["reasons"]["triage"] is True


def test_pin_decides_the_kelurahan(submitted, city):
    mantuil = city.get(code="63.71.01.1001")
    ticket = submitted("genangan-banjir", "63.71.02.1001", lat=mantuil.label_lat, lng=mantuil.label_lng)
    routed = route_ticket(ticket_id=ticket.pk)
    assert routed.area == mantuil and routed.department.code == "pupr"


def test_urgent_word_and_cluster_raise_priority(submitted, settings):
    settings.ROUTING_CLUSTER_SIZE = 3
    urgent = route_ticket(ticket_id=submitted("trotoar-rusak", description="Trotoar ambruk ke sungai").pk)
    assert urgent.priority == 4
    make_ticket(service="pju-mati", kelurahan="63.71.02.1002")
    make_ticket(service="pju-mati", kelurahan="63.71.02.1002")
    clustered = route_ticket(ticket_id=submitted("pju-mati", "63.71.02.1002", description="Lampu padam").pk)
    assert clustered.priority == 3
    assert TicketEvent.objects.get(ticket=clustered, type=EventType.ROUTED).payload["reasons"]["cluster_size"] == 3


def test_nearby_open_tickets_become_candidates_both_ways(submitted):
    near = make_ticket(service="sampah-menumpuk")
    other_service = make_ticket(service="tps-liar")
    ticket = submitted("sampah-menumpuk", lat=near.lat + 0.001, lng=near.lng)
    far = make_ticket(service="sampah-menumpuk", lat=near.lat + 0.01, lng=near.lng)
    route_ticket(ticket_id=ticket.pk)
    pairs = set(DuplicateCandidate.objects.values_list("ticket_id", "candidate_id"))
    assert pairs == {(ticket.pk, near.pk), (near.pk, ticket.pk)}
    assert 100 <= DuplicateCandidate.objects.get(ticket=ticket).distance_m <= 120
    near.refresh_from_db()
    assert near.status == Status.ROUTED  # never merged automatically
    assert other_service.pk not in dict(pairs) and far.pk not in dict(pairs)


def test_auto_assign_picks_the_least_busy_member(submitted, staff_dlh, head_dlh):
    from tests.conftest import make_staff

    Department.objects.filter(code="dlh").update(auto_assign=True)
    idle = make_staff("senggang.dlh@banjarmasinkota.go.id", "dlh")
    make_ticket(assignee=staff_dlh)
    make_ticket(assignee=head_dlh)
    routed = route_ticket(ticket_id=submitted().pk)
    assert routed.assignee == idle
    staff_mails = Notification.objects.filter(ticket=routed, template="staff_ticket").values_list("email", flat=True)
    assert set(staff_mails) == {idle.email, "dlh@banjarmasinkota.go.id"}


def test_citizen_and_department_are_notified(submitted, staff_dlh, citizen):
    routed = route_ticket(ticket_id=submitted().pk)
    emails = set(Notification.objects.filter(ticket=routed).values_list("email", flat=True))
    assert {citizen.email, staff_dlh.email, "dlh@banjarmasinkota.go.id"} <= emails


def test_query_count_is_bounded(submitted, django_assert_max_num_queries, staff_dlh):
    ticket = submitted()
    route_ticket(ticket_id=submitted().pk)  # warm caches (geo index, content types)
    with django_assert_max_num_queries(24):
        route_ticket(ticket_id=ticket.pk)


def test_sweep_reenqueues_only_old_submitted_confirmed_tickets(submitted, monkeypatch):
    from complaints import tasks

    sent = []
    monkeypatch.setattr(tasks.route_ticket, "apply_async", lambda args, kwargs=None, **kw: sent.append(args[0]))
    old = submitted(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    submitted()  # too recent
    submitted(email_confirmed=False, created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    assert route_pending(grace_seconds=120) == 1
    assert sent == [old.pk]


# --- forwarding ----------------------------------------------------------------------------------


def test_forward_keeps_reason_and_reroutes(submitted, staff_dlh, staff_pupr, citizen):
    ticket = route_ticket(ticket_id=submitted("sampah-menumpuk").pk)
    pupr = Department.objects.get(code="pupr")
    with time_machine.travel(wita(2026, 8, 13, 10, 0), tick=False):
        forwarded = forward_ticket(ticket=ticket, actor=staff_dlh, department=pupr, reason="Saluran, bukan sampah")
    assert forwarded.department == pupr and forwarded.status == Status.ROUTED
    assert forwarded.response_due_at == wita(2026, 8, 18, 23, 59, 59)
    (event,) = events(ticket, EventType.FORWARDED)
    assert event.public and event.payload["reason"] == "Saluran, bukan sampah" and event.payload["to"] == "Dinas PUPR"
    recipients = set(Notification.objects.filter(event=event).values_list("email", flat=True))
    assert {citizen.email, staff_pupr.email} <= recipients


def test_forward_needs_a_reason_and_the_right_person(submitted, staff_dlh, staff_pupr):
    ticket = route_ticket(ticket_id=submitted("sampah-menumpuk").pk)
    pupr = Department.objects.get(code="pupr")
    with pytest.raises(ValidationError):
        forward_ticket(ticket=ticket, actor=staff_dlh, department=pupr, reason="  ")
    with pytest.raises(PermissionDenied):
        forward_ticket(ticket=ticket, actor=staff_pupr, department=pupr, reason="bukan wewenang")
    ticket.refresh_from_db()
    assert ticket.department.code == "dlh" and not events(ticket, EventType.FORWARDED)


# --- escalation and closing ----------------------------------------------------------------------


def test_escalation_once_per_level(city, staff_dlh, head_dlh, inspector):
    due = wita(2026, 8, 3, 23, 59, 59)  # Monday
    ticket = make_ticket(status=Status.ACKNOWLEDGED, response_due_at=due, resolution_due_at=due)
    assert escalate_overdue(now=wita(2026, 8, 3, 12)) == 0
    assert escalate_overdue(now=wita(2026, 8, 4, 9)) == 1
    assert escalate_overdue(now=wita(2026, 8, 4, 10)) == 0
    ticket.refresh_from_db()
    assert ticket.escalation_level == 1
    (first,) = events(ticket, EventType.ESCALATED)
    assert not first.public and first.payload["level"] == 1
    assert Notification.objects.filter(event=first, email=head_dlh.email).exists()
    assert not Notification.objects.filter(event=first, email=inspector.email).exists()
    # The head's email says which deadline was missed, when, and who was told; the API gives the time in WITA.
    from complaints.mail import _render

    Notification.objects.filter(event=first, email=head_dlh.email).update(language="en")
    _subject, body = _render(Notification.objects.get(event=first, email=head_dlh.email))
    assert "Level 1: the department head was told." in body
    assert "Missed resolution deadline: 3 Aug 2026 23:59 WITA" in body and "Resolution due" not in body
    assert first.payload["due_at"] == "2026-08-03T23:59:59+08:00"

    assert escalate_overdue(now=wita(2026, 8, 5, 9)) == 0  # Wednesday, the second working day, is not over
    assert escalate_overdue(now=wita(2026, 8, 6, 0, 1)) == 1  # two working days after the due date
    assert escalate_overdue(now=wita(2026, 8, 6, 9)) == 0
    ticket.refresh_from_db()
    assert ticket.escalation_level == 2
    second = events(ticket, EventType.ESCALATED)[1]
    assert Notification.objects.filter(event=second, email=inspector.email).exists()
    assert len(events(ticket, EventType.ESCALATED)) == 2


def test_verified_ticket_is_not_escalated_for_the_response_date(city):
    make_ticket(
        status=Status.ACKNOWLEDGED, response_due_at=wita(2026, 8, 3, 23, 59), resolution_due_at=wita(2026, 8, 20)
    )
    assert escalate_overdue(now=wita(2026, 8, 5, 9)) == 0


def test_closing_after_the_window_happens_once(city, citizen):
    resolved_at = wita(2026, 8, 3, 9)
    stored = make_ticket(
        status=Status.RESOLVED, reporter=citizen, resolved_at=resolved_at, close_window_ends_at=wita(2026, 8, 10, 9)
    )
    unset = make_ticket(status=Status.RESOLVED, resolved_at=resolved_at)  # 10 working days: 18 August (17th off)
    assert close_expired_resolutions(now=wita(2026, 8, 10, 8)) == 0
    assert close_expired_resolutions(now=wita(2026, 8, 10, 10)) == 1
    assert close_expired_resolutions(now=wita(2026, 8, 18, 12)) == 0
    assert close_expired_resolutions(now=wita(2026, 8, 19, 0, 30)) == 1
    assert close_expired_resolutions(now=wita(2026, 8, 20)) == 0
    for ticket in (stored, unset):
        ticket.refresh_from_db()
        assert ticket.status == Status.CLOSED
        assert len(events(ticket, EventType.CLOSED)) == 1
    assert Notification.objects.filter(ticket=stored, email=citizen.email).count() == 1


def test_a_reopened_ticket_gets_a_new_deadline_and_is_not_escalated_for_the_old_one(city, citizen, head_dlh):
    """Resolved in time on 22 Dec, reopened by the citizen on 7 Jan: the old 29 Dec deadline is not the new work's."""
    from complaints.actions import citizen_reopen

    ticket = make_ticket(
        status=Status.RESOLVED,
        reporter=citizen,
        resolution_due_at=wita(2026, 12, 29, 23, 59, 59),
        resolved_at=wita(2026, 12, 22, 10),
        close_window_ends_at=wita(2027, 1, 11, 23, 59, 59),
    )
    with time_machine.travel(wita(2027, 1, 7, 9), tick=False):
        citizen_reopen(ticket=ticket, actor=citizen, reason="Sampahnya menumpuk lagi.")
    ticket.refresh_from_db()
    # Sampah menumpuk: 3 working days from Thursday 7 January 2027 (Friday 8, Monday 11, Tuesday 12).
    assert ticket.service.resolution_sla_days == 3
    assert ticket.resolution_due_at == wita(2027, 1, 12, 23, 59, 59)
    assert escalate_overdue(now=wita(2027, 1, 7, 9, 15)) == 0
    assert escalate_overdue(now=wita(2027, 1, 13, 0, 1)) == 1  # the new deadline counts
