"""The staff ticket page's action forms keep what is typed in the tab (static/js/form-draft.js) until the server has
it: each form carries a one-time key, and the page names the keys of the actions that arrived from this session, so
their drafts are forgotten instead of refilled. A draft is named by its ticket and form, never by the page's address
(a refused form comes back from its action's address). The browser side: tests/e2e/test_staff_ticket_drafts.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Status
from tests.aria import Page
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def page_of(response) -> Page:
    return Page(response.content.decode())


def arrived_keys(page: Page) -> list[str]:
    forms = [form for form in page.find_all("form") if "data-draft-id" in form]
    assert forms, "no action form keeps a draft"
    return (forms[0]["data-draft-arrived"] or "").split()


def draft_key(page: Page, name: str) -> str:
    return next(e["value"] for e in page.by_id[f"form-{name}"].find_all("input") if e.get("name") == "draft_key")


def act(client, ticket, name, data):
    return client.post(reverse("staff:ticket_action", args=[ticket.reference, name]), data, HTTP_ACCEPT_LANGUAGE="en")


def test_each_action_form_keeps_its_own_draft_of_its_own_ticket(client, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, assignee=staff_dlh)
    client.force_login(staff_dlh)
    page = page_of(client.get(reverse("staff:ticket", args=[ticket.reference])))
    for name in ("resolve", "note", "reply"):
        form = page.by_id[f"form-{name}"]
        assert form["data-draft-id"] == f"staff-ticket:{ticket.reference}:{name}"
        assert form["data-draft-sent-key"] == "draft_key"
        assert "data-draft-fresh" in form and form["data-draft-owner"]
    keys = {draft_key(page, name) for name in ("resolve", "note", "reply")}
    assert len(keys) == 3  # one per form: a note saved does not take the reply typed beside it
    assert arrived_keys(page) == []


def test_a_saved_action_names_its_key_and_a_refused_one_does_not(client, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, assignee=staff_dlh)
    client.force_login(staff_dlh)
    page = page_of(client.get(reverse("staff:ticket", args=[ticket.reference])))
    note_key, reply_key = draft_key(page, "note"), draft_key(page, "reply")

    refused = act(client, ticket, "reply", {"reply-message": "", "draft_key": reply_key})
    assert refused.status_code == 400
    page = page_of(refused)
    assert reply_key not in arrived_keys(page)
    # Sent back filled in: what it holds is its draft from now on, not one to refill.
    assert "data-draft-fresh" not in page.by_id["form-reply"]
    assert "data-draft-fresh" in page.by_id["form-note"]

    saved = act(client, ticket, "note", {"note-message": "Warga minta ditelepon.", "draft_key": note_key})
    assert saved.status_code == 302
    page = page_of(client.get(reverse("staff:ticket", args=[ticket.reference])))
    assert arrived_keys(page) == [note_key]
    assert draft_key(page, "note") != note_key  # the next note is another draft


def test_only_the_last_keys_are_kept_and_a_strange_one_not_at_all(client, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, assignee=staff_dlh)
    client.force_login(staff_dlh)
    for number in range(25):
        act(client, ticket, "note", {"note-message": f"Catatan {number}", "draft_key": f"key-{number}"})
    act(client, ticket, "note", {"note-message": "Catatan", "draft_key": "<script>" + "x" * 100})
    page = page_of(client.get(reverse("staff:ticket", args=[ticket.reference])))
    assert arrived_keys(page) == [f"key-{number}" for number in range(5, 25)]
