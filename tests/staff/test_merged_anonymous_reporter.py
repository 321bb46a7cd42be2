"""An anonymous report's promise, that nobody, not even the department, sees who filed it, holds after a merge: its
reporter follows the target from then on, and what they add there reaches staff without their name or address (the
staff page showed "warga@example.id · Informasi dari warga" right below the merge)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import actions, queries
from complaints.models import EventType, Privacy, TicketEvent
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(citizen, other_citizen, staff_dlh):
    """A public report and the anonymous twin ``citizen`` filed, merged into it."""
    into = make_ticket(reporter=other_citizen, title="Sampah menumpuk di Jalan Mawar")
    anonymous = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS)
    actions.merge_ticket(ticket=anonymous, into=into, actor=staff_dlh)
    into.refresh_from_db()
    return into


def staff_page(client, staff, ticket) -> str:
    client.force_login(staff)
    return client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()


def test_what_the_anonymous_reporter_adds_on_the_target_names_nobody(client, merged, citizen, staff_dlh):
    event = actions.add_citizen_info(ticket=merged, actor=citizen, message="Airnya sudah setinggi lutut.")
    assert event.actor_id is None and event.payload["by"] == "follower"
    html = staff_page(client, staff_dlh, merged)
    assert "Airnya sudah setinggi lutut." in html
    assert citizen.email not in html and citizen.full_name not in html


def test_an_event_recorded_with_their_name_before_is_shown_without_it(client, merged, citizen, staff_dlh):
    TicketEvent.objects.create(
        ticket=merged, type=EventType.CITIZEN_INFO, actor=citizen, payload={"message": "Foto baru.", "by": "follower"}
    )
    html = staff_page(client, staff_dlh, merged)
    assert "Foto baru." in html
    assert citizen.email not in html and citizen.full_name not in html


def test_through_a_second_merge_too(merged, citizen, staff_dlh):
    final = make_ticket(reporter=make_user("ketiga@example.id"))
    actions.merge_ticket(ticket=merged, into=final, actor=staff_dlh)
    assert queries.acts_anonymously(citizen, final)
    event = actions.add_citizen_info(ticket=final, actor=citizen, message="Masih banjir.")
    assert event.actor_id is None


def test_a_named_follower_stays_named(merged, staff_dlh):
    supporter = make_user("pendukung@example.id")
    public_twin = make_ticket(reporter=supporter)
    actions.merge_ticket(ticket=public_twin, into=merged, actor=staff_dlh)
    assert not queries.acts_anonymously(supporter, merged)
    event = actions.add_citizen_info(ticket=merged, actor=supporter, message="Di sini juga.")
    assert event.actor_id == supporter.pk
