"""The release step runs seed_city (and so load_areas) on every deploy: an area the administrator renamed in the admin
keeps its name, while a boundary a later release corrects still arrives."""

import copy
import json

import pytest
from django.core.management import call_command

from services.areas import GEOJSON_PATH, load_areas
from services.models import Area, RoutingRule

pytestmark = pytest.mark.django_db

KELURAHAN = "63.71.01.1001"  # Mantuil


def test_a_kelurahan_renamed_in_the_admin_keeps_its_name_through_seed_city(administrator, client, capsys):
    area = Area.objects.get(code=KELURAHAN)
    client.force_login(administrator)
    response = client.post(f"/admin/services/area/{area.pk}/change/", {"name": "Mantuil Raya"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Area.objects.get(code=KELURAHAN).name == "Mantuil Raya"

    capsys.readouterr()
    call_command("seed_city")
    output = capsys.readouterr().out

    assert Area.objects.get(code=KELURAHAN).name == "Mantuil Raya"
    assert "Areas: 0 created, 0 updated, 57 unchanged." in output


def test_a_corrected_boundary_arrives_and_the_name_stays(city, tmp_path):
    Area.objects.filter(code=KELURAHAN).update(name="Mantuil Raya")
    before = Area.objects.get(code=KELURAHAN).min_lng
    data = json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if f["properties"]["code"] == KELURAHAN)
    corrected = copy.deepcopy(feature["geometry"])
    # A release moves the boundary a little to the east.
    for polygon in corrected["coordinates"] if corrected["type"] == "MultiPolygon" else [corrected["coordinates"]]:
        for ring in polygon:
            for point in ring:
                point[0] += 0.001
    feature["geometry"] = corrected
    shipped = tmp_path / "wilayah.geojson"
    shipped.write_text(json.dumps(data), encoding="utf-8")

    counts = load_areas(shipped)

    assert counts == {"created": 0, "updated": 1, "unchanged": 56}
    area = Area.objects.get(code=KELURAHAN)
    assert area.name == "Mantuil Raya"
    assert area.boundary == corrected
    assert area.min_lng == pytest.approx(before + 0.001)
    assert area.parent.code == "63.71.01"


def test_a_fresh_database_gets_the_shipped_names(db):
    RoutingRule.objects.all().delete()
    Area.objects.filter(level="kelurahan").delete()
    Area.objects.all().delete()

    assert load_areas() == {"created": 57, "updated": 0, "unchanged": 0}

    features = json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))["features"]
    assert {a.code: a.name for a in Area.objects.all()} == {
        f["properties"]["code"]: f["properties"]["name"] for f in features
    }
