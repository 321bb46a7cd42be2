"""Services, departments and areas: public, read-only."""

import pytest

pytestmark = pytest.mark.django_db


def test_services_list_with_questions_and_filters(api, city):
    body = api.get("/api/v1/services/", {"department": "pupr"}).json()
    codes = [s["code"] for s in body["results"]]
    assert "jalan-rusak" in codes and "sampah-menumpuk" not in codes
    road = api.get("/api/v1/services/jalan-rusak/").json()
    size = road["attributes"][0]
    assert size["code"] == "ukuran"
    # Both languages, so an integration can ask the citizen in theirs.
    assert (size["description"], size["description_en"]) == ("Seberapa besar kerusakannya?", "How big is the damage?")
    assert size["values"][0] == {"key": "kecil", "name": "Kecil (< 1 m)", "name_en": "Small (< 1 m)"}
    assert road["department"] == "pupr"


def test_departments(api, city):
    body = api.get("/api/v1/departments/dlh/").json()
    assert body["name"] == "Dinas Lingkungan Hidup"


def test_areas_are_a_geojson_feature_collection(api, city):
    body = api.get("/api/v1/areas/", {"level": "kelurahan"}).json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == city.count()
    feature = body["features"][0]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    one = api.get(f"/api/v1/areas/{feature['properties']['code']}/").json()
    assert one["properties"]["level"] == "kelurahan"


def test_unknown_service_has_the_common_error_body(api, city):
    response = api.get("/api/v1/services/tidak-ada/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] is None
    assert response.json()["errors"][0]["message"]


def test_schema_and_docs_are_served_without_a_cdn(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/tickets/{reference}/acknowledge/" in paths
    assert "/api/v1/areas/" in paths
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_every_operation_is_documented_with_a_summary_and_an_example(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            contents = [c for r in operation.get("responses", {}).values() for c in r.get("content", {}).values()]
            contents += list(operation.get("requestBody", {}).get("content", {}).values())
            if not operation.get("summary") or not any("examples" in c for c in contents):
                missing.append(f"{method.upper()} {path}")
    assert len(schema["paths"]) > 20
    assert missing == []
