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

    demo.seed_demo_tickets()
    assert Ticket.objects.count() == 24
