"""What a field technician reads on the staff ticket page: times labelled WITA as the citizen's page does, the way to
the pin in the phone's map app, starting work on a pool ticket said to assign it to him, and departments to forward
to named in full."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def ticket_page(client, ticket) -> str:
    return client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()


def act(client, ticket, name, data=None):
    return client.post(reverse("staff:ticket_action", args=[ticket.reference, name]), data or {}, follow=True)


def test_starting_work_on_a_pool_ticket_says_it_is_now_assigned_to_the_officer(client, staff_dlh, dlh_member):
    pool = make_ticket(status=Status.ACKNOWLEDGED)
    client.force_login(staff_dlh)
    page = act(client, pool, "start").content.decode()
    assert "Work started. The ticket is now assigned to you." in page
    # Someone else's ticket stays theirs: the message says only that work started.
    held = make_ticket(status=Status.ACKNOWLEDGED, assignee=dlh_member)
    page = act(client, held, "start").content.decode()
    assert "Work started." in page and "now assigned to you" not in page


def test_resolving_a_pool_ticket_says_it_is_now_assigned_to_the_officer(client, staff_dlh):
    pool = make_ticket(status=Status.IN_PROGRESS)
    client.force_login(staff_dlh)
    page = act(client, pool, "resolve", {"resolve-note": "Sampah sudah diangkut."}).content.decode()
    assert "Ticket resolved. It is now assigned to you." in page


def test_every_time_on_the_page_says_wita_as_the_citizens_page_does(client, staff_dlh):
    ticket = make_ticket(status=Status.ACKNOWLEDGED)
    client.force_login(staff_dlh)
    act(client, ticket, "start")  # an event on the timeline
    html = ticket_page(client, ticket)
    for cell in ("ticket-filed", "response-due", "resolution-due"):
        text = re.search(rf'<dd [^>]*id="{cell}"[^>]*>(.*?)</dd>', html, flags=re.S).group(1)
        assert re.search(r"\d\d:\d\d WITA", text), cell
    times = re.findall(r'<div class="small text-muted event-time">(.*?)·', html, flags=re.S)
    assert times and all(re.search(r"\d\d:\d\d WITA", t) for t in times)


def test_the_forward_form_names_each_department_in_full_under_an_empty_choice_that_says_what_to_do(client, staff_dlh):
    from complaints.staff_forms import ForwardForm
    from services.models import Department

    ticket = make_ticket()
    choices = list(ForwardForm(ticket=ticket).fields["department"].choices)
    assert str(choices[0][1]) == "Choose a department"
    pupr = Department.objects.get(code="pupr")
    assert f"{pupr.short_name} – {pupr.name}" in [str(label) for _value, label in choices]


def test_the_location_row_links_to_the_pin_in_a_map_app_with_its_coordinates(client, staff_dlh):
    pinned = make_ticket(lat=-3.316694, lng=114.590111)
    client.force_login(staff_dlh)
    html = ticket_page(client, pinned)
    where = re.search(r'<dd [^>]*id="ticket-where"[^>]*>(.*?)</dd>', html, flags=re.S).group(1)
    assert "-3.316694, 114.590111" in where
    assert 'href="geo:-3.316694,114.590111?q=-3.316694,114.590111' in where
    assert 'href="https://www.openstreetmap.org/?mlat=-3.316694&amp;mlon=114.590111' in where
    # No pin (a report placed by its kelurahan only): no way to a place that is not known.
    unpinned = make_ticket(kelurahan=None, lat=None, lng=None)
    where = re.search(r'<dd [^>]*id="ticket-where"[^>]*>(.*?)</dd>', ticket_page(client, unpinned), flags=re.S)
    assert "geo:" not in where.group(1) and "openstreetmap" not in where.group(1)


def test_staff_outside_the_department_see_no_link_to_the_pin(client, staff_pupr):
    pinned = make_ticket(lat=-3.316694, lng=114.590111)
    client.force_login(staff_pupr)
    response = client.get(reverse("staff:ticket", args=[pinned.reference]))
    assert "geo:" not in response.content.decode()


def test_an_over_long_reply_is_refused_for_its_length_only(client, staff_dlh):
    from complaints.staff_forms import ReplyForm

    ticket = make_ticket()
    form = ReplyForm({"message": "x" * 4001}, ticket=ticket)
    assert not form.is_valid()
    assert "message" in form.errors
    assert form.non_field_errors() == []  # not also "write a reply or choose a canned response"
    empty = ReplyForm({"message": ""}, ticket=ticket)
    assert not empty.is_valid() and empty.non_field_errors()
