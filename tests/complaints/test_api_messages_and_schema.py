"""What the REST API says when it refuses, in the request's language and naming what to send; and what its schema
promises: a 404 for an unknown code, a filing example whose pin lies in the kelurahan it names, the new ticket's
address in a 201's Location header."""
# ruff: noqa: F811

import pytest

from complaints.api import FILED_EXAMPLE, TICKET_EXAMPLE
from complaints.models import Status
from tests.api.conftest import api, as_user  # noqa: F401 (the REST API tests' client fixtures)
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def messages(response, status=400) -> list[tuple]:
    assert response.status_code == status, response.content
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


def test_a_body_that_is_not_json_is_refused_in_the_request_s_language(as_user, city, citizen):
    api = as_user(citizen)
    english = api.post(
        "/api/v1/tickets/", '{"title": "x",\n  nope}', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert messages(english) == [(None, "The body is not valid JSON: it goes wrong at line 2, column 3.")]
    indonesian = api.post("/api/v1/tickets/", "{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="id")
    assert "JSON parse error" not in messages(indonesian)[0][1]


def test_forwarding_to_an_unknown_department_names_the_code_and_the_list(as_user, city, staff_dlh):
    ticket = make_ticket()
    refused = as_user(staff_dlh).post(
        f"/api/v1/tickets/{ticket.reference}/forward/",
        {"department": "nope", "reason": "Bukan DLH"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert messages(refused) == [
        ("department", "There is no department with the code “nope”; /api/v1/departments/ lists them.")
    ]


@pytest.mark.parametrize("value", ["abc", "1.5", "-1"])
def test_a_bad_after_id_says_what_to_send(api, city, value):
    refused = api.get("/api/v1/events/", {"after_id": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert messages(refused) == [("after_id", "Use the id of an event (a whole number, 0 or more), e.g. after_id=0.")]


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_role_refusal_names_the_endpoint_as_the_other_refusals_do(as_user, city, staff_dlh, language):
    resolved = make_ticket(status=Status.RESOLVED)
    refused = as_user(staff_dlh).post(
        f"/api/v1/tickets/{resolved.reference}/reopen/",
        {"reason": "Masih tergenang."},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    [(field, message)] = messages(refused, status=403)
    assert "“reopen”" in message and "Buka kembali" not in message and "Reopen" not in message


def test_a_filing_answers_with_the_new_ticket_s_address(as_user, city, citizen):
    filed = as_user(citizen).post(
        "/api/v1/tickets/",
        {"title": "Sampah", "description": "Belum diangkut.", "area": "63.71.05.1003"},
        format="json",
    )
    assert filed.status_code == 201
    reference = filed.json()["reference"]
    assert filed["Location"] == f"http://testserver/api/v1/tickets/{reference}/"
    assert as_user(citizen).get(filed["Location"]).json()["reference"] == reference


def test_the_examples_pin_lies_in_the_kelurahan_they_name(city):
    from services import geo

    for example in (TICKET_EXAMPLE, FILED_EXAMPLE):
        assert geo.locate(example["lat"], example["lng"]).code == example["area"]


def test_the_schema_documents_404_for_unknown_codes_and_the_filing_s_location(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/services/{code}/", "/api/v1/departments/{code}/", "/api/v1/areas/{code}/"):
        assert "404" in schema["paths"][path]["get"]["responses"], path
    filing = schema["paths"]["/api/v1/tickets/"]["post"]
    assert "Location" in filing["responses"]["201"]["headers"]
    example = filing["requestBody"]["content"]["application/json"]["examples"]["FileATicket"]["value"]
    assert (example["lat"], example["lng"]) == (TICKET_EXAMPLE["lat"], TICKET_EXAMPLE["lng"])
