"""Planning objects through the REST API: city staff only, and writes obey the planning actions' role rules."""

import pytest

from planning.models import Indicator, ProgressReport, Proposal, Realisation
from tests.planning.conftest import budgeted_activity, fiscal_year, head_pupr, planned_activity  # noqa: F401

pytestmark = pytest.mark.django_db

ENDPOINTS = ["proposals", "activities", "budget-lines", "realisations", "progress-reports", "indicators", "evaluations"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_planning_is_for_city_staff(api, as_user, citizen, planner, budgeted_activity, endpoint):  # noqa: F811
    anonymous = api.get(f"/api/v1/planning/{endpoint}/")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"
    refused = as_user(citizen).get(f"/api/v1/planning/{endpoint}/")
    assert refused.status_code == 403 and refused.json()["errors"][0]["message"]
    assert as_user(planner).get(f"/api/v1/planning/{endpoint}/").status_code == 200


def test_every_planning_operation_documents_its_refusals(api, city):
    """An integration reading the schema learns that it must sign in (401) and hold a planning role (403)."""
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = [
        (f"{method.upper()} {path}", set(operation["responses"]))
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/planning/")
        for method, operation in methods.items()
    ]
    assert len(operations) == 21  # with POST activities/{id}/close-year/
    assert [name for name, codes in operations if not {"401", "403"} <= codes] == []


def test_activities_and_budget_lines(as_user, finance, budgeted_activity):  # noqa: F811
    client = as_user(finance)
    activity = client.get(f"/api/v1/planning/activities/{budgeted_activity.pk}/").json()
    assert activity["department"] == "pupr" and activity["kelurahans"] == ["63.71.05.1003"]
    lines = client.get("/api/v1/planning/budget-lines/", {"activity": budgeted_activity.pk}).json()["results"]
    assert {line["version"] for line in lines} == {"indicative", "original"}
    original = next(line for line in lines if line["version"] == "original")
    assert original["amount"] == "1500000000.00"


def test_proposal_entered_by_a_planner_not_a_citizen(as_user, planner, citizen, fiscal_year):  # noqa: F811
    payload = {
        "fiscal_year": fiscal_year.year,
        "source": Proposal.Source.values[0],
        "title": "Normalisasi drainase Jl. Veteran",
        "problem": "Genangan setiap hujan.",
        "area": "63.71.05.1003",
        "department": "pupr",
        "estimated_cost": "250000000.00",
    }
    assert as_user(citizen).post("/api/v1/planning/proposals/", payload, format="json").status_code == 403
    response = as_user(planner).post("/api/v1/planning/proposals/", payload, format="json")
    assert response.status_code == 201, response.content
    assert Proposal.objects.get().proposer == planner


def test_realisation_by_head_or_finance_only(as_user, head_pupr, staff_dlh, budgeted_activity):  # noqa: F811
    payload = {
        "activity": budgeted_activity.pk,
        "date": "2026-03-31",
        "amount": "50000000.00",
        "document_number": "SP2D-0042",
    }
    refused = as_user(staff_dlh).post("/api/v1/planning/realisations/", payload, format="json")
    assert refused.status_code == 403
    response = as_user(head_pupr).post("/api/v1/planning/realisations/", payload, format="json")
    assert response.status_code == 201, response.content
    assert Realisation.objects.get().document_number == "SP2D-0042"


def test_progress_report_and_stage_rule(as_user, head_pupr, planned_activity):  # noqa: F811
    payload = {"activity": planned_activity.pk, "month": "2026-03-01", "physical_pct": "35.00"}
    early = as_user(head_pupr).post("/api/v1/planning/progress-reports/", payload, format="json")
    assert early.status_code == 400  # not budgeted yet: the action's stage rule, in the API's error body
    assert early.json()["errors"][0]["message"]
    assert not ProgressReport.objects.exists()


def test_indicator_by_planner(as_user, planner, head_pupr, planned_activity):  # noqa: F811
    payload = {
        "activity": planned_activity.pk,
        "level": Indicator.Level.values[0],
        "description": "Genangan berkurang",
        "unit": "laporan/bulan",
        "baseline": "14.00",
        "target": "3.00",
        "direction": "decrease",
    }
    assert as_user(head_pupr).post("/api/v1/planning/indicators/", payload, format="json").status_code == 403
    assert as_user(planner).post("/api/v1/planning/indicators/", payload, format="json").status_code == 201
    assert Indicator.objects.count() == 1


def test_close_year_through_the_api(as_user, head_pupr, head_dlh, planner, budgeted_activity, time_machine):  # noqa: F811
    """The year-end close is the same action as on the activity page: the same roles, the same refusals with their
    fields, and the activities then name each other (``carried_over_from``, ``continuation``)."""
    import datetime as dt

    from planning.models import Activity, FiscalYear

    time_machine.move_to(dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC))
    next_year = FiscalYear.objects.create(
        year=2027,
        **{
            f.name: getattr(budgeted_activity.fiscal_year, f.name).replace(
                year=getattr(budgeted_activity.fiscal_year, f.name).year + 1
            )
            for f in FiscalYear._meta.fields
            if f.get_internal_type() == "DateField"
        },
    )
    url = f"/api/v1/planning/activities/{budgeted_activity.pk}/close-year/"
    payload = {"outcome": "carried_over", "reason": "Kontraktor terlambat."}
    assert as_user(head_dlh).post(url, payload, format="json").status_code == 403
    missing = as_user(head_pupr).post(url, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 400
    assert {e["field"] for e in missing.json()["errors"]} == {"start_date", "end_date"}
    assert all("2027" in e["message"] for e in missing.json()["errors"])
    unknown = as_user(planner).post(url, {"outcome": "later", "reason": "-"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "outcome"
    assert not Activity.objects.filter(fiscal_year=next_year).exists()

    done = as_user(head_pupr).post(url, payload | {"start_date": "2027-02-01", "end_date": "2027-06-30"}, format="json")
    assert done.status_code == 200, done.content
    new = Activity.objects.get(fiscal_year=next_year)
    assert done.json()["stage"] == "carried_over" and done.json()["continuation"] == new.pk
    assert done.json()["carried_over_from"] is None
    read = as_user(planner).get(f"/api/v1/planning/activities/{new.pk}/").json()
    assert read["carried_over_from"] == budgeted_activity.pk and read["continuation"] is None
    again = as_user(head_pupr).post(url, payload, format="json")
    assert again.status_code == 400  # closed already: the action's stage rule
