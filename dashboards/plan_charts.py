"""Chart.js specifications for the planning tables."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .charts import chart

ACTIVITY_CHART_LIMIT = 25


def _joined(separator: str, *parts) -> str:
    return separator.join(str(part) for part in parts if part)


def _coded(row: dict, code: str, name: str) -> str:
    """A tooltip's full title: the code and the whole name (the bar's label may be shortened)."""
    return _joined(" ", row.get(code), row.get(name))


def _indicator(row: dict) -> str:
    """Activity and indicator: several activities measure the same thing ("complaints per month")."""
    return _joined(": ", row.get("activity_name"), row.get("indicator"))


def build(tables: dict) -> dict:
    specs = {}
    if "activities" in tables:
        table = tables["activities"]
        top = type(table)(table.key, table.title, table.columns, table.rows[:ACTIVITY_CHART_LIMIT])
        specs["activities"] = chart(
            top,
            kind="bar",
            label_key="activity",
            tooltip_of=lambda row: _coded(row, "code", "activity"),
            horizontal=True,
            series=[
                ("absorption", _("Budget absorption (%)")),
                ("physical", _("Physical progress (%)")),
                ("time_elapsed", _("Time elapsed (%)")),
            ],
        )
    if "indicators" in tables:
        specs["indicators"] = chart(
            tables["indicators"],
            kind="bar",
            label_of=_indicator,
            tooltip_of=lambda row: _joined(" ", row.get("activity"), _indicator(row)),
            horizontal=True,
            series=[("achievement", _("Achievement (%)"))],
        )
        specs["indicators"]["max"] = 100
    if "plan_stages" in tables:
        specs["plan_stages"] = chart(
            tables["plan_stages"], kind="bar", label_key="label", series=[("n", _("Activities"))]
        )
    if "absorption_department" in tables:
        specs["absorption_department"] = chart(
            tables["absorption_department"],
            kind="bar",
            label_key="department",
            horizontal=True,
            series=[("absorption", _("Budget absorption (%)"))],
        )
    if "evaluation_grades" in tables:
        specs["evaluation_grades"] = chart(
            tables["evaluation_grades"], kind="bar", label_key="label", series=[("n", _("Activities"))]
        )
    if "programmes" in tables:
        specs["programmes"] = chart(
            tables["programmes"],
            kind="bar",
            label_key="programme",
            tooltip_of=lambda row: _coded(row, "code", "programme"),
            horizontal=True,
            series=[("budget", _("Budget")), ("realised", _("Realised"))],
        )
    return specs
