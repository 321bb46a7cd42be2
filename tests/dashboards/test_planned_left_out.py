"""The public activities and programmes tables say how many activities they leave out as still planned (a data
journalist's walk: the table ended "Total … 20 activities" while 4 planned ones, with indicative ceilings and linked
reports, were missing, and neither the page nor the JSON's note said so; the programmes' budgets left them out too,
unsaid, beside the activities table's note). Both say it in the same words."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}
ONE_LEFT_OUT = "1 activity still planned, without a budget in force yet, is left out of these figures"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _note(client, key: str = "activities", **extra) -> str:
    url = reverse("dashboards:export", args=["public", key, "json"])
    return client.get(url, {**FILTERS, **extra}, HTTP_ACCEPT_LANGUAGE="en").json()["dataset"]["note"]


def test_the_page_and_the_json_say_how_many_planned_activities_are_not_listed(client, plan, frozen):
    page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    card = page.content.decode().split('data-table="activities"', 1)[1].split('data-table="you_asked_we_did"', 1)[0]
    assert ONE_LEFT_OUT in card  # A3, planned (PUPR), beside A1 and A2
    assert "Kegiatan A3" not in card
    note = _note(client)
    assert note.startswith(ONE_LEFT_OUT) and "the dates, kecamatan, kelurahan and service" in note  # then the plan's


def test_the_count_follows_the_department_and_the_plural(client, plan, frozen):
    from planning.models import Activity

    assert "still planned" not in _note(client, department="dlh")  # DLH has none planned: nothing to say
    assert _note(client, department="pupr").startswith(ONE_LEFT_OUT)
    Activity.objects.create(
        fiscal_year=plan["year"],
        code="A4",
        name="Kegiatan A4",
        department=plan["A1"].department,
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 12, 31),
        stage="planned",
    )
    assert _note(client).startswith(
        "2 activities still planned, without a budget in force yet, are left out of these figures; each one's page "
        "in the plan"
    )
    assert _note(client, "programmes").startswith("2 activities still planned")


def test_the_programmes_table_says_it_leaves_them_out_too(client, plan, frozen):
    page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    card = page.content.decode().split('data-table="programmes"', 1)[1].split('data-table="activities"', 1)[0]
    assert ONE_LEFT_OUT in card  # A3's programme (Jalan Kota) is not among the programmes
    assert "Jalan Kota" not in card
    # Said above the plan's figures too, before the chart a reader looks at first.
    assert ONE_LEFT_OUT in page.content.decode().split('id="plan-scope">', 1)[1].split("</p>", 1)[0]
    assert _note(client, "programmes") == _note(client)  # the same words, then the plan's note
    assert "still planned" not in _note(client, "programmes", department="dlh")
