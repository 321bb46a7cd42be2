"""The schema as documentation: every object described for its readers, 401 and Retry-After documented, and an
API description that says how to sign in, read errors, times, pages and changes, and the limits."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_describes_each_object_for_its_readers(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    ours = [
        "Ticket", "TicketCreate", "TicketCreateMultipart", "Photo", "Reporter", "Event", "Member", "Message", "Note",
        "Reason", "Assign", "Priority", "Merge", "Forward", "ErrorBody", "ErrorItem", "Proposal", "Activity",
        "CloseYear", "BudgetLine", "Realisation", "ProgressReport", "Indicator", "Evaluation", "EvaluationCreate",
    ]  # fmt: skip
    assert [name for name in ours if not components[name].get("description")] == []
    text = json.dumps(components)
    for internal in ("Build a serializer", "in_staff_scope", "public_payload", "FieldsBuiltOnce", "``"):
        assert internal not in text, internal
    description = schema["info"]["description"]
    for topic in ("API tokens", "Authorization: Token", '{"errors"', "WITA", "+08:00", "page_size", "after_id",
                  "updated_after", "Idempotency-Key", "Retry-After", "429"):  # fmt: skip
        assert topic in description, topic


def test_every_operation_needing_an_account_documents_401_and_a_refused_filing_its_retry_after(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    missing = [
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        if path.startswith(("/api/v1/tickets/", "/api/v1/events/", "/api/v1/planning/"))
        for method, operation in methods.items()
        if "401" not in operation["responses"]
    ]
    assert missing == []
    filing = schema["paths"]["/api/v1/tickets/"]["post"]
    assert "Retry-After" in filing["responses"]["429"]["headers"]
    assert set(filing["requestBody"]["content"]) == {"application/json", "multipart/form-data"}


def test_the_filings_example_is_what_a_filing_answers(as_user, city, citizen):
    """The 201 example showed a routed ticket with a department; a filing answers the ticket as filed."""
    schema = as_user(citizen).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    filing = schema["paths"]["/api/v1/tickets/"]["post"]["responses"]
    (example,) = filing["201"]["content"]["application/json"]["examples"].values()
    example = example["value"]
    answer = as_user(citizen).post(
        "/api/v1/tickets/",
        {"title": "Sampah menumpuk", "description": "Belum diangkut.", "service": "sampah-menumpuk",
         "area": "63.71.05.1003"},
        format="json",
    ).json()  # fmt: skip
    assert set(example) == set(answer)
    decided_later = ("status", "department", "department_name", "response_due_at", "resolution_due_at", "photos")
    assert {name: example[name] for name in decided_later} == {name: answer[name] for name in decided_later}
    assert set(example["reporter"]) == set(answer["reporter"]) and example["updated_at"] == example["created_at"]
    # A routed ticket's due dates, in every other example, are the end of a working day.
    (ticket,) = schema["paths"]["/api/v1/tickets/{reference}/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["examples"].values()
    assert ticket["value"]["resolution_due_at"].endswith("T23:59:59+08:00")


def test_the_acknowledge_endpoint_is_called_so_in_its_docs_and_refusals(as_user, city, staff_dlh):
    """Its summary and its refusal said "Verify", the staff page's button, which names no endpoint of the API."""
    from django.utils import translation

    from complaints import workflow
    from complaints.models import Status
    from tests.factories import make_ticket

    client = as_user(staff_dlh)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/tickets/{reference}/acknowledge/"]["post"]
    assert operation["summary"].startswith("Acknowledge")
    assert "verify" not in schema["info"]["description"].lower()
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh")
    refused = client.post(f"/api/v1/tickets/{ticket.reference}/acknowledge/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["message"] == "A ticket that is in progress cannot be changed with “acknowledge”."
    # The staff page keeps its button's word.
    with translation.override("en"):
        assert str(workflow.TRANSITIONS["acknowledge"].label) == "Verify"
