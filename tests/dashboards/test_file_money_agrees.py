"""A figure's files agree to the Rupiah (an Inspektorat auditor's walk): the activity page said Rp 1.545.001.000,50,
the CSV and XLSX 1545001001 (whole Rupiah), the JSON 1545001000.5. Every file now writes money in whole Rupiah."""

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}
MONEY_LABELS = {"Budget", "Realised", "Budget (planned: indicative ceiling)"}


@pytest.fixture
def cents(plan):
    """Half a Rupiah on A1's revised budget and on a payment of A2: A1 = Rp 80.000.000,50, realised 30.000.000;
    DLH's realised Rp 80.000.000,50."""
    from planning.models import BudgetLine, Realisation

    BudgetLine.objects.filter(activity=plan["A1"], version="revised", account_code="5.2.03").update(
        amount=Decimal("30000000.50")
    )
    Realisation.objects.filter(activity=plan["A2"]).update(amount=Decimal("50000000.50"))
    return plan


def _files(client, scope: str, key: str, extra=None) -> tuple[list[dict], dict]:
    url = reverse("dashboards:export", args=[scope, key, "csv"])
    with time_machine.travel(NOW, tick=False):
        csv_text = client.get(url, {**FILTERS, **(extra or {})}, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
        json_file = client.get(
            reverse("dashboards:export", args=[scope, key, "json"]),
            {**FILTERS, **(extra or {})},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    return list(csv.DictReader(io.StringIO(csv_text))), json_file.json()["dataset"]


@pytest.mark.parametrize(
    "scope,key",
    [
        ("public", "programmes"),
        ("public", "activities"),
        ("city", "absorption_department"),
        ("city", "plan_stages"),
        ("city", "kecamatan"),
        ("department", "activities"),
    ],
)
def test_the_csv_and_the_json_of_each_money_column_agree(client, inspector, cents, scope, key):
    client.force_login(inspector)
    rows, dataset = _files(client, scope, key, {"department": "dlh"} if scope == "department" else None)
    money = [column for column in dataset["columns"] if column["label"] in MONEY_LABELS]
    assert money and len(rows) == len(dataset["rows"])
    for row, json_row in zip(rows, dataset["rows"], strict=True):
        for column in money:
            value = json_row[column["key"]]
            assert isinstance(value, int), (column, value)
            assert row[f"{column['label']} (Rp)"] == str(value)


def test_the_json_gives_whole_rupiah_rounded_half_up_in_its_rows_and_totals(client, cents):
    _rows, activities = _files(client, "public", "activities")
    a1 = next(row for row in activities["rows"] if row["code"] == "A1")
    assert a1["budget"] == 80000001  # Rp 80.000.000,50
    assert activities["totals"]["budget"] == 130000001 and activities["totals"]["realised"] == 80000001
    _rows, programmes = _files(client, "public", "programmes")
    assert programmes["totals"]["realised"] == 80000001
