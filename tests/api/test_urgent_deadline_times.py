"""Raising a ticket to urgent through the REST API moves its response deadline onto the clock
(``URGENT_RESPONSE_HOURS``): the ticket and the priority change's event give that deadline as every REST time, ISO
8601 in WITA to the second, and the same moment in both."""

import re

import pytest

from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
WHOLE_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


def test_the_urgent_deadline_reads_as_every_other_time(as_user, city, staff_dlh, settings):
    settings.URGENT_RESPONSE_HOURS = 24
    ticket = make_ticket(status=Status.ROUTED, department="dlh")
    client = as_user(staff_dlh)
    before = client.get(f"/api/v1/tickets/{ticket.reference}/").json()["response_due_at"]
    raised = client.post(f"/api/v1/tickets/{ticket.reference}/priority/", {"priority": 4}, format="json")
    assert raised.status_code == 200, raised.content
    due = raised.json()["response_due_at"]
    assert WHOLE_SECONDS.match(due) and due < before, (due, before)
    assert client.get(f"/api/v1/tickets/{ticket.reference}/").json()["response_due_at"] == due
    events = client.get(f"/api/v1/tickets/{ticket.reference}/events/").json()
    (changed,) = [event for event in events if event["type"] == "priority_changed"]
    assert changed["payload"]["response_due_at"] == due
