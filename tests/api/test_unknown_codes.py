"""Filing with a service or kelurahan code that does not exist names the code and where to find the right ones, in
the request's language (DRF's own message read "Objek dengan code=nope tidak ada.")."""

import pytest

pytestmark = pytest.mark.django_db


def _errors(client, payload, language) -> dict:
    response = client.post("/api/v1/tickets/", payload, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    return {error["field"]: error["message"] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    ("language", "service", "area"),
    [
        ("en", "There is no active service with the code “nope”", "There is no kelurahan with the code “63.99”"),
        ("id", "Tidak ada layanan aktif dengan kode “nope”", "Tidak ada kelurahan dengan kode “63.99”"),
    ],
)
def test_an_unknown_service_or_kelurahan_is_named(as_user, citizen, language, service, area):
    client = as_user(citizen)
    errors = _errors(client, {"title": "t", "description": "d", "service": "nope", "area": "63.99"}, language)
    assert errors["service"].startswith(service) and "/api/v1/services/" in errors["service"]
    assert errors["area"].startswith(area) and "/api/v1/areas/" in errors["area"]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("service", "There is no service with the code “nope”; /api/v1/services/ lists them."),
        ("department", "There is no department with the code “nope”; /api/v1/departments/ lists them."),
        ("area", "There is no kelurahan with the code “nope”; /api/v1/areas/ lists them."),
    ],
)
def test_an_unknown_code_in_a_list_filter_is_a_400_naming_it(api, city, field, message):
    """?service=nope answered 200 with no tickets, as if the code had none, while kind=nope was a 400."""
    response = api.get("/api/v1/tickets/", {field: "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "message": message}]


def test_the_list_filter_speaks_the_request_language(api, city):
    response = api.get("/api/v1/tickets/", {"area": "nope"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Tidak ada kelurahan dengan kode “nope”")


def test_a_known_code_filters_with_one_lookup_more_at_most(api, city, django_assert_max_num_queries):
    from services.models import Area, Service
    from tests.factories import DEFAULT_KELURAHAN, make_ticket

    elsewhere = Area.objects.filter(level=Area.Level.KELURAHAN).exclude(code=DEFAULT_KELURAHAN).first()
    road = make_ticket(service="jalan-rusak", kelurahan=elsewhere)
    make_ticket()  # DLH's, in the default kelurahan
    # A retired service's tickets stay listed under its code.
    Service.objects.filter(code="jalan-rusak").update(active=False)
    for filters in ({"service": "jalan-rusak"}, {"department": "pupr"}, {"area": elsewhere.code}):
        with django_assert_max_num_queries(5):  # the plain list's 4 (test_tickets) and the code's row
            response = api.get("/api/v1/tickets/", filters)
        assert response.status_code == 200, response.content
        assert [t["reference"] for t in response.json()["results"]] == [road.reference], filters
