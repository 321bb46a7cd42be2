"""Requests Django or the API refuse to read (too many fields, too large a body) answer with the API's error body."""

import json

import pytest

from accounts.tokens import issue_token
from complaints.models import Ticket

pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"
TICKETS = "/api/v1/tickets/"


def errors(response) -> list[dict]:
    return response.json()["errors"]


ROAD = {"title": "Jalan berlubang", "description": "Lubang besar.", "service": "jalan-rusak", "area": MAWAR}


def test_too_many_query_parameters_get_the_error_body(api, city):
    query = "&".join(f"f{i}=1" for i in range(1500))
    response = api.get(f"{TICKETS}?{query}")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert errors(response)[0]["field"] is None and "1000" in errors(response)[0]["message"].replace(".", "")


@pytest.mark.parametrize("signed_in", ["token", "session"])
def test_a_form_with_too_many_fields_gets_the_error_body(client, city, citizen, signed_in):
    from urllib.parse import urlencode

    headers = {}
    if signed_in == "token":
        headers["HTTP_AUTHORIZATION"] = f"Token {issue_token(citizen)}"
    else:
        client.force_login(citizen)
    body = urlencode([(f"f{i}", "1") for i in range(1500)])
    response = client.post(TICKETS, body, content_type="application/x-www-form-urlencoded", **headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json" and errors(response)[0]["message"]
    assert not Ticket.objects.exists()


def test_a_json_body_over_a_megabyte_is_refused_with_413(as_user, city, citizen):
    body = json.dumps({**ROAD, "attributes": {"ukuran": "kecil"}, "description": "x" * (6 * 1024 * 1024)})
    response = as_user(citizen).post(TICKETS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "1.0\xa0MB" in errors(response)[0]["message"]
    form = as_user(citizen).post(
        TICKETS, "description=" + "x" * (2 * 1024 * 1024), content_type="application/x-www-form-urlencoded"
    )
    assert form.status_code == 413
    assert not Ticket.objects.exists()
