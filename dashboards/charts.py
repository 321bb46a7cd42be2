"""Chart.js specifications built from the dashboard tables (presentation only: no figures computed here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaints.models import OPEN_STATUSES, Status

from .queries.base import MONEY_COLUMNS
from .queries.figures import MERGED_LABEL, partial_week

PALETTE = ["#0d6efd", "#198754", "#fd7e14", "#dc3545", "#6f42c1", "#20c997", "#6c757d", "#ffc107"]


def _num(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _text(value) -> str:
    return "" if value is None else str(value)


def chart(
    table,
    *,
    kind: str,
    label_key: str = "",
    series: list[tuple[str, str]],
    stacked=False,
    horizontal=False,
    title=None,
    label_of: Callable[[dict], str] | None = None,
    tooltip_of: Callable[[dict], str] | None = None,
) -> dict:
    """A Chart.js config: one dataset per (column, label) in ``series``.

    A bar's label is ``row[label_key]``, or ``label_of(row)`` when a column alone does not tell the bars apart;
    ``tooltip_of(row)`` gives the tooltip's fuller title ("tooltips"). The script shortens and wraps the labels
    to the width it has and shows every one of them, so the full text must stay available there.
    """
    rows = table.rows
    label_of = label_of or (lambda row: row.get(label_key))
    spec = {
        "key": table.key,
        "title": str(title or table.title),
        "type": kind,
        "stacked": stacked,
        "horizontal": horizontal,
        "labels": [_text(label_of(row)) for row in rows],
        "datasets": [
            {
                "label": str(label),
                "data": [_num(row.get(column)) for row in rows],
                "backgroundColor": PALETTE[index % len(PALETTE)],
                "borderColor": PALETTE[index % len(PALETTE)],
                "money": column in MONEY_COLUMNS,
            }
            for index, (column, label) in enumerate(series)
        ],
    }
    if tooltip_of is not None:
        spec["tooltips"] = [_text(tooltip_of(row)) for row in rows]
    return spec


def in_language(row: dict, key: str) -> str:
    """``row[key]``, or its English twin ``row[key + "_en"]`` on an English page when there is one."""
    english = (get_language() or "").startswith("en") and row.get(f"{key}_en")
    return english or row.get(key)


def _week_label(row: dict) -> str:
    """The week's Monday as the page's other dates ("2 Feb 2026"), not ISO. A page cached before weeks were dates
    (up to 5 minutes after an upgrade) still holds ISO strings: shown as they are."""
    week = row["week"]
    # A partial week says so: its lower counts would read as a drop in reports.
    return partial_week(week if isinstance(week, str) else date_format(week), row.get("days", 7))


def weekly(table) -> dict:
    return chart(
        table,
        kind="line",
        label_of=_week_label,
        series=[("filed", _("Filed")), ("done", _("Resolved or closed")), ("merged", MERGED_LABEL)],
    )


def open_by_age(table) -> dict:
    return chart(
        table,
        kind="bar",
        label_key="label",
        stacked=True,
        series=[(status, Status(status).label) for status in OPEN_STATUSES],
    )


def sla(table) -> dict:
    """A bar per measure and window; a window with too few decided tickets has no bar, and its label says why."""
    rows = table.rows
    measured = _("%(measure)s, last %(days)s days")
    too_few = _("%(measure)s, last %(days)s days (too few tickets)")
    labels = [
        (measured if row["rate"] is not None else too_few) % {"measure": row["label"], "days": row["days"]}
        for row in rows
    ]
    # Horizontal: these labels are long, and under a vertical bar they were drawn slanted over each other.
    spec = chart(table, kind="bar", label_key="label", series=[("rate", _("On time (%)"))], horizontal=True)
    spec["labels"] = labels
    spec["max"] = 100
    return spec


def satisfaction(table) -> dict:
    return chart(table, kind="bar", label_key="score", series=[("n", _("Ratings"))])


def top_services(table) -> dict:
    return chart(
        table,
        kind="bar",
        label_of=lambda row: in_language(row, "service"),
        series=[("n", _("Tickets"))],
        horizontal=True,
    )


RATE_SERIES = [("resolution_rate", _("Resolved on time (%)")), ("response_rate", _("Verified on time (%)"))]
# A department's label when one of its two rates lacks the sample (its bar is missing, not 0).
ONE_RATE_MISSING = {
    "resolution_rate": _("%(department)s (resolved on time: too few tickets)"),
    "response_rate": _("%(department)s (verified on time: too few tickets)"),
}


def departments(table) -> dict:
    """On-time rates per department. A department below the minimum sample for both rates is left out of the chart
    and named in its note: an empty bar read as 0%. One missing a single rate keeps its other bar, and its label
    says which is missing and why."""

    def missing(row: dict) -> list[str]:
        return [column for column, _label in RATE_SERIES if row.get(column) is None]

    drawn = [row for row in table.rows if len(missing(row)) < len(RATE_SERIES)]
    left_out = [row["department"] for row in table.rows if len(missing(row)) == len(RATE_SERIES)]

    def label(row: dict) -> str:
        lacking = missing(row)
        return ONE_RATE_MISSING[lacking[0]] % {"department": row["department"]} if lacking else row["department"]

    spec = chart(replace(table, rows=drawn), kind="bar", label_of=label, horizontal=True, series=RATE_SERIES)
    spec["max"] = 100
    if left_out:
        spec["note"] = _("Not enough data to draw: %(departments)s.") % {"departments": ", ".join(left_out)}
    return spec


def department_volumes(table) -> dict:
    return chart(
        table,
        kind="bar",
        label_key="department",
        # Side by side: the open tickets are part of the total, so stacked bars would count them twice.
        horizontal=True,
        title=_("Tickets per department"),
        series=[("total", _("Tickets")), ("open", _("Open"))],
    )


def escalations(table) -> dict:
    """A bar per department and escalation level: a department waiting at two levels has two bars."""
    level = _("%(department)s, level %(level)s")
    return chart(
        table,
        kind="bar",
        label_of=lambda row: level % {"department": row["department"], "level": row["level"]},
        series=[("n", _("Tickets"))],
        horizontal=True,
    )


def plan_charts(tables: dict) -> dict:
    """Charts of the planning tables present (none until the planning app has data)."""
    from .plan_charts import build

    return build(tables)
