"""The APBD-P after the hand-over: finance trims a completed activity's budget to what was paid, releasing the rest,
never below it and never above the budget, until it is evaluated; the evaluation card says beforehand that it ends
payments and revisions. Money fields say what they take: more than zero where Rp 0 is refused, in one message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from planning import actions, queries
from planning.models import BudgetLine
from services.models import Area, Department, Service
from tests.planning.conftest import approve_budget_of

pytestmark = pytest.mark.django_db

NOV_20 = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)  # 10:00 WITA


@pytest.fixture
def handed_over(fiscal_year, planner, finance, head_pupr, time_machine):
    """A PUPR road of 2026 (Rp 1.5 bn) handed over on 15 November with Rp 1.425 bn paid: completed."""
    time_machine.move_to(NOV_20)
    activity = actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year,
        code="1.03.10.2.01.0007",
        name="Peningkatan Jalan Sutoyo S",
        department=Department.objects.get(code="pupr"),
        start_date=dt.date(2026, 2, 1),
        end_date=dt.date(2026, 11, 30),
        kelurahans=[Area.objects.get(code="63.71.05.1003")],
        services=[Service.objects.get(code="drainase-tersumbat")],
    )
    approve_budget_of(activity, finance)
    actions.record_realisation(
        actor=head_pupr, activity=activity, date=dt.date(2026, 11, 16), amount=1_425_000_000, document_number="T-1"
    )
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 11, 1), physical_pct=100)
    actions.complete_activity(actor=head_pupr, activity=activity, completed_on=dt.date(2026, 11, 15))
    activity.refresh_from_db()
    return activity


def _revise(finance, activity, amount):
    return actions.revise_budget(
        actor=finance,
        activity=activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": amount}],
        reason="APBD-P 2026: sisa kontrak",
    )


def _refusal(call) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call()
    return " ".join(refused.value.messages)


def test_finance_trims_a_completed_activity_to_what_was_paid(client, handed_over, finance):
    client.force_login(finance)
    page = client.get(reverse("planning:activity", args=[handed_over.pk])).content.decode()
    assert 'id="revise"' in page  # the card is offered after the hand-over
    assert "below what is already realised" in _refusal(lambda: _revise(finance, handed_over, "1400000000"))
    _revise(finance, handed_over, "1425000000")
    assert queries.current_budget(handed_over) == Decimal("1425000000")


def test_a_completed_activity_s_budget_is_not_raised(handed_over, finance, head_pupr):
    message = _refusal(lambda: _revise(finance, handed_over, "1600000000"))
    assert "The activity is completed: a revision can only lower its budget" in message
    assert queries.current_budget(handed_over) == Decimal("1500000000")
    # A payment above it is told the same, not to ask finance for a revision that cannot raise it.
    message = _refusal(
        lambda: actions.record_realisation(
            actor=head_pupr, activity=handed_over, date=dt.date(2026, 11, 20), amount=100_000_000, document_number="R"
        )
    )
    assert "a revision can only lower its budget" in message and "ask finance" not in message


def test_once_evaluated_no_revision_and_the_card_said_so(client, handed_over, finance, inspector):
    client.force_login(inspector)
    page = client.get(reverse("planning:activity", args=[handed_over.pk]), HTTP_ACCEPT_LANGUAGE="en")
    warning = page.content.decode().split('id="evaluate-freezes-money"')[1].split("</div>")[0]
    assert "Once evaluated, no payment and no budget revision can be recorded on this activity any more" in warning
    assert "Rp\xa01.425.000.000 realised of Rp\xa01.500.000.000" in warning
    actions.evaluate_activity(actor=inspector, activity=handed_over, findings="-", recommendations="-")
    handed_over.refresh_from_db()
    assert "already evaluated" in _refusal(lambda: _revise(finance, handed_over, "1425000000"))


def _post(client, activity, name: str, data: dict):
    return client.post(reverse("planning:activity_action", args=[activity.pk, name]), data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("typed", ["0", "-150.000.000"])
def test_a_payment_of_zero_or_less_is_told_more_than_zero_once(client, budgeted_activity, finance, typed):
    client.force_login(finance)
    response = _post(
        client,
        budgeted_activity,
        "realisation",
        {"realisation-date": "2026-01-05", "realisation-amount": typed, "realisation-document_number": "SP2D-1"},
    )
    assert response.status_code == 400
    assert response.context["forms"]["realisation"]["amount"].errors == ["The amount must be more than zero."]


@pytest.mark.parametrize("typed", ["0", "-1"])
def test_a_ceiling_of_zero_is_refused(client, planned_activity, finance, typed):
    client.force_login(finance)
    data = {"ceiling-amount": "1.500.000,50", "ceiling-fund_source": "pad", "ceiling-account_code": "5.1.02"}
    assert _post(client, planned_activity, "ceiling", data).status_code == 302
    response = _post(client, planned_activity, "ceiling", data | {"ceiling-amount": typed})
    assert response.status_code == 400
    assert response.context["forms"]["ceiling"]["amount"].errors == ["The amount must be more than zero."]
    assert BudgetLine.objects.get(version="indicative").amount == Decimal("1500000.50")
    # The action refuses it too (the REST API, any other caller).
    assert "more than zero" in _refusal(
        lambda: actions.set_ceiling(
            actor=finance, activity=planned_activity, amount="0", fund_source="pad", account_code="5.1.02"
        )
    )


def test_a_negative_revision_line_is_told_it_cannot_be_negative(client, budgeted_activity, finance):
    client.force_login(finance)
    response = _post(
        client,
        budgeted_activity,
        "revise",
        {
            "revise-account_code": "5.1.02",
            "revise-fund_source": "pad",
            "revise-amount": "-5",
            "revise-reason": "APBD-P",
        },
    )
    assert response.status_code == 400
    assert response.context["forms"]["revise"]["amount"].errors == ["The amount cannot be negative."]
