"""One activity walked through the whole cycle, the right role at each gate; every wrong attempt changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from planning import actions
from planning.models import (
    Activity,
    BudgetChange,
    BudgetLine,
    Evaluation,
    ProgressReport,
    Proposal,
    ProposalReview,
    Realisation,
    StageChange,
)
from services.models import Area, Service
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source text (the site's default language is Indonesian)."""
    with translation.override("en"):
        yield


def snapshot():
    """Everything a planning write could touch."""
    return (
        list(Proposal.objects.values_list("pk", "status")),
        ProposalReview.objects.count(),
        list(Activity.objects.values_list("pk", "stage")),
        list(BudgetLine.objects.values_list("pk", "amount")),
        BudgetChange.objects.count(),
        Realisation.objects.count(),
        list(ProgressReport.objects.values_list("pk", "physical_pct")),
        StageChange.objects.count(),
        Evaluation.objects.count(),
    )


def refused(error, call, message: str):
    """The call raises ``error`` with a message containing ``message``, and nothing changes."""
    before = snapshot()
    with pytest.raises(error) as caught:
        call()
    text = " ".join(caught.value.messages) if isinstance(caught.value, ValidationError) else str(caught.value)
    assert message in text
    assert snapshot() == before


def test_one_activity_through_the_whole_cycle(
    fiscal_year, planner, finance, inspector, head_dlh, staff_dlh, head_pupr, citizen
):
    mawar = Area.objects.get(code="63.71.05.1003")
    drains = Service.objects.get(code="drainase-tersumbat")
    for _ in range(3):
        make_ticket(service=drains, kelurahan=mawar, reporter=citizen)

    # Proposal from complaint evidence: planners only.
    refused(
        PermissionDenied,
        lambda: actions.propose_from_evidence(actor=finance, fiscal_year=fiscal_year, service=drains, area=mawar),
        "Only planners",
    )
    proposal = actions.propose_from_evidence(actor=planner, fiscal_year=fiscal_year, service=drains, area=mawar)
    assert proposal.source == Proposal.Source.EVIDENCE
    assert proposal.tickets.count() == 3
    assert proposal.department.code == "pupr"

    # Review chain kelurahan → kecamatan → department → Bappeda, in order, by the right people.
    refused(
        ValidationError,
        lambda: actions.review_proposal(actor=planner, proposal=proposal, level="bappeda", decision="recommend"),
        "Kelurahan level reviews next",
    )
    actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="recommend", amount=900e6)
    actions.review_proposal(actor=planner, proposal=proposal, level="kecamatan", decision="recommend", amount=900e6)
    refused(
        PermissionDenied,
        lambda: actions.review_proposal(actor=head_dlh, proposal=proposal, level="department", decision="recommend"),
        "Department level",
    )
    actions.review_proposal(actor=head_pupr, proposal=proposal, level="department", decision="recommend", amount=8e8)
    refused(
        ValidationError,
        lambda: actions.accept_proposal(
            actor=planner, proposal=proposal, code="X", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
        ),
        "Every level must recommend",
    )
    actions.review_proposal(actor=planner, proposal=proposal, level="bappeda", decision="recommend", amount=8e8)

    # Acceptance: planners only; it creates a planned activity with the evidence.
    refused(
        PermissionDenied,
        lambda: actions.accept_proposal(
            actor=head_pupr,
            proposal=proposal,
            code="A1",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
        ),
        "Only planners may accept",
    )
    activity = actions.accept_proposal(
        actor=planner, proposal=proposal, code="A1", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    assert activity.stage == "planned"
    assert activity.tickets.count() == 3
    assert list(activity.kelurahans.all()) == [mawar]
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.activity == activity

    # Nothing before its time: no realisation, evaluation or revision on a planned activity.
    refused(
        ValidationError,
        lambda: actions.record_realisation(
            actor=head_pupr, activity=activity, date=dt.date(2026, 2, 1), amount=1, document_number="SP2D-1"
        ),
        "once the budget is approved",
    )
    refused(
        ValidationError,
        lambda: actions.evaluate_activity(actor=inspector, activity=activity, findings="", recommendations=""),
        "only after it is completed",
    )

    # Ceiling, then the original budget: finance only, within the ceiling.
    refused(
        PermissionDenied,
        lambda: actions.set_ceiling(
            actor=planner, activity=activity, amount=1e9, fund_source="pad", account_code="5.1.02"
        ),
        "Only finance",
    )
    refused(
        ValidationError,
        lambda: actions.approve_budget(
            actor=finance, activity=activity, lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": 1}]
        ),
        "Set the indicative ceiling",
    )
    actions.set_ceiling(actor=finance, activity=activity, amount="1000000000", fund_source="pad", account_code="5.1.02")
    refused(
        ValidationError,
        lambda: actions.approve_budget(
            actor=finance,
            activity=activity,
            lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "1200000000"}],
        ),
        "exceeds the ceiling",
    )
    refused(
        PermissionDenied,
        lambda: actions.approve_budget(actor=head_pupr, activity=activity, lines=[]),
        "Only finance",
    )
    actions.approve_budget(
        actor=finance,
        activity=activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "900000000", "description": "Belanja modal"}],
    )
    activity.refresh_from_db()
    assert activity.stage == "budgeted"
    assert StageChange.objects.filter(activity=activity, to_stage="budgeted", actor=finance).exists()
    refused(
        ValidationError,
        lambda: actions.set_ceiling(
            actor=finance, activity=activity, amount=5e9, fund_source="pad", account_code="5.1.02"
        ),
        "use a revision",
    )

    # Monthly realisation and progress by the head of the department; not above the budget.
    refused(
        PermissionDenied,
        lambda: actions.record_realisation(
            actor=head_dlh, activity=activity, date=dt.date(2026, 2, 1), amount=1, document_number="SP2D-1"
        ),
        "Only the head of Dinas PUPR",
    )
    actions.record_realisation(
        actor=head_pupr,
        activity=activity,
        date=dt.date(2026, 3, 10),
        amount="600000000",
        document_number="SP2D-001",
    )
    activity.refresh_from_db()
    assert activity.stage == "in_execution"
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 3, 15), physical_pct=55)
    refused(
        ValidationError,
        lambda: actions.record_realisation(
            actor=head_pupr, activity=activity, date=dt.date(2026, 4, 10), amount="400000000", document_number="SP2D-2"
        ),
        "ask finance for a budget revision",
    )

    # Revision: finance, with a reason; then the larger payment fits.
    refused(
        PermissionDenied,
        lambda: actions.revise_budget(
            actor=head_pupr,
            activity=activity,
            lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": 1e9}],
            reason="Tambah",
        ),
        "Only finance",
    )
    refused(
        ValidationError,
        lambda: actions.revise_budget(
            actor=finance,
            activity=activity,
            lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "500000000"}],
            reason="Potong",
        ),
        "below what is already realised",
    )
    actions.revise_budget(
        actor=finance,
        activity=activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "1000000000"}],
        reason="Tambahan volume saluran",
    )
    change = BudgetChange.objects.filter(line__version="revised").latest("id")
    assert change.actor == finance and change.new_amount == Decimal("1000000000.00")
    actions.record_realisation(
        actor=head_pupr, activity=activity, date=dt.date(2026, 4, 10), amount="400000000", document_number="SP2D-002"
    )
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 4, 1), physical_pct=90)

    # Completion needs 100% physical progress and the head.
    refused(
        ValidationError,
        lambda: actions.complete_activity(actor=head_pupr, activity=activity, completed_on=dt.date(2026, 5, 28)),
        "Report 100% physical progress",
    )
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 5, 1), physical_pct=100)
    refused(
        PermissionDenied,
        lambda: actions.complete_activity(actor=planner, activity=activity, completed_on=dt.date(2026, 5, 28)),
        "Only the head",
    )
    actions.complete_activity(actor=head_pupr, activity=activity, completed_on=dt.date(2026, 5, 28))
    activity.refresh_from_db()
    assert activity.stage == "completed"

    # Evaluation: inspectors or planners, not finance; scores computed.
    refused(
        PermissionDenied,
        lambda: actions.evaluate_activity(actor=finance, activity=activity, findings="", recommendations=""),
        "Only inspectors or planners",
    )
    # Without indicators the score counts the physical progress verified: the inspector verifies May's first.
    actions.verify_progress(actor=inspector, report=activity.progress_reports.get(month=dt.date(2026, 5, 1)))
    evaluation = actions.evaluate_activity(
        actor=inspector, activity=activity, findings="Saluran berfungsi.", recommendations="Pemeliharaan rutin."
    )
    activity.refresh_from_db()
    assert activity.stage == "evaluated"
    assert evaluation.budget_absorption_pct == Decimal("100.00")
    assert evaluation.indicator_achievement_pct == Decimal("100.00")  # no indicators: verified physical progress
    assert evaluation.achievement_basis == "physical"
    assert evaluation.grade == "very_high"
    gates = list(StageChange.objects.filter(activity=activity).values_list("to_stage", "actor"))
    assert gates == [
        ("planned", planner.pk),
        ("budgeted", finance.pk),
        ("in_execution", head_pupr.pk),
        ("completed", head_pupr.pk),
        ("evaluated", inspector.pk),
    ]


def test_a_declined_proposal_needs_a_reason_and_stops_the_chain(fiscal_year, planner):
    proposal = actions.submit_proposal(
        actor=planner,
        fiscal_year=fiscal_year,
        source="musrenbang_kelurahan",
        title="Titian ulin baru",
        problem="Titian lapuk",
        area=Area.objects.get(code="63.71.05.1003"),
        department=Service.objects.get(code="jembatan-rusak").default_department,
        estimated_cost="350000000",
    )
    refused(
        ValidationError,
        lambda: actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="decline"),
        "Say why",
    )
    actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="decline", note="Ganda")
    proposal.refresh_from_db()
    assert proposal.status == "declined"
    refused(
        ValidationError,
        lambda: actions.review_proposal(actor=planner, proposal=proposal, level="kecamatan", decision="recommend"),
        "no longer in review",
    )


def test_department_year_evaluation_grades_with_the_years_bands(
    budgeted_activity, inspector, head_pupr, fiscal_year, time_machine
):
    fiscal_year.grade_bands = [[10, "very_high"], [5, "high"], [3, "medium"], [1, "low"], [0, "very_low"]]
    fiscal_year.save()
    budgeted_activity.milestones.create(
        name="Kontrak", due_date=dt.date(2026, 2, 1), met_on=dt.date(2026, 1, 28), status="met"
    )
    # The year is evaluated after it, over work closed and evaluated.
    time_machine.move_to(dt.datetime(2027, 1, 4, 2, tzinfo=dt.UTC))
    actions.close_year(actor=head_pupr, activity=budgeted_activity, outcome="lapsed", reason="Lelang gagal.")
    actions.evaluate_activity(actor=inspector, activity=budgeted_activity, findings="-", recommendations="-")
    evaluation = actions.evaluate_department_year(
        actor=inspector,
        fiscal_year=fiscal_year,
        department=budgeted_activity.department,
        findings="Serapan rendah.",
        recommendations="Percepat lelang.",
    )
    assert evaluation.activity is None
    assert evaluation.budget_absorption_pct == Decimal("0.00")
    # Timeliness counts (its one milestone met on time: 25 points), so the lenient bands give a top grade.
    assert evaluation.grade == "very_high"


def test_a_payment_belongs_to_the_activity_year_and_has_happened(budgeted_activity, head_pupr, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 10, 16, 30, tzinfo=dt.UTC))  # 11 June, 00:30 in Banjarmasin (WITA)

    def pay(day):
        return lambda: actions.record_realisation(
            actor=head_pupr, activity=budgeted_activity, date=day, amount=1e6, document_number=f"SP2D-{day}"
        )

    refused(ValidationError, pay(dt.date(2027, 6, 1)), "fiscal year 2026")
    refused(ValidationError, pay(dt.date(2025, 12, 31)), "fiscal year 2026")
    refused(ValidationError, pay(dt.date(2026, 6, 12)), "later than today")
    with pytest.raises(ValidationError) as caught:
        pay(dt.date(2027, 6, 1))()
    assert set(caught.value.message_dict) == {"date"}  # shown next to the date field
    assert pay(dt.date(2026, 6, 11))().amount == Decimal("1000000.00")  # today in WITA, still the 10th in UTC


def test_progress_is_for_a_month_of_the_year_that_has_begun(budgeted_activity, head_pupr, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 10, 3, tzinfo=dt.UTC))

    def report(month):
        return lambda: actions.report_progress(
            actor=head_pupr, activity=budgeted_activity, month=month, physical_pct=10
        )

    refused(ValidationError, report(dt.date(2027, 1, 1)), "fiscal year 2026")
    refused(ValidationError, report(dt.date(2026, 7, 1)), "later than today")
    assert report(dt.date(2026, 6, 1))().physical_pct == Decimal("10")  # the current month may be reported


def test_a_milestone_is_not_met_in_the_future(budgeted_activity, head_pupr, planner, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 10, 3, tzinfo=dt.UTC))
    milestone = actions.add_milestone(
        actor=planner, activity=budgeted_activity, name="Kontrak", due_date=dt.date(2026, 6, 1)
    )
    with pytest.raises(ValidationError) as caught:
        actions.mark_milestone(actor=head_pupr, milestone=milestone, met_on=dt.date(2026, 6, 20))
    assert "met_on" in caught.value.message_dict
    milestone.refresh_from_db()
    assert milestone.status == "pending"
    assert actions.mark_milestone(actor=head_pupr, milestone=milestone, met_on=dt.date(2026, 6, 9)).status == "met"
