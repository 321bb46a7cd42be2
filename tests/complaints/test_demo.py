"""The demo reports are filed, routed and worked through the real actions, once."""

import pytest

from complaints import demo
from complaints.models import Status, Ticket, TicketEvent


@pytest.fixture
def small_demo(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_TICKETS", 24)
    monkeypatch.setattr(demo, "DEMO_CITIZENS", 6)


def test_demo_reports_are_routed_spread_over_the_city_and_seeded_once(city, small_demo):
    from services.demo import seed_demo_users

    seed_demo_users()
    demo.seed_demo_tickets()
    tickets = Ticket.objects.all()
    assert tickets.count() == 24
    assert not tickets.filter(status=Status.SUBMITTED).exists()
    assert tickets.exclude(area=None).values("area").distinct().count() > 5
    assert tickets.filter(status__in=(Status.RESOLVED, Status.CLOSED)).exists()
    assert TicketEvent.objects.filter(type="routed").count() == 24
    # Clocks were spread back: filing precedes its due dates and not everything was filed today.
    assert all(t.response_due_at > t.created_at for t in tickets)
    assert len({t.created_at.date() for t in tickets}) > 5

    # Verified tickets are in an officer's hands (the queue's "mine", the workload per officer), each a member of
    # the ticket's department.
    worked = tickets.filter(acknowledged_at__isnull=False)
    assert worked.exists() and not worked.filter(assignee=None).exists()
    assert all(t.assignee.memberships.filter(department=t.department, active=True).exists() for t in worked)

    demo.seed_demo_tickets()
    assert Ticket.objects.count() == 24


def test_demo_work_takes_time_like_a_citys(city, small_demo):
    """The actions run within the same second; the demo spreads each step out, so the dashboards' medians and
    on-time shares are not zero, and the timeline agrees with the ticket's own clocks."""
    import datetime as dt
    import statistics

    from django.utils import timezone

    from services.demo import seed_demo_users

    seed_demo_users()
    demo.seed_demo_tickets()
    now = timezone.now()
    worked = list(Ticket.objects.exclude(acknowledged_at=None))
    assert len(worked) > 5
    for ticket in worked:
        clocks = [ticket.created_at, ticket.routed_at, ticket.acknowledged_at, ticket.resolved_at, ticket.closed_at]
        clocks = [c for c in clocks if c is not None]
        assert clocks == sorted(clocks) and clocks[-1] <= now, ticket.reference
        timeline = {e.type: e.created_at for e in ticket.events.all()}
        assert abs(timeline["acknowledged"] - ticket.acknowledged_at) < dt.timedelta(seconds=1)
        if ticket.resolved_at:
            assert abs(timeline["resolved"] - ticket.resolved_at) < dt.timedelta(seconds=1)
    to_verify = statistics.median(t.acknowledged_at - t.created_at for t in worked)
    resolved = [t for t in worked if t.resolved_at]
    to_resolve = statistics.median(t.resolved_at - t.created_at for t in resolved)
    assert to_verify > dt.timedelta(hours=1)
    assert to_resolve > dt.timedelta(days=1)
    assert to_resolve > to_verify

    # Each demo rating was given within its report's closing window, as rate_ticket allows.
    from complaints.actions import close_window_end
    from complaints.models import Rating

    for rating in Rating.objects.select_related("ticket"):
        assert rating.ticket.resolved_at <= rating.created_at <= close_window_end(rating.ticket), (
            rating.ticket.reference
        )


def test_demo_reports_about_a_persons_health_welfare_or_records_keep_their_services_default(city, citizen):
    """The demo shows what a city would: the form preselects confidential for these services and most citizens keep
    it, so the demo's public map does not carry someone's mental illness with its pin."""
    import random

    from complaints.models import Privacy
    from services.demo import seed_demo_users
    from services.models import Area, Service

    seed_demo_users()
    area = Area.objects.filter(level="kelurahan").first()
    rng = random.Random(7)
    odgj = Service.objects.get(code="odgj-terlantar")
    assert odgj.default_privacy == Privacy.CONFIDENTIAL
    filed = [
        demo.file_demo_report(service=odgj, area=area, reporter=citizen, days_ago=1, rng=rng).privacy for _ in range(5)
    ]
    assert set(filed) == {Privacy.CONFIDENTIAL}
    waste = Service.objects.get(code="sampah-menumpuk")
    others = {
        demo.file_demo_report(service=waste, area=area, reporter=citizen, days_ago=1, rng=rng).privacy for _ in range(5)
    }
    assert Privacy.PUBLIC in others


def test_demo_closing_windows_end_like_a_real_resolutions(city, small_demo):
    """A demo report resolved is closed by the citizen's window as a real one would be: counted from its (moved)
    resolution, ending at the close of a working day, not at midday on a Sunday."""
    from complaints.routing import close_window_end
    from services.demo import seed_demo_users

    seed_demo_users()
    demo.seed_demo_tickets()
    resolved = list(Ticket.objects.filter(resolved_at__isnull=False, close_window_ends_at__isnull=False))
    assert resolved
    assert [t.reference for t in resolved if t.close_window_ends_at != close_window_end(t.resolved_at)] == []


def test_demo_escalations_and_closings_are_dated_when_the_beat_would_have_run(city, small_demo):
    """The sweeps are replayed each morning of the demo's months: the head is told the morning after a deadline, the
    inspectorate a few working days later, a resolution is closed when its window ends. Run once on the day of
    seeding, they dated every escalation that day: "the head was told 8 months late" (Inspektorat walk)."""
    import datetime as dt

    from django.utils import timezone

    from complaints.models import EventType
    from services.demo import seed_demo_users

    seed_demo_users()
    demo.seed_demo_tickets()
    seeded_at = timezone.now()
    assert "escalations" in demo.catch_up_deadlines(now=seeded_at)

    escalations = list(TicketEvent.objects.filter(type=EventType.ESCALATED).select_related("ticket"))
    assert escalations
    for event in escalations:
        due = dt.datetime.fromisoformat(event.payload["due_at"])
        assert due < event.created_at <= max(due + dt.timedelta(days=1, hours=8), seeded_at), event.ticket.reference
    heads = {e.ticket_id: e.created_at for e in escalations if e.payload["level"] == 1}
    for event in (e for e in escalations if e.payload["level"] == 2):
        assert event.created_at - heads[event.ticket_id] >= dt.timedelta(days=1)
    assert len({timezone.localtime(e.created_at).date() for e in escalations}) > 1

    closings = TicketEvent.objects.filter(type=EventType.CLOSED, payload__by="system").select_related("ticket")
    for event in closings:
        assert event.ticket.closed_at == event.created_at
        assert (
            event.ticket.close_window_ends_at
            <= event.created_at
            < event.ticket.close_window_ends_at + dt.timedelta(days=1, hours=8)
        )
