"""Where a REST filing is: the errors name the API's fields (lat, lng, area, address), not the web form's map, and the
schema says which combination is needed and that the pin's kelurahan wins."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from complaints import actions
from services.models import Area
from tests.factories import DEFAULT_KELURAHAN

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"
REPORT = {"title": "Drainase tersumbat", "description": "Air meluap ke jalan."}


def errors(response) -> dict:
    assert response.status_code == 400, response.content
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def file(client, **place):
    return client.post(TICKETS, REPORT | place, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_no_place_at_all_names_the_fields_to_send(as_user, citizen):
    """It read "Please drop a pin on the map or choose the kelurahan.", which an API filer has no map for."""
    assert errors(file(as_user(citizen))) == {
        "area": "Say where the problem is: lat and lng (a pin), area (a kelurahan code) or address."
    }
    assert errors(file(as_user(citizen), address="   "))["area"].startswith("Say where the problem is")


def test_half_a_pin_says_lat_and_lng_go_together(as_user, citizen):
    """It read "Please drop the pin again: the location is incomplete."."""
    expected = {"lat": "Send lat and lng together (the pin's latitude and longitude), or neither."}
    assert errors(file(as_user(citizen), lat=-3.32)) == expected
    assert errors(file(as_user(citizen), lng=114.59, area=DEFAULT_KELURAHAN)) == expected


def test_the_place_is_refused_together_with_the_other_errors(as_user, citizen):
    body = REPORT | {"service": "jalan-rusak", "attributes": {"ukuran": "raksasa"}}
    refused = errors(as_user(citizen).post(TICKETS, body, format="json", HTTP_ACCEPT_LANGUAGE="en"))
    assert set(refused) == {"area", "attributes.ukuran"}
    assert refused["area"].startswith("Say where the problem is")


def test_an_address_alone_or_an_area_alone_is_enough_and_the_pin_wins_over_the_area(as_user, citizen):
    client = as_user(citizen)
    assert file(client, address="Jl. Veteran No. 12").status_code == 201
    assert file(client, area=DEFAULT_KELURAHAN).json()["area"] == DEFAULT_KELURAHAN
    other = Area.objects.filter(level=Area.Level.KELURAHAN).exclude(code=DEFAULT_KELURAHAN).first()
    pinned = file(client, lat=other.label_lat, lng=other.label_lng, area=DEFAULT_KELURAHAN)
    assert pinned.status_code == 201 and pinned.json()["area"] == other.code


def test_the_web_form_keeps_its_own_words(city, citizen):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            actions.file_ticket(title="t", description="d", reporter=citizen)
        assert refused.value.message_dict["area"] == ["Please drop a pin on the map or choose the kelurahan."]


def test_the_schema_says_which_place_fields_to_send(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    body = schema["components"]["schemas"]["TicketCreate"]
    for words in ("`lat` and `lng` together", "`area`", "`address`", "at least one", "whatever `area` says"):
        assert words in body["description"], words
    assert "kelurahan is kept instead" in body["properties"]["area"]["description"]
