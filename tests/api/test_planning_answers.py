"""Planning answers true to their schema: a department's yearly evaluation (no activity) with its scores, and a
month's progress reported again (corrected, 200) until it is verified."""

import datetime as dt

import pytest

from tests.planning.conftest import budgeted_activity, fiscal_year, head_pupr, planned_activity  # noqa: F401

pytestmark = pytest.mark.django_db


def errors(response) -> list[dict]:
    return response.json()["errors"]


def fields(response) -> set:
    return {e["field"] for e in errors(response)}


def test_department_year_evaluation(
    api,
    as_user,
    inspector,
    planner,
    head_pupr,  # noqa: F811
    budgeted_activity,  # noqa: F811
    fiscal_year,  # noqa: F811
    time_machine,
):
    """A department's yearly evaluation has no activity: the schema says so (it said a required integer)."""
    from planning import actions

    # The year is evaluated after it, over work closed and evaluated.
    time_machine.move_to(dt.datetime(2027, 1, 4, 2, tzinfo=dt.UTC))
    actions.close_year(actor=head_pupr, activity=budgeted_activity, outcome="lapsed", reason="Lelang gagal.")
    actions.evaluate_activity(actor=inspector, activity=budgeted_activity, findings="-", recommendations="-")
    actions.evaluate_department_year(
        actor=inspector,
        fiscal_year=fiscal_year,
        department=budgeted_activity.department,
        findings="Serapan rendah.",
        recommendations="Percepat lelang.",
    )
    listed = as_user(planner).get("/api/v1/planning/evaluations/", {"department__code": "pupr"}).json()["results"]
    listed = [evaluation for evaluation in listed if evaluation["activity"] is None]  # not the activity's own
    assert len(listed) == 1
    evaluation = listed[0]
    assert evaluation["activity"] is None and evaluation["department"] == "pupr" and evaluation["fiscal_year"] == 2026
    assert evaluation["grade"] and evaluation["score"] is not None and "timeliness_pct" in evaluation
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    activity = schema["Evaluation"]["properties"]["activity"]
    assert activity.get("nullable") is True and activity.get("readOnly") is True
    assert {"score", "grade", "department", "fiscal_year"} <= set(schema["Evaluation"]["properties"])
    assert schema["EvaluationCreate"]["required"] == ["activity"]


def test_month_reported_again(as_user, head_pupr, planner, budgeted_activity, time_machine):  # noqa: F811
    """Reporting a month again corrects its report (200) until it is verified (400 with the action's message)."""
    time_machine.move_to(dt.datetime(2026, 12, 20, 3, tzinfo=dt.UTC))
    url = "/api/v1/planning/progress-reports/"
    client = as_user(head_pupr)
    created = client.post(url, {"activity": budgeted_activity.pk, "month": "2026-12-01", "physical_pct": "60.00"})
    assert created.status_code == 201, created.content
    # The same month by its first day (DRF's unique check refused it) or by any other day: the same report, corrected.
    for day, pct in (("2026-12-01", "70.00"), ("2026-12-15", "80.00")):
        again = client.post(url, {"activity": budgeted_activity.pk, "month": day, "physical_pct": pct})
        assert again.status_code == 200, again.content
        assert again.json()["id"] == created.json()["id"] and again.json()["physical_pct"] == pct
        assert again.json()["month"] == "2026-12-01"
    # The percentage is checked whatever the month.
    over = client.post(url, {"activity": budgeted_activity.pk, "month": "2026-12-01", "physical_pct": "150"})
    assert over.status_code == 400 and fields(over) == {"physical_pct"}
    assert as_user(planner).post(f"{url}{created.json()['id']}/verify/").status_code == 200
    verified = as_user(head_pupr).post(
        url,
        {"activity": budgeted_activity.pk, "month": "2026-12-01", "physical_pct": "90.00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert verified.status_code == 400, verified.content
    assert errors(verified) == [
        {"field": None, "message": "This month's report is already verified and cannot change."}
    ]
