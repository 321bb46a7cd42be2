"""A refused bulk action draws the bulk form again as it was sent: the action, the note and the ticked tickets
(the refused ones) stay, so the user fixes what was wrong instead of choosing and typing it all again."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.factories import make_ticket

HTMX = {"HX-Request": "true"}


def ticked(html: str) -> set[str]:
    return set(re.findall(r'name="ids" value="(\d+)"[^>]* checked', html))


def test_nothing_ticked_keeps_the_action_and_the_note(client, staff_dlh, dlh_ticket):
    client.force_login(staff_dlh)
    response = client.post(
        reverse("staff:bulk"), {"action": "reject", "note": "Bukan wewenang dinas", "query": ""}, headers=HTMX
    )
    html = response.content.decode()
    assert "Choose an action and at least one ticket." in html
    assert '<option value="reject" selected>' in html
    assert 'value="Bukan wewenang dinas"' in html


def test_refused_tickets_stay_ticked(client, staff_dlh, city):
    first, second = make_ticket(), make_ticket()
    client.force_login(staff_dlh)
    response = client.post(
        reverse("staff:bulk"),
        {"action": "reject", "ids": [first.pk, second.pk], "priority": "3", "note": "", "query": ""},
        headers=HTMX,
    )
    html = response.content.decode()
    assert first.reference in html and "alert-danger" in html
    assert ticked(html) == {str(first.pk), str(second.pk)}
    assert '<option value="reject" selected>' in html
    assert re.search(r'<option value="3" selected>', html)


def test_a_done_action_starts_afresh(client, staff_dlh, city):
    ticket = make_ticket()
    client.force_login(staff_dlh)
    response = client.post(
        reverse("staff:bulk"), {"action": "acknowledge", "ids": [ticket.pk], "note": "x", "query": ""}, headers=HTMX
    )
    html = response.content.decode()
    assert "1 tickets updated." in html
    assert ticked(html) == set()
    assert 'value="x"' not in html
