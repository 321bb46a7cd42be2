"""A POST Django cannot read as a form, or one whose location is half there, gets GeoReport's error list in the
requested format with a 400 that says what to send: never Django's HTML 400 page or, with DEBUG, a 500."""

from xml.etree import ElementTree as ET

import pytest

from complaints.models import Ticket
from services.models import Area

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"


def error_list(response, fmt) -> list[tuple[int, str]]:
    if fmt == "xml":
        assert response["Content-Type"].startswith("text/xml")
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]
    assert response["Content-Type"].startswith("application/json")
    return [(e["code"], e["description"]) for e in response.json()]


# The descriptions are compared in English: the Indonesian ones come with the translations.
ENGLISH = {"Accept-Language": "en"}


def raw_post(client, fmt, body: bytes, content_type: str):
    return client.generic("POST", f"{BASE}/requests.{fmt}", body, content_type=content_type, headers=ENGLISH)


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    """With DEBUG the BadRequest reached Django's technical page, which read the form again and crashed: a 500."""
    settings.DEBUG = request.param
    return request.param


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_form_in_another_charset_than_utf8_is_a_400_error_body(client, city, api_key, debug, fmt):
    body = f"api_key={api_key.raw}&service_code=sampah-menumpuk&address_string=Jl.%20Pahlawan%20%E9".encode()
    response = raw_post(client, fmt, body, "application/x-www-form-urlencoded; charset=iso-8859-1")
    assert response.status_code == 400
    assert error_list(response, fmt) == [
        (400, "The form must be UTF-8 encoded: send it without a charset or with charset=utf-8.")
    ]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_multipart_without_a_boundary_is_a_400_error_body(client, city, api_key, debug, fmt):
    response = raw_post(client, fmt, b"api_key=whatever", "multipart/form-data")
    assert response.status_code == 400
    assert error_list(response, fmt) == [(400, "The multipart/form-data body cannot be read: check its boundary.")]


def test_a_charset_python_does_not_know_is_read_as_utf8(client, city, api_key):
    """Django ignores a charset it cannot look up: the form is read as UTF-8, as a GeoReport client means it."""
    area = Area.objects.get(code=MAWAR)
    body = (
        f"api_key={api_key.raw}&service_code=sampah-menumpuk&description=Sampah.&lat={area.label_lat}"
        f"&long={area.label_lng}"
    ).encode()
    response = raw_post(client, "json", body, "application/x-www-form-urlencoded; charset=no-such-charset")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", '{{"api_key": "{key}", "service_code": "sampah-menumpuk"}}'),
        ("text/xml", "<request><api_key>{key}</api_key></request>"),
    ],
)
def test_a_body_that_is_not_a_form_is_told_to_be_one(client, city, api_key, fmt, content_type, body):
    """It was a 403 "api_key is required" although the key was in the body."""
    response = raw_post(client, fmt, body.format(key=api_key.raw).encode(), content_type)
    assert response.status_code == 400
    assert error_list(response, fmt) == [
        (400, "The request body must be form-encoded: application/x-www-form-urlencoded or multipart/form-data.")
    ]


def test_a_post_with_an_empty_body_and_the_key_in_the_query_string_is_read(client, city, api_key):
    """No body at all is no JSON: the usual "service_code is required" follows, not the form-encoding error."""
    response = client.generic(
        "POST", f"{BASE}/requests.json?api_key={api_key.raw}", b"", content_type="", headers=ENGLISH
    )
    assert response.status_code == 400
    assert [d for _, d in error_list(response, "json")] == ["service_code is required."]


@pytest.mark.parametrize(("sent", "missing"), [("lat", "long"), ("long", "lat")])
def test_one_coordinate_without_the_other_names_the_missing_one(client, city, api_key, sent, missing):
    """lat alone said "long must be a number between -180 and 180", as if long had been sent wrong."""
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": api_key.raw, "service_code": "sampah-menumpuk", "description": "Sampah.", sent: "-3.3"},
        headers=ENGLISH,
    )
    assert response.status_code == 400
    assert error_list(response, "json") == [(400, f"{missing} is missing: send lat and long together.")]
