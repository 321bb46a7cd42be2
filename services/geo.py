"""Where a point lies: ``locate(lat, lng)`` returns the kelurahan containing it, or None outside the city.

The kelurahan polygons are loaded from the database once per process and kept
in memory with their bounding boxes; a bounding-box prefilter leaves one or two
polygons for the exact ray-casting test, so a call costs microseconds.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

_lock = threading.Lock()
_index: list[_Shape] | None = None


@dataclass(frozen=True)
class _Shape:
    area_id: int
    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float
    # Polygons as lists of rings; each ring a tuple of (lng, lat) pairs. First ring outer, others holes.
    polygons: tuple


def polygons_of(geometry: dict) -> list[list[list[list[float]]]]:
    """Normalise a GeoJSON Polygon/MultiPolygon to a list of polygons (each a list of rings)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry {geometry['type']}")


def _ring_contains(ring, x: float, y: float) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygon_contains(polygon, lng: float, lat: float) -> bool:
    """Inside the outer ring and outside every hole."""
    if not _ring_contains(polygon[0], lng, lat):
        return False
    return not any(_ring_contains(hole, lng, lat) for hole in polygon[1:])


def geometry_contains(geometry: dict, lng: float, lat: float) -> bool:
    return any(polygon_contains(p, lng, lat) for p in polygons_of(geometry))


def _load_index() -> list[_Shape]:
    from .models import Area

    shapes = []
    for area in Area.objects.filter(level=Area.Level.KELURAHAN).only(
        "id", "boundary", "min_lat", "max_lat", "min_lng", "max_lng"
    ):
        polygons = tuple(
            tuple(tuple((float(x), float(y)) for x, y in ring) for ring in polygon)
            for polygon in polygons_of(area.boundary)
        )
        shapes.append(_Shape(area.id, area.min_lat, area.max_lat, area.min_lng, area.max_lng, polygons))
    return shapes


def reset_index() -> None:
    """Forget the cached polygons and area rows (after the area loader changed them)."""
    global _index
    from . import lookups

    with _lock:
        _index = None
    lookups.clear()


def locate_id(lat: float, lng: float) -> int | None:
    """The id of the kelurahan containing the point, or None."""
    global _index
    if lat is None or lng is None or not (math.isfinite(lat) and math.isfinite(lng)):
        return None
    index = _index
    if index is None:
        with _lock:
            if _index is None:
                _index = _load_index()
            index = _index
    for shape in index:
        if shape.min_lat <= lat <= shape.max_lat and shape.min_lng <= lng <= shape.max_lng:
            if any(polygon_contains(p, lng, lat) for p in shape.polygons):
                return shape.area_id
    return None


def locate(lat: float, lng: float):
    """The kelurahan ``Area`` containing the point, or None outside the city (a shared copy: do not change it)."""
    from . import lookups

    area_id = locate_id(lat, lng)
    return None if area_id is None else lookups.area(area_id)


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def bbox_around(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a box containing the circle; for index-friendly prefilters."""
    dlat = radius_m / 111_320.0
    dlng = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng
