"""The REST API warns of an indicator about complaints as the activity page does: the portal computes complaint
figures from citizens' reports, and a typed one can disagree with them while it counts in the evaluation's score.
The year-end audit walk found one saved through the API with a plain 201 and no word of it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from planning.forms import complaint_indicator_warning
from planning.models import Indicator

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/planning/indicators/"


def payload(activity, description):
    return {
        "activity": activity.pk,
        "level": "outcome",
        "description": description,
        "unit": "laporan/bulan",
        "baseline": "14.00",
        "target": "3.00",
        "direction": "decrease",
    }


@pytest.fixture
def api(planner):
    client = APIClient()
    client.force_authenticate(planner)
    return client


def test_an_indicator_about_complaints_is_saved_with_the_pages_warning(api, planned_activity):
    response = api.post(
        INDICATORS, payload(planned_activity, "Jumlah pengaduan genangan"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 201
    [warning] = response.json()["warnings"]
    assert warning.startswith("“Jumlah pengaduan genangan” looks like a count of complaints or reports")
    assert warning == complaint_indicator_warning("Jumlah pengaduan genangan")
    # Saved all the same (a warning, not a refusal), and reading it back warns again.
    assert Indicator.objects.get().description == "Jumlah pengaduan genangan"
    again = api.get(f"{INDICATORS}{response.json()['id']}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert again["warnings"] == [warning]


def test_an_indicator_of_what_the_activity_delivers_has_no_warning(api, planned_activity):
    response = api.post(INDICATORS, payload(planned_activity, "Panjang saluran dinormalisasi"), format="json")
    assert response.status_code == 201 and response.json()["warnings"] == []


def test_the_schema_documents_the_warnings(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    indicator = schema["components"]["schemas"]["Indicator"]
    assert indicator["properties"]["warnings"]["type"] == "array"
    assert indicator["properties"]["warnings"]["items"]["type"] == "string"
    assert "computes those from citizens' reports" in indicator["properties"]["warnings"]["description"]
    assert "warnings" in indicator["required"] and indicator["properties"]["warnings"]["readOnly"]
    create = schema["paths"][INDICATORS]["post"]
    assert "warnings" in create["description"]
