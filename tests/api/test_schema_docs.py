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
