"""The activity charts' numbers as table rows, for "Show the numbers" under each chart: the chart data are parallel
lists (labels, then one list per series), which a template cannot walk side by side."""

from django import template

register = template.Library()


@register.filter
def progress_rows(chart: dict) -> list[dict]:
    """``planning.queries.progress_chart``'s months: financial %, physical % and time elapsed % (None: not yet)."""
    if not chart:
        return []
    return [
        {"month": month, "financial": financial, "physical": physical, "time": time}
        for month, financial, physical, time in zip(
            chart["labels"], chart["financial"], chart["physical"], chart["time"], strict=True
        )
    ]


@register.filter
def trend_rows(monthly: dict) -> list[dict]:
    """``planning.queries.service_indicators``' monthly report counts, each month before or since the start."""
    if not monthly:
        return []
    return [
        {"month": month, "count": count, "before_start": before}
        for month, count, before in zip(monthly["labels"], monthly["counts"], monthly["before_start"], strict=True)
    ]
