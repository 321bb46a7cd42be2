"""An event's payload in the REST API: what the citizen's ticket page shows of it, to anyone who is not staff in
the ticket's scope. Routing's reasons (an administrator's rule note, the classifier's score, duplicate candidates)
used to be public on every routed event."""

import pytest

from complaints.actions.dispatch import route_ticket
from complaints.models import Status
from services.models import Area, Department, RoutingRule, Service
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"
# The routed event's department by its short name, as the citizen's page shows it, and by its code, as the API
# names departments everywhere else.
ROUTED_TO_DLH = {"department": "DLH", "department_code": "dlh"}


@pytest.fixture
def routed_by_a_rule(city, citizen):
    RoutingRule.objects.create(
        service=Service.objects.get(code="sampah-menumpuk"),
        area=Area.objects.get(code=MAWAR),
        department=Department.objects.get(code="dlh"),
        note="Uji QA",
    )
    ticket = make_ticket(status=Status.SUBMITTED, reporter=citizen, kelurahan=MAWAR)
    return route_ticket(ticket_id=ticket.pk)


@pytest.fixture
def routed_by_the_classifier(city, citizen):
    ticket = make_ticket(
        service=None, status=Status.SUBMITTED, reporter=citizen, title="Tolong", description="sampah menumpuk"
    )
    return route_ticket(ticket_id=ticket.pk)


def routed_payloads(client, ticket) -> list[dict]:
    """The routed event's payload from both endpoints that list events."""
    listed = client.get("/api/v1/events/", {"ticket": ticket.reference, "type": "routed"})
    timeline = client.get(f"/api/v1/tickets/{ticket.reference}/events/")
    assert listed.status_code == timeline.status_code == 200
    from_list = [event["payload"] for event in listed.json()["results"]]
    from_timeline = [event["payload"] for event in timeline.json() if event["type"] == "routed"]
    return from_list + from_timeline


@pytest.mark.parametrize("ticket", ["routed_by_a_rule", "routed_by_the_classifier"])
def test_the_public_and_the_reporter_see_the_department_only(api, as_user, citizen, ticket, request):
    ticket = request.getfixturevalue(ticket)
    assert routed_payloads(api, ticket) == [ROUTED_TO_DLH] * 2
    assert routed_payloads(as_user(citizen), ticket) == [ROUTED_TO_DLH] * 2


def test_staff_in_scope_see_why(as_user, staff_dlh, routed_by_a_rule):
    for payload in routed_payloads(as_user(staff_dlh), routed_by_a_rule):
        assert payload["department"] == "DLH" and payload["department_code"] == "dlh"
        assert payload["reasons"]["rule"] == "Uji QA"


def test_staff_of_another_department_see_what_the_public_sees(as_user, staff_pupr, routed_by_a_rule):
    assert routed_payloads(as_user(staff_pupr), routed_by_a_rule) == [ROUTED_TO_DLH] * 2


def test_the_classifiers_score_is_for_staff(as_user, inspector, routed_by_the_classifier):
    for payload in routed_payloads(as_user(inspector), routed_by_the_classifier):
        assert "classifier_score" in payload["reasons"]


def test_a_forwarding_shows_its_departments_and_reason(api, as_user, staff_dlh, routed_by_a_rule):
    forwarded = as_user(staff_dlh).post(
        f"/api/v1/tickets/{routed_by_a_rule.reference}/forward/",
        {"department": "pupr", "reason": "Saluran, bukan wewenang DLH."},
        format="json",
    )
    assert forwarded.status_code == 200, forwarded.content
    [event] = api.get("/api/v1/events/", {"ticket": routed_by_a_rule.reference, "type": "forwarded"}).json()["results"]
    # Forwarding starts the due dates again: the new department's, as the ticket's timeline shows them.
    forwarded = forwarded.json()
    assert event["payload"] == {
        "from": "DLH",
        "to": "Dinas PUPR",
        "reason": "Saluran, bukan wewenang DLH.",
        "response_due_at": forwarded["response_due_at"],
        "resolution_due_at": forwarded["resolution_due_at"],
    }
