"""Two officers assigning the same ticket at once: the second one is told who got it meanwhile instead of
overwriting the first one's choice unseen (the ticket page's assign form and the queue's bulk assign)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.models import EventType, Ticket
from tests.conftest import make_staff
from tests.factories import make_ticket

HTMX = {"HX-Request": "true"}


def officer(email: str, name: str):
    user = make_staff(email, "dlh")
    user.full_name = name
    user.save(update_fields=["full_name"])
    return user


@pytest.fixture
def siti(city):
    return officer("siti.dlh@banjarmasinkota.go.id", "Siti")


@pytest.fixture
def budi(city):
    return officer("budi.dlh@banjarmasinkota.go.id", "Budi")


@pytest.fixture
def rahmat(city):
    return officer("rahmat.dlh@banjarmasinkota.go.id", "Rahmat")


def assign_form(client, ticket) -> dict:
    """What the ticket page's assign form sends as drawn now (its hidden fields, the choice shown)."""
    html = client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()
    return form_fields(html)


def form_fields(html: str) -> dict:
    form = html[html.index('id="form-assign"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="(assign-[\w-]+)" value="([^"]*)"', form))
    selected = re.search(r'<select name="assign-assignee".*?</select>', form, re.S).group(0)
    chosen = re.search(r'<option value="(\d*)" selected>', selected)
    fields["assign-assignee"] = chosen.group(1) if chosen else ""
    return fields


def assign(client, ticket, form: dict, assignee):
    return client.post(
        reverse("staff:ticket_action", args=[ticket.reference, "assign"]),
        {**form, "assign-assignee": assignee.pk if assignee else ""},
    )


def test_the_second_officer_is_told_who_got_it_and_overwrites_nothing(client, siti, budi, rahmat):
    ticket = make_ticket(title="Sampah menumpuk di Jalan Mawar")
    client.force_login(siti)
    siti_form = assign_form(client, ticket)
    client.force_login(rahmat)
    rahmat_form = assign_form(client, ticket)  # opened while nobody held it

    client.force_login(siti)
    assert assign(client, ticket, siti_form, siti).status_code == 302
    client.force_login(rahmat)
    response = assign(client, ticket, rahmat_form, budi)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Meanwhile this ticket was assigned to Siti. Choose again if it should still change." in html
    assert Ticket.objects.get(pk=ticket.pk).assignee == siti
    assert ticket.events.filter(type=EventType.ASSIGNED).count() == 1
    # The form keeps Rahmat's choice, and now carries who holds the ticket: sent again, it is a knowing choice.
    redrawn = form_fields(html)
    assert redrawn["assign-assignee"] == str(budi.pk)
    assert redrawn["assign-seen_assignee"] == str(siti.pk)
    assert assign(client, ticket, redrawn, budi).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).assignee == budi


def test_giving_it_back_to_the_pool_meanwhile_is_said_too(client, siti, budi, rahmat):
    ticket = make_ticket(assignee=siti)
    client.force_login(rahmat)
    rahmat_form = assign_form(client, ticket)
    client.force_login(siti)
    assign(client, ticket, assign_form(client, ticket), None)

    client.force_login(rahmat)
    response = assign(client, ticket, rahmat_form, budi)

    assert response.status_code == 400
    assert "Meanwhile this ticket was given back to the department pool." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_choosing_whoever_holds_it_now_is_no_change_and_no_error(client, siti, rahmat):
    ticket = make_ticket()
    client.force_login(rahmat)
    rahmat_form = assign_form(client, ticket)
    client.force_login(siti)
    assign(client, ticket, assign_form(client, ticket), siti)

    client.force_login(rahmat)
    response = assign(client, ticket, rahmat_form, siti)

    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).assignee == siti
    assert ticket.events.filter(type=EventType.ASSIGNED).count() == 1


def seen_assignees(html: str) -> str:
    return re.search(r'name="seen_assignees" value="([^"]*)"', html).group(1)


def test_bulk_assign_refuses_the_tickets_assigned_since_the_queue_was_drawn(client, siti, budi, rahmat):
    taken, free = make_ticket(), make_ticket()
    client.force_login(rahmat)
    drawn = seen_assignees(client.get(reverse("staff:queue")).content.decode())
    client.force_login(siti)
    assign(client, taken, assign_form(client, taken), siti)

    client.force_login(rahmat)
    bulk = {"action": "assign", "ids": [taken.pk, free.pk], "assignee": budi.pk, "query": ""}
    html = client.post(reverse("staff:bulk"), {**bulk, "seen_assignees": drawn}, headers=HTMX).content.decode()

    assert "1 tickets updated." in html
    assert f"{taken.reference}: Meanwhile this ticket was assigned to Siti." in html
    assert Ticket.objects.get(pk=taken.pk).assignee == siti
    assert Ticket.objects.get(pk=free.pk).assignee == budi
    # Applied again from the queue as it is drawn now, the choice is a knowing one.
    client.post(reverse("staff:bulk"), {**bulk, "seen_assignees": seen_assignees(html)}, headers=HTMX)
    assert Ticket.objects.get(pk=taken.pk).assignee == budi
