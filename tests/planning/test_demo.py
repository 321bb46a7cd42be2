"""The demo plan: a year with activities in every stage, realistic Rupiah, linked to demo tickets; idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planning import queries
from planning.demo import seed_demo_planning
from planning.models import STAGE_ORDER, Activity, BudgetLine, FiscalYear, Proposal, Stage
from services.demo import seed_demo_users
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_demo_plan_covers_every_stage_and_is_idempotent(city):
    seed_demo_users()
    ticket = make_ticket(service="drainase-tersumbat", kelurahan="63.71.04.1005")
    seed_demo_planning()
    counts = (Activity.objects.count(), BudgetLine.objects.count())
    seed_demo_planning()
    assert (Activity.objects.count(), BudgetLine.objects.count()) == counts

    year = FiscalYear.objects.get(year=2026)
    activities = list(queries.with_figures(Activity.objects.filter(fiscal_year=year)))
    assert len(activities) >= 20
    # Every gate of a year under way; closing a year unfinished (lapsed, carried over) comes only at its end.
    assert {a.stage for a in activities} == set(STAGE_ORDER)
    assert len({a.department_id for a in activities}) >= 6
    for activity in activities:
        assert Decimal("250000000") <= activity.ceiling_total <= Decimal("12000000000")
        figures = queries.figures_of(activity)
        assert figures["realised"] <= figures["budget"] or activity.stage == Stage.PLANNED
    # The next year is set up, empty, so the demo's new proposals have a year to go into.
    assert not Activity.objects.filter(fiscal_year__year=2027).exists()
    assert queries.proposal_fiscal_year(on=year.execution_end).year == 2027
    drains = Activity.objects.get(name__startswith="Normalisasi saluran drainase Sungai Miai")
    assert list(drains.tickets.all()) == [ticket]
    assert ticket.events.filter(type="plan_update").count() == 2  # budgeted and completed


def test_reports_filed_after_the_demo_plan_are_linked_on_the_next_run(city):
    seed_demo_users()
    seed_demo_planning()
    later = make_ticket(service="drainase-tersumbat", kelurahan="63.71.04.1005")
    for _ in range(2):
        make_ticket(service="pju-mati", kelurahan="63.71.05.1003")
    seed_demo_planning()
    assert later.planned_activities.get().name.startswith("Normalisasi saluran drainase")
    assert later.events.filter(type="plan_update").count() == 2
    evidence = Proposal.objects.get(source="evidence", activity=None)
    assert evidence.tickets.count() == 2 and evidence.status == "in_review"
    seed_demo_planning()
    assert Proposal.objects.filter(source="evidence", activity=None).count() == 1


def test_demo_evidence_links_reports_to_the_plan_and_shows_what_the_work_changed(city, monkeypatch):
    """Reports in each activity's kelurahan about its services, the year before its start and fewer once the
    work is done: most activities have linked reports, and a finished one shows fewer reports a month since."""
    from complaints.models import Ticket
    from planning import demo

    monkeypatch.setattr(demo, "EVIDENCE_PER_MONTH", 0.35)  # the same story with half the filings
    seed_demo_users()
    assert "reports filed" in demo.seed_demo_evidence()
    filed = Ticket.objects.count()
    assert filed > 24
    assert demo.seed_demo_evidence() == "evidence reports already there"
    assert Ticket.objects.count() == filed
    seed_demo_planning()

    activities = list(Activity.objects.all())
    # Those about a person's health, welfare or home (ODGJ, RTLH, the puskesmas) have confidential reports only.
    with_public_reports = [a for a in activities if a.services.filter(default_privacy="public").exists()]
    with_reports = [a for a in activities if a.tickets.exists()]
    assert len(with_reports) >= len(with_public_reports) - 2
    assert not Ticket.objects.filter(planned_activities__isnull=False).exclude(privacy="public").exists()
    drains = Activity.objects.get(name__startswith="Normalisasi saluran drainase Sungai Miai")  # evaluated
    figures = queries.service_indicators(drains)
    assert figures["before"]["per_month"] > figures["after"]["per_month"]
    assert figures["before"]["resolved"] > 0  # they were worked, not left as filed
    from django.utils import timezone

    last_year = Ticket.objects.filter(created_at__year=2025)
    assert last_year.exists()
    assert all(t.reference.split("-")[1] == str(timezone.localtime(t.created_at).year) for t in last_year)


def test_demo_evidence_keeps_each_services_default_privacy(city, monkeypatch):
    """ODGJ and RTLH reports are confidential unless the citizen chooses otherwise (a neighbour's mental illness with
    an exact pin, a poor household): the demo files them so, and none reaches the public pages or the plan."""
    from complaints.models import Ticket
    from complaints.queries import public_tickets
    from planning import demo

    private = [spec for spec in demo.ACTIVITIES if {"odgj-terlantar", "rumah-tidak-layak"} & set(spec[4])]
    monkeypatch.setattr(demo, "ACTIVITIES", [*private, demo.ACTIVITIES[0]])
    seed_demo_users()
    demo.seed_demo_evidence()

    sensitive = Ticket.objects.filter(service__code__in=("odgj-terlantar", "rumah-tidak-layak"))
    assert sensitive.count() >= 10
    assert set(sensitive.values_list("privacy", flat=True)) == {"confidential"}
    assert not public_tickets().filter(pk__in=sensitive).exists()
    # The other services' reports stay public, the plan's evidence.
    drains = Ticket.objects.filter(service__code__in=("drainase-tersumbat", "genangan-banjir"))
    assert drains.exists() and set(drains.values_list("privacy", flat=True)) == {"public"}
    seed_demo_planning()
    assert not Activity.objects.get(name__startswith="Penjangkauan ODGJ").tickets.exists()
