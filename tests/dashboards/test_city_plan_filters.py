"""The city page's evaluation grades and its kecamatan money follow the department chosen, as the rest of the page,
and the kecamatan money says it is city-wide when a kecamatan is chosen (found in the flood-surge walk: with Dinas
PUPR chosen the grades were DLH's, and beside Banjarmasin Utara's tickets every other kecamatan kept its budget).

The plan (``conftest.plan``): DLH's A2 is graded "high", PUPR has no graded activity; in Banjarmasin Tengah DLH's
A1 and A2 (80 M and 50 M) and half of PUPR's A3 (100 M), in Banjarmasin Selatan the other half."""

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}
TENGAH = "63.71.05"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _export(client, key: str, fmt: str, **extra):
    url = reverse("dashboards:export", args=["city", key, fmt])
    return client.get(url, {**FILTERS, **extra}, HTTP_ACCEPT_LANGUAGE="en")


def _grades(client, **extra) -> dict:
    return {
        row["grade"]: row["n"]
        for row in _export(client, "evaluation_grades", "json", **extra).json()["dataset"]["rows"]
    }


def test_the_grades_follow_the_department_chosen_and_say_what_they_cover(client, inspector, plan, frozen):
    client.force_login(inspector)
    assert _grades(client)["high"] == 1
    assert _grades(client, department="dlh")["high"] == 1
    assert set(_grades(client, department="pupr").values()) == {0}
    # On the page, too: PUPR's grades chart has nothing to draw.
    page = client.get(reverse("dashboards:city"), {**FILTERS, "department": "pupr"}, HTTP_ACCEPT_LANGUAGE="en")
    assert {row["grade"]: row["n"] for row in page.context["tables"]["evaluation_grades"].rows}["high"] == 0
    grades = page.content.decode().split('data-table="evaluation_grades"', 1)[1].split("</details>", 1)[0]
    # Like the plan's other tables: the year and department narrow the grades, not the dates or the place.
    assert "the dates, kecamatan, kelurahan and service chosen do not apply to them" in grades
    answer = _export(client, "evaluation_grades", "json", department="pupr", kecamatan=TENGAH)
    assert answer.json()["filters"] == {"tahun": "2026", "department": "pupr"}


def test_the_kecamatan_money_follows_the_department_chosen(client, inspector, plan, frozen):
    client.force_login(inspector)

    def budgets(**extra) -> dict:
        rows = _export(client, "kecamatan", "json", **extra).json()["dataset"]["rows"]
        return {row["kecamatan"]: Decimal(str(row["budget"])) for row in rows if row["budget"]}

    assert budgets() == {"Banjarmasin Tengah": Decimal("230000000"), "Banjarmasin Selatan": Decimal("100000000")}
    assert budgets(department="pupr") == {
        "Banjarmasin Tengah": Decimal("100000000"),
        "Banjarmasin Selatan": Decimal("100000000"),
    }
    assert budgets(department="dlh") == {"Banjarmasin Tengah": Decimal("130000000")}


def test_with_a_kecamatan_chosen_the_money_columns_say_they_are_city_wide(client, inspector, plan, frozen):
    client.force_login(inspector)
    whole = client.get(reverse("dashboards:city"), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = whole.split('data-table="kecamatan"', 1)[1].split("</thead>", 1)[0]
    assert '<th scope="col">Budget</th>' in table and "city-wide" not in table

    narrowed = client.get(reverse("dashboards:city"), {**FILTERS, "kecamatan": TENGAH}, HTTP_ACCEPT_LANGUAGE="en")
    table = narrowed.content.decode().split('data-table="kecamatan"', 1)[1]
    head = table.split("</thead>", 1)[0]
    for heading in ("Budget (city-wide)", "Realised (city-wide)", "Budget absorption (city-wide, %)"):
        assert f'<th scope="col">{heading}</th>' in head
    note = table.split("</table>", 1)[1].split("</details>", 1)[0]
    assert "the money follows only the year and the department, not the dates, kecamatan, kelurahan or service" in note
    # Banjarmasin Selatan was not chosen: no tickets counted there, its budget still shown.
    rows = {row["kecamatan"]: row for row in narrowed.context["tables"]["kecamatan"].rows}
    assert rows["Banjarmasin Selatan"]["tickets"] == 0 and rows["Banjarmasin Selatan"]["budget"] == Decimal("100000000")
    header = next(
        csv.reader(io.StringIO(_export(client, "kecamatan", "csv", kecamatan=TENGAH).content.decode("utf-8-sig")))
    )
    assert header == [
        "Kecamatan",
        "Tickets",
        "Budget (city-wide) (Rp)",
        "Realised (city-wide) (Rp)",
        "Budget absorption (city-wide, %)",
        "Computed at (WITA)",
    ]
