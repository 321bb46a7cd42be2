"""A report linked to an activity and to its continuation the next year hears of each budget separately: each plan
update on the public page names its fiscal year, so the two no longer read as the same news twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from complaints.actions.plan_updates import tell_followers_about_plan
from complaints.event_text import plan_update_message
from planning import actions
from tests.factories import make_ticket
from tests.planning.conftest import fiscal_year, fiscal_year_2027, planned_activity  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_public_page_names_the_year_of_each_budgeted_activity(
    client,
    planned_activity,  # noqa: F811
    fiscal_year_2027,  # noqa: F811
    planner,
    citizen,
):
    continuation = actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year_2027,
        code=planned_activity.code,
        name=planned_activity.name,
        department=planned_activity.department,
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    ticket = make_ticket(service="drainase-tersumbat", reporter=citizen)
    for activity in (planned_activity, continuation):
        tell_followers_about_plan(tickets=[ticket], activity=activity, stage="budgeted")

    html = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    said = (
        "The city has budgeted the activity “Normalisasi saluran drainase Kelurahan Mawar” (Dinas PUPR) for fiscal year"
    )
    assert f"{said} 2026 in answer" in html
    assert f"{said} 2027 in answer" in html


@pytest.mark.parametrize(
    ("stage", "grade", "said"),
    [
        ("completed", None, "of fiscal year 2026 that answers"),
        ("evaluated", "high", "of fiscal year 2026 that answers reports like yours: graded “High”"),
    ],
)
def test_completion_and_evaluation_name_the_year_too(stage, grade, said):
    with translation.override("en"):
        message = plan_update_message(stage=stage, activity="Drainase", department="Dinas PUPR", year=2026, grade=grade)
    assert said in message


def test_an_update_recorded_before_the_year_was_kept_reads_as_it_did():
    with translation.override("en"):
        message = plan_update_message(stage="budgeted", activity="Drainase", department="Dinas PUPR")
    assert message == "The city has budgeted the activity “Drainase” (Dinas PUPR) in answer to reports like yours."
