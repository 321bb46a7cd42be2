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
