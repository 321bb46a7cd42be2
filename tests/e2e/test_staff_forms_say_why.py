"""A low-vision officer working the staff ticket page with a keyboard and a screen reader sends an action with a
required field left empty: the browser's own bubble stopped it ("Please fill out this field", in the browser's
language, gone after a few seconds), and nothing marked the field refused. The action forms are `novalidate` now: the
server refuses it in the page's language (Indonesian by default), the field is marked refused (aria-invalid), has the
focus and is described by the message, and what was typed elsewhere is kept. Debian's chromium via Playwright."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation
from playwright.sync_api import expect

from tests.e2e.test_keyboard_focus import accessible_description
from tests.e2e.test_staff_flow import signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

with translation.override("id"):
    REQUIRED = str(forms.Field.default_error_messages["required"])  # Django's "This field is required."
REASON = "Bukan wewenang DLH: saluran drainase milik Dinas PUPR."
NOTE = "Warga minta ditelepon sore hari."
# Sent, the form leaves the page at once; held by the browser's bubble, it never does.
SENT_WITHIN_MS = 5_000


def open_action(page, name: str) -> None:
    page.click(f"#action-{name} .accordion-button")
    page.wait_for_selector(f"#action-body-{name}.show")


def save(page, name: str) -> None:
    with page.expect_navigation(timeout=SENT_WITHIN_MS):
        page.click(f"#form-{name} button[type=submit]")


def test_an_empty_required_field_is_refused_by_the_server_in_indonesian_and_the_rest_is_kept(
    live_server, browser, staff_dlh
):
    ticket = make_ticket()
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{live_server.url}/staf/tiket/{ticket.reference}/")

    # Forward: the reason typed, no department chosen.
    open_action(page, "forward")
    page.fill("#id_forward-reason", REASON)
    save(page, "forward")

    department = page.locator("#id_forward-department")
    expect(page.locator("#id_forward-department_error")).to_have_text(REQUIRED)
    expect(department).to_have_attribute("aria-invalid", "true")
    expect(department).to_be_focused()
    assert REQUIRED in accessible_description(page, "#id_forward-department")
    assert page.locator("#id_forward-reason").input_value() == REASON
    expect(page.locator("#action-error")).to_have_text("Mohon perbaiki kesalahan di bawah ini.")
    ticket.refresh_from_db()
    assert ticket.department.short_name == "DLH"


def test_an_empty_resolution_is_refused_and_the_note_typed_before_comes_back(live_server, browser, staff_dlh):
    ticket = make_ticket(status="in_progress", assignee=staff_dlh)
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{live_server.url}/staf/tiket/{ticket.reference}/")
    open_action(page, "note")
    page.fill("#id_note-message", NOTE)
    open_action(page, "resolve")
    save(page, "resolve")

    note = page.locator("#id_resolve-note")
    expect(note).to_be_focused()
    expect(note).to_have_attribute("aria-invalid", "true")
    assert REQUIRED in accessible_description(page, "#id_resolve-note")
    # The note not sent is back in its action (form-draft.js), which says so.
    assert page.locator("#id_note-message").input_value() == NOTE
    expect(page.locator("#form-note .draft-restored")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"


def test_an_empty_reply_is_refused_in_indonesian_from_the_focused_field(live_server, browser, staff_dlh):
    ticket = make_ticket()
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{live_server.url}/staf/tiket/{ticket.reference}/")
    open_action(page, "reply")
    save(page, "reply")

    refusal = "Tuliskan balasan atau pilih templat jawaban."
    expect(page.locator("#form-reply-error")).to_have_text(refusal)
    canned = page.locator("#id_reply-canned_response")
    expect(canned).to_be_focused()
    expect(canned).to_have_attribute("aria-invalid", "true")
    assert refusal in accessible_description(page, "#id_reply-canned_response")


def test_every_action_form_of_the_ticket_page_leaves_checking_to_the_server(live_server, browser, staff_dlh):
    ticket = make_ticket(status="in_progress", assignee=staff_dlh)
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{live_server.url}/staf/tiket/{ticket.reference}/")
    held = page.eval_on_selector_all("#actions form", "forms => forms.filter(f => !f.noValidate).map(f => f.id)")
    assert page.locator("#actions form").count() > 5
    assert held == []


def test_a_filter_saved_without_a_name_is_refused_by_the_server_in_indonesian(live_server, browser, staff_dlh):
    from complaints.models import SavedFilter

    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{live_server.url}/staf/antrian/?overdue=on")
    with page.expect_navigation(timeout=SENT_WITHIN_MS):
        page.click("#save-filter-form button[type=submit]")

    expect(page.get_by_role("alert")).to_contain_text("Beri nama untuk filter ini.")
    assert "overdue=on" in page.url  # back on the queue as it was filtered
    assert not SavedFilter.objects.exists()
