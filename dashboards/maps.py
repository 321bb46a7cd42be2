"""What the choropleth maps draw: counts per area and the colour classes of their legend (presentation only).

The classes are worked out here rather than in the browser so that every colour has its own range of
whole numbers whatever the data: the script used to cut ``max`` into fractions and round each edge up, so
small maxima gave two colours the same label ("1+", "1+") and the colours did not match the legend.
"""

from __future__ import annotations

from django.utils.formats import date_format, number_format

# Light to dark (ColorBrewer Oranges); the first is for areas with nothing.
COLOURS = ["#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"]


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def classes(values) -> list[dict]:
    """Legend classes for counts: 0 on its own, then up to ``len(COLOURS) - 1`` consecutive, non-overlapping
    ranges of whole numbers from 1 to the largest value, as equal as whole numbers allow.

    Each class is ``{"low", "high", "label", "colour"}``; an area takes the first class whose ``high`` is not
    below its value. Fewer values than colours give one class per value, coloured from across the scale
    (the largest is always the darkest); all zero gives the one class "0".
    """
    top = max((int(-(-value // 1)) for value in values), default=0)  # whole numbers; a fraction rounds up
    found = [{"low": 0, "high": 0, "label": "0", "colour": COLOURS[0]}]
    count = min(len(COLOURS) - 1, max(top, 0))
    lows = [1 + (i * top) // count for i in range(count)]  # strictly increasing, since top >= count
    for i, low in enumerate(lows):
        high = lows[i + 1] - 1 if i + 1 < count else top
        shade = len(COLOURS) - 1 if count == 1 else 1 + round(i * (len(COLOURS) - 2) / (count - 1))
        found.append(
            {
                "low": low,
                "high": high,
                "label": _number(low) if low == high else f"{_number(low)}–{_number(high)}",
                "colour": COLOURS[shade],
            }
        )
    return found


def map_data(tables: dict) -> dict:
    """What the maps draw, keyed by area id (the boundaries' ``id`` property), with each map's legend classes."""
    data = {"map_values": {}, "map_points": [], "kecamatan_values": {}, "kecamatan_spending": {}}
    if "kelurahan" in tables:
        data["map_values"] = {row["id"]: row["n"] for row in tables["kelurahan"].rows}
    if "map" in tables:
        # The popups write the filing day as every other date (the site's DATE_FORMAT), not ISO; once per distinct
        # day: 1,000 points span a few months, and formatting each cost ~14 ms a page.
        days: dict = {}
        for row in tables["map"].rows:
            if row["filed"] not in days:
                days[row["filed"]] = date_format(row["filed"])
        data["map_points"] = [
            {
                **{k: row[k] for k in ("reference", "service", "status_label", "kelurahan", "lat", "lng")},
                "filed": days[row["filed"]],
            }
            for row in tables["map"].rows
        ]
    if "kecamatan" in tables:
        data["kecamatan_values"] = {row["id"]: row["tickets"] for row in tables["kecamatan"].rows}
        data["kecamatan_spending"] = {row["id"]: float(row["realised"] or 0) for row in tables["kecamatan"].rows}
    data["map_classes"] = classes(data["map_values"].values())
    data["kecamatan_classes"] = classes(data["kecamatan_values"].values())
    return data
