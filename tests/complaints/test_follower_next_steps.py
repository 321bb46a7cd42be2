"""A follower who did not file a resolved report (a "me too", someone a merge moved there) has no confirm or reopen
form: its next steps asked them to confirm or reopen all the same. They read what is true for them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Status, Subscription
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def page(client, user, ticket) -> str:
    client.force_login(user)
    return client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_follower_of_a_resolved_report_is_not_asked_to_confirm(client, citizen, other_citizen):
    ticket = make_ticket(reporter=citizen, status=Status.RESOLVED)
    Subscription.objects.create(ticket=ticket, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    html = page(client, other_citizen, ticket)
    assert "Please confirm, or reopen it" not in html
    assert "Its reporter confirms it, or reopens it if the problem is still there. We email you what happens." in html
    assert reverse("complaints:file") in html
    assert "Please confirm, or reopen it" in page(client, citizen, ticket)
