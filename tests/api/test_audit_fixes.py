"""The machine-interface audit of the REST API: out-of-range input, error field names, mine without an account,
the assignee message, the schema of the timeline and of lists, translations and Retry-After."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.functional import Promise

from complaints.events import record_event
from complaints.models import EventType
from tests.conftest import make_staff, make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"
# Indonesian: the portal's default language, which the API speaks without Accept-Language.
NOT_A_MEMBER = "Orang yang dipilih bukan anggota aktif dinas ini."


def errors(response) -> list[dict]:
    return response.json()["errors"]


def file(client, service, attributes):
    payload = {"title": "t", "description": "d", "area": MAWAR, "service": service, "attributes": attributes}
    return client.post("/api/v1/tickets/", payload, format="json")


# --- 2 and 7: answers out of range are a 400 under the input's own name ------------------------------


def test_an_impossible_date_is_a_400_on_attributes_dot_code(as_user, city, citizen):
    response = file(as_user(citizen), "air-mati", {"sejak": "2026-02-30"})
    assert response.status_code == 400, response.content
    assert [e["field"] for e in errors(response)] == ["attributes.sejak"]


@pytest.mark.parametrize("number", ['"1e5000"', '"1e400"', "1e400", '"1000000000000000"', "-1e15"])
def test_numbers_out_of_bounds_are_a_400(as_user, city, citizen, number):
    # Raw JSON: a bare 1e400 is a number JSON allows and Python reads as infinity.
    fields = '"title": "t", "description": "d", "area": "' + MAWAR + '", "service": "genangan-banjir"'
    body = "{" + fields + ', "attributes": {"kedalaman_cm": ' + number + "}}"
    response = as_user(citizen).post("/api/v1/tickets/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert [e["field"] for e in errors(response)] == ["attributes.kedalaman_cm"]


def test_a_wrong_choice_names_attributes_dot_code(as_user, city, citizen):
    response = file(as_user(citizen), "jalan-rusak", {"ukuran": "raksasa"})
    assert response.status_code == 400
    assert [e["field"] for e in errors(response)] == ["attributes.ukuran"]


# --- 4: the assignee message ---------------------------------------------------------------------


def test_assigning_a_non_member_says_so_without_placeholders_or_names(as_user, city, staff_dlh):
    ticket = make_ticket()
    outsider = make_user("orang.luar@example.id", full_name="Orang Luar Dinas")
    client = as_user(staff_dlh)
    for assignee in (outsider.pk, 987654):
        response = client.post(f"/api/v1/tickets/{ticket.reference}/assign/", {"assignee": assignee}, format="json")
        assert response.status_code == 400
        assert errors(response) == [{"field": "assignee", "message": NOT_A_MEMBER}]


def test_the_action_gives_the_same_message_to_the_staff_pages(city, staff_dlh):
    from complaints.actions import assign_ticket

    ticket = make_ticket()
    with pytest.raises(ValidationError) as refused:
        assign_ticket(ticket=ticket, actor=staff_dlh, assignee=make_staff("pupr.x@example.id", "pupr"))
    assert refused.value.message_dict == {"assignee": [NOT_A_MEMBER]}
    assert refused.value.messages == [NOT_A_MEMBER]


# --- 5: mine without an account ------------------------------------------------------------------


def test_mine_without_an_account_is_an_empty_list(api, city):
    make_ticket()
    response = api.get("/api/v1/tickets/", {"mine": "true"})
    assert response.status_code == 200
    assert response.json()["count"] == 0 and response.json()["results"] == []


# --- 6: dates past the representable range are clamped --------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"created_after": "0001-01-01T00:00:00"},
        {"created_after": "0001-01-01T00:00:00+14:00"},
        {"created_before": "9999-12-31T23:59:59-12:00"},
    ],
)
def test_tickets_between_the_beginning_and_the_end(api, city, params):
    ticket = make_ticket()
    response = api.get("/api/v1/tickets/", params)
    assert response.status_code == 200
    assert [t["reference"] for t in response.json()["results"]] == [ticket.reference]


def test_events_since_the_beginning(api, city):
    ticket = make_ticket()
    record_event(ticket=ticket, type=EventType.REPLY, payload={"message": "Besok."})
    response = api.get("/api/v1/events/", {"since": "0001-01-01"})
    assert response.status_code == 200 and response.json()["count"] >= 1


# --- 8: the schema says what the operations do ---------------------------------------------------


@pytest.fixture
def schema(api):
    return api.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_the_timeline_documents_no_filters(schema):
    operation = schema["paths"]["/api/v1/tickets/{reference}/events/"]["get"]
    assert [p["name"] for p in operation.get("parameters", [])] == ["reference"]


def test_lists_document_their_400_and_404_and_bodies_their_415(schema):
    for path in ("/api/v1/tickets/", "/api/v1/events/", "/api/v1/planning/activities/"):
        assert {"200", "400", "404"} <= set(schema["paths"][path]["get"]["responses"]), path
    assert "415" in schema["paths"]["/api/v1/tickets/"]["post"]["responses"]
    assert "415" in schema["paths"]["/api/v1/tickets/{reference}/reply/"]["post"]["responses"]


# --- 10: messages go through the catalogue -------------------------------------------------------


def test_planning_refusal_is_translated_when_raised():
    from planning.api import IsPlanningStaff

    assert isinstance(IsPlanningStaff.message, Promise)


def test_merge_refusal_is_in_the_request_language(as_user, city, staff_dlh):
    ticket = make_ticket()
    response = as_user(staff_dlh).post(
        f"/api/v1/tickets/{ticket.reference}/merge/",
        {"into": "BJM-1999-000001"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert errors(response)[0]["field"] == "into"
    assert errors(response)[0]["message"] != "No ticket with that reference in your queue."


# --- 11: Retry-After -----------------------------------------------------------------------------


def test_a_refused_filing_says_when_to_come_back(as_user, city, citizen, settings):
    settings.FILING_RATE_LIMIT = "1/h"
    client = as_user(citizen)
    payload = {"title": "t", "description": "d", "area": MAWAR}
    assert client.post("/api/v1/tickets/", payload, format="json").status_code == 201
    refused = client.post("/api/v1/tickets/", payload, format="json")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert errors(refused)[0]["message"]
