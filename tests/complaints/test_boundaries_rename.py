"""A kelurahan renamed in the admin shows its new name on every map: the boundaries the maps read were built once
per process and kept the old name until a restart."""

import pytest

pytestmark = pytest.mark.django_db


def names(client) -> set[str]:
    response = client.get("/peta/kelurahan.geojson")
    assert response.status_code == 200 and response["Cache-Control"] == "max-age=3600, public"
    return {feature["properties"]["name"] for feature in response.json()["features"]}


def test_a_renamed_kelurahan_is_drawn_with_its_new_name(client, city):
    from services.models import Area

    assert "Mawar" in names(client)
    mawar = Area.objects.get(code="63.71.05.1003")
    mawar.name = "Mawar Indah"
    mawar.save()
    shown = names(client)
    assert "Mawar Indah" in shown and "Mawar" not in shown
