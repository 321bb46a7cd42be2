"""assign's optional ``expected_assignee``: an integration that says whom it saw holding the ticket is refused,
told who holds it now, when someone else assigned it meanwhile, instead of overwriting their choice unseen."""

import pytest

from complaints.models import EventType, Ticket
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"


def officer(email: str, name: str):
    user = make_staff(email, "dlh")
    user.full_name = name
    user.save(update_fields=["full_name"])
    return user


def test_an_assignment_made_meanwhile_is_not_overwritten(as_user, city):
    siti = officer("siti.dlh@banjarmasinkota.go.id", "Siti")
    budi = officer("budi.dlh@banjarmasinkota.go.id", "Budi")
    ticket = make_ticket()
    url = f"{TICKETS}{ticket.reference}/assign/"
    client = as_user(budi)
    # Both saw it in the pool; Siti took it first.
    assert client.post(url, {"assignee": siti.pk, "expected_assignee": None}, format="json").status_code == 200

    refused = client.post(
        url, {"assignee": budi.pk, "expected_assignee": None}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert refused.status_code == 400, refused.content
    assert refused.json() == {
        "errors": [
            {
                "field": "assignee",
                "message": "Meanwhile this ticket was assigned to Siti. Choose again if it should still change.",
            }
        ]
    }
    assert Ticket.objects.get(pk=ticket.pk).assignee == siti
    # The timeline says who holds it (what expected_assignee is read from); with that, the change is knowing.
    events = client.get(f"{TICKETS}{ticket.reference}/events/").json()
    seen = [e["payload"]["to_id"] for e in events if e["type"] == EventType.ASSIGNED][-1]
    assert client.post(url, {"assignee": budi.pk, "expected_assignee": seen}, format="json").status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).assignee == budi
    # Choosing whoever holds it now changes nothing and is never refused; left out, nothing is compared.
    assert client.post(url, {"assignee": budi.pk, "expected_assignee": siti.pk}, format="json").status_code == 200
    assert client.post(url, {"assignee": siti.pk}, format="json").status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).assignee == siti
