"""The REST ticket names who holds it (id and name) for staff whose queue holds it, never for citizens or the
public; staff list their own (assignee=me), the pool's (none) or a colleague's. Who held a ticket could only be
worked out from the latest ``assigned`` event. And ``queue=true`` lists what the staff queue page lists by
default, the open tickets of the scope: it listed closed ones too, under a description that said otherwise."""
# ruff: noqa: F811

import pytest

from complaints.models import Privacy, Status
from tests.api.conftest import api, as_user  # noqa: F401 (the REST API tests' client fixtures)
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def references(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {t["reference"] for t in response.json()["results"]}


@pytest.fixture
def held(staff_dlh):
    return make_ticket(assignee=staff_dlh)


def test_staff_in_scope_see_the_assignee_in_the_ticket_and_the_list(as_user, held, staff_dlh, head_dlh, inspector):
    holder = {"id": staff_dlh.pk, "name": str(staff_dlh)}
    for reader in (staff_dlh, head_dlh, inspector):
        api = as_user(reader)
        assert api.get(f"/api/v1/tickets/{held.reference}/").json()["assignee"] == holder
        listed = {t["reference"]: t for t in api.get("/api/v1/tickets/").json()["results"]}
        assert listed[held.reference]["assignee"] == holder
    assert as_user(staff_dlh).get(f"/api/v1/tickets/{make_ticket().reference}/").json()["assignee"] is None


def test_citizens_the_public_and_other_departments_never_see_it(api, as_user, held, citizen, staff_pupr, staff_dlh):
    mine = make_ticket(reporter=citizen, assignee=staff_dlh)
    assert api.get(f"/api/v1/tickets/{held.reference}/").json()["assignee"] is None
    for reader in (citizen, staff_pupr):
        client = as_user(reader)
        for ticket in (held, mine):
            assert client.get(f"/api/v1/tickets/{ticket.reference}/").json()["assignee"] is None
        assert all(t["assignee"] is None for t in client.get("/api/v1/tickets/").json()["results"])
    assert str(staff_dlh) not in as_user(citizen).get("/api/v1/tickets/").content.decode()


def test_assignee_filter_me_none_and_an_id(as_user, held, staff_dlh, head_dlh, staff_pupr, citizen):
    pool = make_ticket()
    heads = make_ticket(assignee=head_dlh)
    closed_mine = make_ticket(assignee=staff_dlh, status=Status.CLOSED)
    pupr = make_ticket(service="jalan-rusak")  # another department's: not in DLH's scope
    api = as_user(staff_dlh)
    assert references(api.get("/api/v1/tickets/", {"assignee": "me"})) == {held.reference, closed_mine.reference}
    assert references(api.get("/api/v1/tickets/", {"assignee": "none"})) == {pool.reference}
    assert references(api.get("/api/v1/tickets/", {"assignee": head_dlh.pk})) == {heads.reference}
    assert references(api.get("/api/v1/tickets/", {"assignee": "me", "queue": "true"})) == {held.reference}
    assert pupr.reference in references(as_user(staff_pupr).get("/api/v1/tickets/", {"assignee": "none"}))
    # Nobody else learns from it who holds which public ticket.
    assert references(as_user(citizen).get("/api/v1/tickets/", {"assignee": staff_dlh.pk})) == set()
    refused = api.get("/api/v1/tickets/", {"assignee": "siti"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "assignee", "message": "Use me, none or a user id."}]


def test_queue_lists_the_open_tickets_of_the_scope_as_the_queue_page_does(as_user, staff_dlh, client):
    open_one = make_ticket()
    resolved = make_ticket(status=Status.RESOLVED)
    closed = make_ticket(status=Status.CLOSED)
    api = as_user(staff_dlh)
    assert references(api.get("/api/v1/tickets/", {"queue": "true"})) == {open_one.reference}
    assert references(api.get("/api/v1/tickets/", {"queue": "true", "status": ["resolved", "closed"]})) == {
        resolved.reference,
        closed.reference,
    }
    client.force_login(staff_dlh)
    page = client.get("/staf/antrian/").content.decode()
    assert open_one.reference in page and closed.reference not in page


def test_the_schema_documents_the_assignee_and_its_filter(api):
    # In English: the descriptions are translated (bda0c1f), and "open" reads "terbuka" in the default Indonesian.
    schema = api.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
    ticket = schema["components"]["schemas"]["Ticket"]["properties"]
    assert "assignee" in ticket
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/tickets/"]["get"]["parameters"]}
    assert "none" in parameters["assignee"]["description"] and "open" in parameters["queue"]["description"]


def test_a_staff_list_with_assignees_reads_no_more_for_more_tickets(as_user, staff_dlh, django_assert_max_num_queries):
    for _ in range(15):
        make_ticket(assignee=staff_dlh, privacy=Privacy.CONFIDENTIAL)
    api = as_user(staff_dlh)
    api.get("/api/v1/tickets/")  # the user's roles and the catalogue copies, read once
    with django_assert_max_num_queries(6):
        results = api.get("/api/v1/tickets/").json()["results"]
    assert len(results) == 15 and all(t["assignee"]["id"] == staff_dlh.pk for t in results)
