"""``mine`` and ``queue`` on GET /api/v1/tickets/: the usual spellings of yes and no, any case; anything else is a
400 naming the parameter (an unread value used to be ignored, so ``mine=1`` listed every visible ticket)."""

import pytest

from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

YES = ["true", "True", "1", "yes", "YES", "on", "On"]
NO = ["false", "FALSE", "0", "no", "No", "off", "OFF"]


def references(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {ticket["reference"] for ticket in response.json()["results"]}


@pytest.fixture
def own_and_other(city, citizen, other_citizen):
    return make_ticket(reporter=citizen), make_ticket(reporter=other_citizen, service="jalan-rusak")


@pytest.mark.parametrize("value", YES)
def test_mine_yes_lists_only_my_tickets(as_user, citizen, own_and_other, value):
    own, _other = own_and_other
    assert references(as_user(citizen).get("/api/v1/tickets/", {"mine": value})) == {own.reference}


@pytest.mark.parametrize("value", [*NO, ""])
def test_mine_no_lists_every_ticket_i_may_see(as_user, citizen, own_and_other, value):
    listed = references(as_user(citizen).get("/api/v1/tickets/", {"mine": value}))
    assert {ticket.reference for ticket in own_and_other} <= listed


@pytest.mark.parametrize("value", YES)
def test_queue_yes_lists_only_my_departments_tickets(as_user, staff_dlh, own_and_other, value):
    dlh_ticket, pupr_ticket = own_and_other
    listed = references(as_user(staff_dlh).get("/api/v1/tickets/", {"queue": value}))
    assert dlh_ticket.reference in listed and pupr_ticket.reference not in listed


@pytest.mark.parametrize("name", ["mine", "queue"])
@pytest.mark.parametrize("value", ["maybe", "2", "ja", "tru"])
def test_any_other_value_is_a_400_naming_the_parameter(as_user, staff_dlh, own_and_other, name, value):
    response = as_user(staff_dlh).get("/api/v1/tickets/", {name: value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": name, "message": "Use true or false (also 1/0, yes/no or on/off)."}]


def test_the_schema_still_documents_them_as_booleans(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/tickets/"]["get"]["parameters"]}
    assert parameters["mine"]["schema"]["type"] == "boolean"
    assert parameters["queue"]["schema"]["type"] == "boolean"
