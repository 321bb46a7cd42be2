"""locate(): every kelurahan finds its own interior points; nothing outside the city is located."""

import json
import random

import pytest

from services.areas import GEOJSON_PATH
from services.geo import locate, locate_id
from services.models import Area

pytestmark = pytest.mark.django_db


def _winding_number(ring, x, y) -> int:
    """An independent point-in-ring test (winding number), so the test does not reuse geo.py's ray casting."""
    wn = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1)
        if y1 <= y < y2 and cross > 0:
            wn += 1
        elif y2 <= y < y1 and cross < 0:
            wn -= 1
    return wn


def _inside(geometry, lng, lat) -> bool:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        if _winding_number(polygon[0], lng, lat) and not any(_winding_number(h, lng, lat) for h in polygon[1:]):
            return True
    return False


def _sample_inside(area: Area, rng: random.Random, count: int) -> list[tuple[float, float]]:
    """Points drawn uniformly in the bounding box and kept only when inside the polygon (rejection sampling)."""
    points = []
    for _ in range(20_000):
        lat = rng.uniform(area.min_lat, area.max_lat)
        lng = rng.uniform(area.min_lng, area.max_lng)
        if _inside(area.boundary, lng, lat):
            points.append((lat, lng))
            if len(points) == count:
                break
    return points


def test_every_kelurahan_locates_its_label_point_and_random_interior_points(city):
    rng = random.Random(6371)
    kelurahan = list(Area.objects.filter(level=Area.Level.KELURAHAN))
    assert len(kelurahan) == 52
    others = {a.pk: a for a in kelurahan}
    checked = 0
    for area in kelurahan:
        assert _inside(area.boundary, area.label_lng, area.label_lat), f"label point of {area} is outside it"
        assert locate_id(area.label_lat, area.label_lng) == area.pk, area.name
        points = _sample_inside(area, rng, 8)
        assert len(points) == 8, f"could not sample inside {area}"
        for lat, lng in points:
            found = locate_id(lat, lng)
            if found != area.pk:
                # Only acceptable where the source polygons themselves overlap.
                assert found is not None and _inside(others[found].boundary, lng, lat), (area.name, lat, lng)
            else:
                checked += 1
    assert checked >= 52 * 8 * 0.98


def test_locate_returns_the_area_with_its_kecamatan(city):
    mantuil = Area.objects.get(code="63.71.01.1001")
    found = locate(mantuil.label_lat, mantuil.label_lng)
    assert found == mantuil
    assert found.parent.code == "63.71.01"
    assert found.kecamatan.name == "Banjarmasin Selatan"


@pytest.mark.parametrize(
    "lat,lng,where",
    [
        (-3.90, 114.50, "Java Sea"),
        (-3.4420, 114.8310, "Banjarbaru"),
        (-3.4100, 114.6500, "Kabupaten Banjar, south-east of the city"),
        (-3.2300, 114.5900, "Barito Kuala, north of the city"),
        (0.0, 0.0, "null island"),
        (float("nan"), 114.59, "not a number"),
    ],
)
def test_points_outside_the_city_are_not_located(city, lat, lng, where):
    assert locate_id(lat, lng) is None, where
    assert locate(lat, lng) is None


def test_source_centroids_outside_their_own_polygon_are_not_located_to_it(city):
    """The GeoJSON's `centroid` property is not always inside its polygon: locate must not trust it."""
    features = json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))["features"]
    by_name = {f["properties"]["name"]: f for f in features if f["properties"]["level"] == "kelurahan"}
    for name in ("Kuin Selatan", "Sungai Jingah"):
        lng, lat = by_name[name]["properties"]["centroid"]
        own = Area.objects.get(code=by_name[name]["properties"]["code"])
        assert locate_id(lat, lng) != own.pk, name
        # ... while a point really inside it is.
        assert locate_id(own.label_lat, own.label_lng) == own.pk
