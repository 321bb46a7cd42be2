"""The demo plan: a year with activities in every stage, realistic Rupiah, linked to demo tickets; idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planning import queries
from planning.demo import seed_demo_planning
from planning.models import Activity, BudgetLine, FiscalYear, Proposal, Stage
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
    assert {a.stage for a in activities} == set(Stage.values)
    assert len({a.department_id for a in activities}) >= 6
    for activity in activities:
        assert Decimal("250000000") <= activity.ceiling_total <= Decimal("12000000000")
        figures = queries.figures_of(activity)
        assert figures["realised"] <= figures["budget"] or activity.stage == Stage.PLANNED
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
