"""Loads Banjarmasin's kecamatan and kelurahan from the shipped GeoJSON (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext

from .geo import polygon_contains, polygons_of, reset_index
from .models import Area

# Where the boundaries come from: names, licence and decree, the same in every language.
BOUNDARY_SOURCE = "cahyadsn/wilayah_boundaries (MIT, (c) 2024 Cahya DSN), Kepmendagri 100.1.1-6117/2022"


def _boundary_attribution() -> str:
    return gettext("Boundaries: %(source)s") % {"source": BOUNDARY_SOURCE}


# The attribution in the language of the request that shows it (the REST API, the dashboards' header, the maps' page
# strings); it said "Batas wilayah: …" on English pages too.
BOUNDARY_ATTRIBUTION = lazy(_boundary_attribution, str)()
GEOJSON_PATH = Path(__file__).resolve().parent / "data" / "banjarmasin_wilayah.geojson"


def _bbox(geometry: dict) -> tuple[float, float, float, float]:
    lngs, lats = [], []
    for polygon in polygons_of(geometry):
        for x, y in polygon[0]:
            lngs.append(x)
            lats.append(y)
    return min(lats), max(lats), min(lngs), max(lngs)


def interior_point(geometry: dict) -> tuple[float, float]:
    """A point (lat, lng) guaranteed inside the geometry: the middle of the widest
    inside stretch of a horizontal scan line. (The source centroids are not always inside.)"""
    best = None
    for polygon in polygons_of(geometry):
        ring = polygon[0]
        lats = [y for _, y in ring]
        low, high = min(lats), max(lats)
        for step in range(1, 40):
            y = low + (high - low) * step / 40
            xs = []
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                if (y1 > y) != (y2 > y):
                    xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
            xs.sort()
            for a, b in zip(xs[0::2], xs[1::2]):
                mid = (a + b) / 2
                if b - a > (best[0] if best else 0) and polygon_contains(polygon, mid, y):
                    best = (b - a, y, mid)
    if best is None:
        raise ValueError("no interior point found")
    return best[1], best[2]


# What the shipped file alone decides about an area: its kind, kecamatan and boundary (read-only in the admin, and
# locate() must agree with them). A later release that corrects a boundary brings it to every installation.
SHIPPED_FIELDS = ("level", "parent", "boundary", "min_lat", "max_lat", "min_lng", "max_lng", "label_lat", "label_lng")


def _value(source, name: str):
    """A shipped field of an Area row or of the ``shipped`` dict, the parent as its primary key."""
    if not isinstance(source, dict):
        return getattr(source, "parent_id" if name == "parent" else name)
    value = source[name]
    return value.pk if name == "parent" and value is not None else value


@transaction.atomic
def load_areas(path: Path = GEOJSON_PATH) -> dict[str, int]:
    """Create every area missing from the file; bring an existing one's boundary (and kind, kecamatan) up to the file
    where it differs. Its name is given once, when it is created: the administrator may rename an area in the admin,
    and the release step (``seed_city``) must not put the old name back. Returns counts of created, updated and
    unchanged rows."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    features = sorted(
        data["features"], key=lambda f: (f["properties"]["level"] != "kecamatan", f["properties"]["code"])
    )
    existing = {area.code: area for area in Area.objects.all()}
    created = updated = unchanged = 0
    by_code: dict[str, Area] = {}
    for feature in features:
        props = feature["properties"]
        geometry = feature["geometry"]
        min_lat, max_lat, min_lng, max_lng = _bbox(geometry)
        label_lat, label_lng = interior_point(geometry)
        parent = by_code.get(props.get("kecamatan_code")) if props["level"] == "kelurahan" else None
        shipped = {
            "level": props["level"],
            "parent": parent,
            "boundary": geometry,
            "min_lat": min_lat,
            "max_lat": max_lat,
            "min_lng": min_lng,
            "max_lng": max_lng,
            "label_lat": label_lat,
            "label_lng": label_lng,
        }
        area = existing.get(props["code"])
        if area is None:
            area = Area.objects.create(code=props["code"], name=props["name"], **shipped)
            created += 1
        else:
            changed = [name for name in SHIPPED_FIELDS if _value(area, name) != _value(shipped, name)]
            for name in changed:
                setattr(area, name, shipped[name])
            if not area.name.strip():
                area.name = props["name"]
                changed.append("name")
            if changed:
                area.save(update_fields=changed)
                updated += 1
            else:
                unchanged += 1
        by_code[area.code] = area
    transaction.on_commit(reset_index)
    return {"created": created, "updated": updated, "unchanged": unchanged}


def boundaries_geojson(level: str = Area.Level.KELURAHAN) -> dict:
    """The areas of one level as a GeoJSON FeatureCollection, for maps. Its ``attribution`` is the source alone: the
    document is cached and served alike to every language, so the page says "Boundaries" in its own words
    (``services.templatetags.map_strings``, read by static/js/map-common.js)."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "id": area.pk,
                "code": area.code,
                "name": area.name,
                "kecamatan": area.parent.name if area.parent_id else "",
            },
            "geometry": area.boundary,
        }
        for area in Area.objects.filter(level=level).select_related("parent")
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "attribution": BOUNDARY_SOURCE,
    }
