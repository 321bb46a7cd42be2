"""Chart specifications say what their bars are, and why a bar is missing."""

from django.utils import translation

from dashboards import charts
from dashboards.queries.base import Table

WINDOWS = [
    ("response", "Verified on time", 30),
    ("response", "Verified on time", 90),
    ("resolution", "Resolved on time", 30),
    ("resolution", "Resolved on time", 90),
]


def test_an_sla_window_with_too_few_tickets_says_so_instead_of_showing_an_empty_slot():
    rates = [92.0, 95.5, None, 61.0]
    rows = [
        {"measure": measure, "label": label, "days": days, "met": 0, "missed": 0, "rate": rate}
        for (measure, label, days), rate in zip(WINDOWS, rates, strict=True)
    ]
    with translation.override("en"):
        spec = charts.sla(Table("sla", "SLA", [("label", "Measure")], rows))
    assert spec["labels"] == [
        "Verified on time, last 30 days",
        "Verified on time, last 90 days",
        "Resolved on time, last 30 days (too few tickets)",
        "Resolved on time, last 90 days",
    ]
    assert spec["datasets"][0]["data"] == rates
