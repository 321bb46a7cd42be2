"""The schema as the data dictionary of a ticket: every field of the public ticket and every filter of the list says
what it holds, in English for API readers (the department's code carried an administrator's Indonesian help text),
times say their format and zone, due dates their working days, and created_before that it is exclusive."""

import pytest

pytestmark = pytest.mark.django_db

ADMIN_HELP = "Used in web addresses, the API and the open data"


@pytest.fixture
def schema(api, city) -> dict:
    return api.get("/api/schema/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en").json()


def test_every_field_of_a_ticket_is_described(schema):
    fields = schema["components"]["schemas"]["Ticket"]["properties"]
    assert [name for name, field in fields.items() if not field.get("description")] == []
    department = fields["department"]["description"]
    assert ADMIN_HELP not in department and "Dipakai" not in department
    assert "department handling the report" in department
    for time in ("created_at", "updated_at", "resolved_at", "closed_at", "waiting_for_citizen_since"):
        assert "ISO 8601 with its offset" in fields[time]["description"] and "UTC" in fields[time]["description"]
    for due in ("response_due_at", "resolution_due_at"):
        assert "working day" in fields[due]["description"]
    assert "kelurahan's name stands in" in fields["address"]["description"]


def test_every_filter_of_the_ticket_list_is_described(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/tickets/"]["get"]["parameters"]}
    assert [name for name, parameter in parameters.items() if not parameter.get("description")] == []
    assert "not at it" in parameters["created_before"]["description"]
    assert "ISO 8601" in parameters["created_after"]["description"]
    for repeatable in ("status", "service", "department", "area", "kecamatan"):
        assert parameters[repeatable]["schema"]["type"] == "array", repeatable
        assert parameters[repeatable]["explode"] is True, repeatable
        assert "repeat the parameter" in parameters[repeatable]["description"], repeatable
