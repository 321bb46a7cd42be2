"""Money and percentages in the dashboards' JSON are numbers, as their counts are: activities.json wrote
"budget": "80000000.00" and "absorption": "37.5", which a script or a spreadsheet's JSON import read as text."""

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _rows(client, key: str) -> list[dict]:
    url = reverse("dashboards:export", args=["public", key, "json"])
    with time_machine.travel(NOW, tick=False):
        return client.get(url, {"tahun": "2026"}).json()["dataset"]["rows"]


def test_activity_money_and_percentages_are_numbers(client, plan):
    a1 = next(row for row in _rows(client, "activities") if row["code"] == "A1")
    assert a1["budget"] == 80_000_000 and type(a1["budget"]) is int  # whole Rupiah: an integer
    assert a1["realised"] == 30_000_000 and a1["absorption"] == 37.5 and a1["physical"] == 25


def test_programme_money_and_percentages_are_numbers(client, plan):
    cleaning = next(row for row in _rows(client, "programmes") if row["code"] == "P-DLH-01")
    assert cleaning["budget"] == 130_000_000 and cleaning["realised"] == 80_000_000
    assert cleaning["absorption"] == 61.5


def test_cents_stay_cents():
    import json
    from decimal import Decimal

    from dashboards.views import OpenDataJSONEncoder

    assert json.loads(json.dumps({"x": Decimal("1250000.50")}, cls=OpenDataJSONEncoder)) == {"x": 1250000.5}
