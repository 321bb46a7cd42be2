"""The REST API names the planning activity a report is linked to, as the ticket pages do: the ticket's detail lists
it (id, code, name, year, stage, public page), and a plan update's event carries what the event stores (the
activity, its stage and year; a proposal's title and source) instead of its sentence alone (found in the
transparency NGO's and the DPRD watchdog's walk)."""

# The planning fixtures are imported and then named as test arguments.
# ruff: noqa: F401, F811

import pytest
from django.urls import reverse

from complaints.actions.plan_updates import tell_followers_about_proposal
from complaints.models import Privacy
from planning import actions as planning_actions
from smartcity.site_links import absolute_url
from tests.factories import make_ticket
from tests.planning.conftest import approve_budget_of, bridge_proposal, fiscal_year, planned_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(citizen, planner, finance, planned_activity):
    """A public report linked to an activity, which was then budgeted (its followers told: a plan update)."""
    ticket = make_ticket(reporter=citizen, service="drainase-tersumbat")
    planning_actions.link_tickets(actor=planner, activity=planned_activity, tickets=[ticket])
    approve_budget_of(planned_activity, finance)
    return ticket


def public_page(activity) -> str:
    return absolute_url(reverse("planning:public_activity", args=[activity.pk]))


def test_the_ticket_detail_names_its_activity_with_its_public_page(api, client, linked, planned_activity):
    detail = api.get(f"/api/v1/tickets/{linked.reference}/")
    assert detail.status_code == 200, detail.content
    assert detail.json()["plan_activities"] == [
        {
            "id": planned_activity.pk,
            "code": "1.03.02.2.01.0001",
            "name": "Normalisasi saluran drainase Kelurahan Mawar",
            "fiscal_year": 2026,
            "stage": "budgeted",
            "public_url": public_page(planned_activity),
        }
    ]
    assert client.get(reverse("planning:public_activity", args=[planned_activity.pk])).status_code == 200
    unlinked = make_ticket()
    assert api.get(f"/api/v1/tickets/{unlinked.reference}/").json()["plan_activities"] == []


def test_a_confidential_reports_activity_is_for_whoever_may_see_the_report(
    api,
    as_user,
    citizen,
    planner,
    planned_activity,
):
    secret = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL)
    planning_actions.link_tickets(actor=planner, activity=planned_activity, tickets=[secret])
    assert api.get(f"/api/v1/tickets/{secret.reference}/").status_code == 404
    mine = as_user(citizen).get(f"/api/v1/tickets/{secret.reference}/").json()
    assert [activity["id"] for activity in mine["plan_activities"]] == [planned_activity.pk]


def test_the_list_stays_without_them_and_keeps_its_query_count(
    api,
    citizen,
    planner,
    planned_activity,
    django_assert_max_num_queries,
):
    tickets = [make_ticket() for _ in range(20)]
    planning_actions.link_tickets(actor=planner, activity=planned_activity, tickets=tickets[:10])
    with django_assert_max_num_queries(4):  # test_tickets' plain list
        listed = api.get("/api/v1/tickets/").json()["results"]
    assert len(listed) == 20 and {ticket["plan_activities"] for ticket in listed} == {None}


def plan_payloads(client, ticket) -> list[dict]:
    """The plan update's payload from both endpoints that list events."""
    listed = client.get("/api/v1/events/", {"ticket": ticket.reference, "type": "plan_update"}).json()["results"]
    timeline = client.get(f"/api/v1/tickets/{ticket.reference}/events/").json()
    return [event["payload"] for event in listed] + [
        event["payload"] for event in timeline if event["type"] == "plan_update"
    ]


def test_a_plan_updates_event_carries_the_activity(api, as_user, staff_dlh, linked, planned_activity):
    for reader in (api, as_user(staff_dlh)):
        payloads = plan_payloads(reader, linked)
        assert len(payloads) == 2
        for payload in payloads:
            assert payload["activity_id"] == planned_activity.pk
            assert payload["activity"] == "Normalisasi saluran drainase Kelurahan Mawar"
            assert payload["activity_code"] == "1.03.02.2.01.0001"
            assert payload["activity_url"] == public_page(planned_activity)
            assert payload["department"] == "Dinas PUPR"
            assert payload["stage"] == "budgeted" and payload["fiscal_year"] == 2026
            assert "Normalisasi saluran drainase Kelurahan Mawar" in payload["message"]


def test_a_proposals_event_carries_its_title_and_source_not_its_id(api, citizen, planner, fiscal_year):
    ticket = make_ticket(reporter=citizen)
    proposal = bridge_proposal(fiscal_year, planner)
    tell_followers_about_proposal(tickets=[ticket], proposal=proposal, stage="proposed")
    [payload, _same] = plan_payloads(api, ticket)
    assert payload == {
        "proposal": "Pembangunan jembatan",
        "source": "department",
        "stage": "proposed",
        "fiscal_year": 2026,
        "message": payload["message"],
    }
    assert "Pembangunan jembatan" in payload["message"]


def test_the_schema_documents_both(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    linked = components["Ticket"]["properties"]["plan_activities"]
    assert linked["items"]["$ref"] == "#/components/schemas/PlanActivity" and linked["nullable"]
    assert components["PlanActivity"]["description"]
    assert set(components["PlanActivity"]["properties"]) == {"id", "code", "name", "fiscal_year", "stage", "public_url"}
    payload = components["Event"]["properties"]["payload"]["description"]
    for field in ("plan_update", "activity_id", "activity_url", "fiscal_year", "proposal", "source"):
        assert field in payload, field
    detail = schema["paths"]["/api/v1/tickets/{reference}/"]["get"]
    assert "plan_activities" in detail["description"]
    (example,) = detail["responses"]["200"]["content"]["application/json"]["examples"].values()
    assert set(example["value"]["plan_activities"][0]) == set(components["PlanActivity"]["properties"])
    events = schema["paths"]["/api/v1/events/"]["get"]["responses"]["200"]["content"]["application/json"]
    listed = [event for example in events["examples"].values() for event in example["value"]["results"]]
    (plan_update,) = [event for event in listed if event["type"] == "plan_update"]
    assert plan_update["payload"]["activity_url"].endswith("/perencanaan/publik/kegiatan/31/")
