"""An activity's money and progress through the REST API, as its page shows them: an integrator (the provincial
monitoring system, SIPD exports) reads the budget in force, the payments, the absorption and the latest physical
progress instead of adding up budget lines and payments itself (and counting the ceiling and the original beside
its revision). Amounts the API refuses say what it takes."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from planning import actions
from planning.models import Activity, BudgetLine, Programme, ProgressReport, Proposal, Realisation
from planning.templatetags.money import format_rupiah
from tests.planning.conftest import budgeted_activity, fiscal_year, head_pupr, planned_activity  # noqa: F401

pytestmark = pytest.mark.django_db

FIGURES = [
    "programme",
    "programme_name",
    "budget_in_force",
    "realised",
    "absorption_pct",
    "physical_pct",
    "physical_month",
    "physical_verified",
]


@pytest.fixture
def mid_year(time_machine):
    """15 June 2026, 10:00 WITA: fiscal year 2026 is being executed, so its budgets may be revised."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))


@pytest.fixture
def executed(mid_year, budgeted_activity, finance, head_pupr, planner):  # noqa: F811
    """Rp 1.5 billion approved (over a Rp 2 billion ceiling), revised to Rp 1.650.000.000,50; two payments with cents;
    February's progress verified, March's (the latest) not yet; under a programme."""
    activity = budgeted_activity
    activity.programme = Programme.objects.create(
        fiscal_year=activity.fiscal_year,
        code="1.03.02",
        name="Program Pengelolaan Sumber Daya Air",
        department=activity.department,
    )
    activity.save(update_fields=["programme"])
    actions.revise_budget(
        actor=finance,
        activity=activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "1650000000.50", "description": "APBD-P"}],
        reason="Tambahan volume pekerjaan",
    )
    for day, amount, document in [(2, "250000000.25", "SP2D-0042"), (20, "12345678.50", "SP2D-0043")]:
        actions.record_realisation(
            actor=finance, activity=activity, date=dt.date(2026, 3, day), amount=amount, document_number=document
        )
    february = actions.report_progress(
        actor=head_pupr, activity=activity, month=dt.date(2026, 2, 1), physical_pct="20.00"
    )
    actions.verify_progress(actor=planner, report=february)
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 3, 1), physical_pct="35.50")
    return activity


def test_the_api_gives_the_figures_the_activity_page_shows(client, as_user, planner, executed):
    client.force_login(planner)
    page = client.get(reverse("planning:activity", args=[executed.pk]))
    shown, html = page.context["figures"], page.content.decode()
    api = as_user(planner).get(f"/api/v1/planning/activities/{executed.pk}/").json()

    # The revision is the budget in force: not the ceiling, not the original beside it, cents kept.
    assert api["budget_in_force"] == "1650000000.50"
    assert Decimal(api["budget_in_force"]) == shown["budget"]
    assert format_rupiah(Decimal(api["budget_in_force"])) in html
    assert api["realised"] == "262345678.75"
    assert Decimal(api["realised"]) == shown["realised"]
    assert format_rupiah(Decimal(api["realised"])) in html
    assert api["absorption_pct"] == "15.90"
    assert Decimal(api["absorption_pct"]) == shown["financial_pct"].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    # The latest month reported, not the latest verified, and said to be unverified as the page says it.
    assert (api["physical_pct"], api["physical_month"], api["physical_verified"]) == ("35.50", "2026-03-01", False)
    assert Decimal(api["physical_pct"]) == shown["physical_pct"] and not shown["physical_verified"]
    assert 'id="physical-unverified"' in html
    assert (api["programme"], api["programme_name"]) == ("1.03.02", "Program Pengelolaan Sumber Daya Air")

    listed = as_user(planner).get("/api/v1/planning/activities/").json()["results"]
    assert [{name: row[name] for name in FIGURES} for row in listed] == [{name: api[name] for name in FIGURES}]


def test_an_activity_without_budget_or_reports(as_user, planner, planned_activity):  # noqa: F811
    """Lines awaiting approval are no budget yet; no month reported is null, never 0 %."""
    BudgetLine.objects.create(
        activity=planned_activity, version="draft", account_code="5.1.02", fund_source="pad", amount=10**9
    )
    api = as_user(planner).get(f"/api/v1/planning/activities/{planned_activity.pk}/").json()
    assert {name: api[name] for name in FIGURES} == {
        "programme": None,
        "programme_name": None,
        "budget_in_force": "0.00",
        "realised": "0.00",
        "absorption_pct": "0.00",
        "physical_pct": None,
        "physical_month": None,
        "physical_verified": False,
    }


def test_fifty_activities_in_a_few_queries(as_user, planner, budgeted_activity, django_assert_max_num_queries):  # noqa: F811
    original = budgeted_activity
    for number in range(2, 51):
        activity = Activity.objects.create(
            fiscal_year=original.fiscal_year,
            code=f"1.03.02.2.01.{number:04d}",
            name=f"Kegiatan {number}",
            department=original.department,
            start_date=original.start_date,
            end_date=original.end_date,
            stage="in_execution",
        )
        activity.kelurahans.set(original.kelurahans.all())
        BudgetLine.objects.create(activity=activity, version="original", account_code="5.1.02", fund_source="pad",
                                  amount=10**9)  # fmt: skip
        Realisation.objects.create(activity=activity, date=dt.date(2026, 3, 2), amount=10**8, document_number="S-1")
        ProgressReport.objects.create(activity=activity, month=dt.date(2026, 3, 1), physical_pct=10)
    client = as_user(planner)
    # Measured: 3 (the count, the page with its figures, its kelurahan), whatever the number of activities.
    with django_assert_max_num_queries(4):
        listed = client.get("/api/v1/planning/activities/").json()
    assert len(listed["results"]) == 50
    assert {row["budget_in_force"] for row in listed["results"]} == {"1000000000.00", "1500000000.00"}


def test_the_schema_describes_each_figure(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    fields = schema["components"]["schemas"]["Activity"]["properties"]
    assert [name for name in FIGURES if not fields[name].get("description")] == []
    assert all(fields[name].get("readOnly") for name in FIGURES)


@pytest.mark.parametrize(
    ("endpoint", "field", "payload"),
    [
        ("realisations", "amount", {"date": "2026-03-31", "document_number": "SP2D-0042"}),
        (
            "proposals",
            "estimated_cost",
            {"fiscal_year": 2026, "source": "department", "title": "Jembatan", "problem": "Lapuk.",
             "area": "63.71.05.1003", "department": "pupr"},
        ),
    ],
)  # fmt: skip
def test_an_amount_written_as_on_paper_is_refused_saying_what_to_send(
    as_user,
    finance,
    planner,
    budgeted_activity,  # noqa: F811
    endpoint,
    field,
    payload,
):
    """The forms read "Rp 1.500.000"; the API takes numbers, and now says so instead of "A valid number is
    required."."""
    body = {**payload, field: "Rp 1.500.000"}
    if endpoint == "realisations":
        body["activity"] = budgeted_activity.pk
    client = as_user(finance if endpoint == "realisations" else planner)
    response = client.post(f"/api/v1/planning/{endpoint}/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": field, "message": "Send the amount as a number in Rupiah, e.g. 1500000 or 1500000.50."}
    ]
    assert not Realisation.objects.exists() and not Proposal.objects.exists()
