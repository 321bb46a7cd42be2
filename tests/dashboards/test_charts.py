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


def test_sla_bars_are_horizontal_so_their_long_names_are_not_slanted():
    rows = [{"measure": m, "label": label, "days": d, "met": 0, "missed": 0, "rate": 50.0} for m, label, d in WINDOWS]
    assert charts.sla(Table("sla", "SLA", [], rows))["horizontal"] is True


def test_programmes_are_named_with_the_code_and_full_name_in_the_tooltip():
    from dashboards.plan_charts import build

    rows = [
        {"code": "1.01.02", "programme": "Program Pengelolaan Pendidikan", "budget": 5, "realised": 2},
        {"code": "1.03.10", "programme": "Program Penyelenggaraan Jalan", "budget": 3, "realised": 1},
    ]
    spec = build({"programmes": Table("programmes", "Programmes", [], rows)})["programmes"]
    assert spec["labels"] == ["Program Pengelolaan Pendidikan", "Program Penyelenggaraan Jalan"]
    assert spec["tooltips"] == ["1.01.02 Program Pengelolaan Pendidikan", "1.03.10 Program Penyelenggaraan Jalan"]


def test_indicators_of_different_activities_are_told_apart():
    from dashboards.plan_charts import build

    same = "Pengaduan warga terkait per bulan"
    rows = [
        {"activity": "2.11.01", "activity_name": "TPS 3R Banjarmasin Timur", "indicator": same, "achievement": 80},
        {"activity": "2.11.02", "activity_name": "Pembersihan eceng gondok", "indicator": same, "achievement": 40},
    ]
    spec = build({"indicators": Table("indicators", "Indicators", [], rows)})["indicators"]
    assert spec["labels"] == [f"TPS 3R Banjarmasin Timur: {same}", f"Pembersihan eceng gondok: {same}"]
    assert len(set(spec["labels"])) == 2
    assert spec["tooltips"][0] == f"2.11.01 TPS 3R Banjarmasin Timur: {same}"


def test_escalation_bars_name_department_and_level():
    rows = [{"department": "DLH", "level": 1, "n": 3}, {"department": "DLH", "level": 2, "n": 1}]
    with translation.override("en"):
        spec = charts.escalations(Table("escalations", "Escalations", [], rows))
    assert spec["labels"] == ["DLH, level 1", "DLH, level 2"]


def test_service_names_follow_the_page_language():
    rows = [{"code": "s", "service": "Sampah menumpuk", "service_en": "Uncollected rubbish", "n": 4}]
    table = Table("top_services", "Top", [], rows)
    with translation.override("en"):
        assert charts.top_services(table)["labels"] == ["Uncollected rubbish"]
    with translation.override("id"):
        assert charts.top_services(table)["labels"] == ["Sampah menumpuk"]


def test_a_departments_bar_is_as_long_as_its_tickets_and_open_ones_are_not_counted_twice():
    rows = [{"department": "DLH", "total": 40, "open": 10}, {"department": "PUPR", "total": 25, "open": 25}]
    spec = charts.department_volumes(Table("departments", "Departments", [], rows))
    longest = [max(bars) for bars in zip(*(d["data"] for d in spec["datasets"]), strict=True)]
    drawn = [sum(bars) for bars in zip(*(d["data"] for d in spec["datasets"]), strict=True)]
    assert (drawn if spec["stacked"] else longest) == [40, 25]


def test_money_series_are_marked_so_tooltips_write_rupiah():
    rows = [{"programme": "Drainase", "budget": 2352000000, "realised": 1000, "absorption": 0.1}]
    table = Table("programmes", "Programmes", [("programme", "Programme")], rows)
    spec = charts.chart(
        table,
        kind="bar",
        label_key="programme",
        series=[("budget", "Budget"), ("realised", "Realised"), ("absorption", "Absorption %")],
    )
    assert [d["money"] for d in spec["datasets"]] == [True, True, False]
