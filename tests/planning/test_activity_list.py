"""The year's activity list: where the planner's board and the city dashboard's stage counts lead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from planning import actions
from services.models import Area, Department

pytestmark = pytest.mark.django_db

LIST = reverse("planning:activities")


def _activity(planner, fiscal_year, code: str, department: str):
    return actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year,
        code=code,
        name=f"Kegiatan {code}",
        department=Department.objects.get(code=department),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        kelurahans=[Area.objects.get(code="63.71.05.1003")],
        services=[],
    )


@pytest.fixture
def three_activities(planner, fiscal_year, budgeted_activity):
    """PUPR: the budgeted drainage activity and a planned P2; DLH: a planned D1."""
    return {
        "budgeted": budgeted_activity,
        "P2": _activity(planner, fiscal_year, "P2", "pupr"),
        "D1": _activity(planner, fiscal_year, "D1", "dlh"),
    }


def _codes(response) -> set[str]:
    return {a.code for a in response.context["activities"]}


def test_each_stage_count_on_the_board_leads_to_exactly_those_activities(client, planner, three_activities):
    client.force_login(planner)
    board = client.get(reverse("planning:board"), {"tahun": 2026})
    page = board.content.decode()
    for value, _label, count in board.context["stages"]:
        link = f"{LIST}?tahun=2026&amp;tahap={value}"
        assert f'href="{link}"' in page
        listed = client.get(LIST, {"tahun": 2026, "tahap": value})
        assert listed.status_code == 200
        assert len(listed.context["activities"]) == count, value
    planned = client.get(LIST, {"tahun": 2026, "tahap": "planned"})
    assert _codes(planned) == {"P2", "D1"}
    assert _codes(client.get(LIST, {"tahun": 2026, "tahap": "budgeted"})) == {three_activities["budgeted"].code}


def test_the_list_narrows_to_a_department_and_adds_up_its_budget(
    client, finance, three_activities, django_assert_max_num_queries
):
    client.force_login(finance)
    with django_assert_max_num_queries(12):
        everything = client.get(LIST, {"tahun": 2026})
    assert _codes(everything) == {three_activities["budgeted"].code, "P2", "D1"}
    pupr = client.get(LIST, {"tahun": 2026, "dinas": "pupr"})
    assert _codes(pupr) == {three_activities["budgeted"].code, "P2"}
    assert pupr.context["total_budget"] == 1_500_000_000
    page = pupr.content.decode()
    assert (
        "Budget: <strong>Rp\xa01.500.000.000</strong>" in page
        or "Anggaran: <strong>Rp\xa01.500.000.000</strong>" in page
    )
    assert 'value="pupr" selected' in page  # the choice stays shown
    both = client.get(LIST, {"tahun": 2026, "dinas": "dlh", "tahap": "budgeted"})
    assert both.status_code == 200 and _codes(both) == set()
    client.cookies["django_language"] = "en"
    assert (
        "No activity of this year matches these choices."
        in client.get(LIST, {"dinas": "dlh", "tahap": "budgeted"}).content.decode()
    )


def test_an_unknown_stage_is_named_and_lists_nothing(client, planner, three_activities):
    client.force_login(planner)
    client.cookies["django_language"] = "en"
    response = client.get(LIST, {"tahun": 2026, "tahap": "finished"})
    assert response.status_code == 400
    assert response.context["activities"] == []
    assert 'id="filter-error"' in response.content.decode()
    assert response.context["error"].startswith("Stage: Select a valid choice.")


def test_citizens_cannot_open_the_activity_list(client, citizen, fiscal_year):
    client.force_login(citizen)
    assert client.get(LIST).status_code == 403
