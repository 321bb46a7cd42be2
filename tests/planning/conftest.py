"""Fixtures of the planning cycle: a fiscal year and the people at each gate."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_staff


@pytest.fixture
def fiscal_year(city):
    from planning.models import FiscalYear

    return FiscalYear.objects.create(
        year=2026,
        musrenbang_start=dt.date(2025, 1, 6),
        musrenbang_end=dt.date(2025, 3, 31),
        rkpd_by=dt.date(2025, 6, 30),
        kuappas_start=dt.date(2025, 7, 1),
        kuappas_end=dt.date(2025, 8, 31),
        apbd_by=dt.date(2025, 11, 30),
        execution_start=dt.date(2026, 1, 1),
        execution_end=dt.date(2026, 12, 31),
        evaluation_start=dt.date(2027, 1, 1),
        evaluation_end=dt.date(2027, 3, 31),
    )


def bridge_proposal(fiscal_year, planner, *, estimated_cost=500_000_000):
    """A PUPR proposal for a bridge in Mawar, entered by the planner: in review at its first level."""
    from planning import actions
    from services.models import Area, Department

    return actions.submit_proposal(
        actor=planner,
        fiscal_year=fiscal_year,
        source="department",
        title="Pembangunan jembatan",
        problem="Jembatan kayu lapuk.",
        area=Area.objects.get(code="63.71.05.1003"),
        department=Department.objects.get(code="pupr"),
        estimated_cost=estimated_cost,
    )


def recommend_at_every_level(proposal, *, planner, head):
    """Every level of the review chain recommends ``proposal`` (the department's head at its level): it awaits
    the planner's acceptance."""
    from planning import actions

    while level := actions.next_review_level(proposal):
        actions.review_proposal(
            actor=head if level == "department" else planner,
            proposal=proposal,
            level=level,
            decision="recommend",
            amount=500_000_000,
        )
    return proposal


@pytest.fixture
def head_pupr(city):
    return make_staff("kepala.pupr@banjarmasinkota.go.id", "pupr", role="head")


@pytest.fixture
def planned_activity(fiscal_year, planner):
    from planning import actions
    from services.models import Area, Department, Service

    return actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year,
        code="1.03.02.2.01.0001",
        name="Normalisasi saluran drainase Kelurahan Mawar",
        department=Department.objects.get(code="pupr"),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        kelurahans=[Area.objects.get(code="63.71.05.1003")],
        services=[Service.objects.get(code="drainase-tersumbat")],
    )


def approve_budget_of(activity, finance) -> None:
    """Finance sets the activity's ceiling (Rp 2 billion) and approves Rp 1.5 billion: the activity is budgeted."""
    from planning import actions

    actions.set_ceiling(actor=finance, activity=activity, amount="2000000000", fund_source="pad", account_code="5.1.02")
    actions.approve_budget(
        actor=finance,
        activity=activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "1500000000", "description": "Belanja"}],
    )


@pytest.fixture
def budgeted_activity(planned_activity, finance):
    approve_budget_of(planned_activity, finance)
    planned_activity.refresh_from_db()
    return planned_activity


@pytest.fixture
def fiscal_year_2027(fiscal_year):
    """The next year, its calendar a year after the fixture's 2026."""
    from planning.models import FiscalYear

    def next_year(day):
        return day.replace(year=day.year + 1)

    dates = {
        f.name: next_year(getattr(fiscal_year, f.name))
        for f in FiscalYear._meta.fields
        if f.get_internal_type() == "DateField"
    }
    return FiscalYear.objects.create(year=2027, **dates)


@pytest.fixture
def musrenbang(time_machine):
    """During the Musrenbang for fiscal year 2026 (6 January – 31 March 2025), at 10:00 WITA: the year community
    proposals are being collected for."""
    time_machine.move_to(dt.datetime(2025, 2, 14, 2, 0, tzinfo=dt.UTC))
