"""A Dinas PUPR field technician on a 360 × 740 phone loses the connection as he presses "Save": the browser's error
page replaced the ticket page and took the resolution he had typed. Each action form of the staff ticket page now
keeps its text in the tab until the server has it, one draft per ticket and form. Debian's chromium via Playwright."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_staff_ticket_on_a_phone import open_resolve, technician_phone
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESOLUTION = "Lubang jalan sudah ditambal dengan aspal dingin."
NOTE = "Warga minta ditelepon sore hari."


@pytest.fixture
def roads(city, staff_pupr):
    return [make_ticket(service="jalan-rusak", status="in_progress", assignee=staff_pupr) for _ in range(2)]


def english_phone(browser, live_server, user):
    page = technician_phone(browser, live_server, user)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return page


def press_save_offline(page, name: str) -> None:
    """The connection goes as "Save" is pressed: the browser's error page replaces the ticket page."""
    page.context.set_offline(True)
    page.click(f"#form-{name} button[type=submit]")
    page.wait_for_url(lambda url: "/aksi/" in url or url.startswith("chrome-error:"))
    page.wait_for_load_state()
    page.context.set_offline(False)


def drafts_in_tab(page) -> str:
    return page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage))")


def test_a_resolution_typed_before_the_connection_went_is_back_until_it_is_saved(
    live_server, browser, roads, staff_pupr
):
    from complaints.models import Status

    road, other_road = roads
    url = f"{live_server.url}/staf/tiket/{road.reference}/"
    page = english_phone(browser, live_server, staff_pupr)
    open_resolve(page, url)
    page.fill("#id_resolve-note", RESOLUTION)
    press_save_offline(page, "resolve")
    road.refresh_from_db()
    assert road.status == Status.IN_PROGRESS  # nothing arrived

    page.goto(url)
    # Back, in its action opened again, and the page says why it is there and that it was not saved.
    assert page.locator("#id_resolve-note").input_value() == RESOLUTION
    assert page.locator("#action-body-resolve").is_visible()
    notice = page.locator("#form-resolve .draft-restored")
    assert notice.is_visible()
    assert "Your text from before is back." in notice.inner_text()
    assert "Saving it did not get through (was the connection lost?): press Save again." in notice.inner_text()
    assert "Photos are not kept: add them again." in notice.inner_text()
    # Never on another ticket's page.
    open_resolve(page, f"{live_server.url}/staf/tiket/{other_road.reference}/")
    assert page.locator("#id_resolve-note").input_value() == ""
    assert not page.locator("#form-resolve .draft-restored").is_visible()

    page.goto(url)
    with page.expect_navigation():
        page.click("#form-resolve button[type=submit]")
    road.refresh_from_db()
    assert road.status == Status.RESOLVED
    assert road.events.filter(payload__note=RESOLUTION).count() == 1
    # The server has it: the tab keeps it no longer, though the resolution's form is no longer on the page.
    page.goto(url)
    assert RESOLUTION not in drafts_in_tab(page)


def test_a_note_saved_is_not_offered_again_and_a_note_not_saved_is(live_server, browser, roads, staff_pupr):
    road = roads[0]
    url = f"{live_server.url}/staf/tiket/{road.reference}/"
    page = english_phone(browser, live_server, staff_pupr)
    page.goto(url)
    page.click("#action-note .accordion-button")
    page.wait_for_selector("#action-body-note.show")
    page.fill("#id_note-message", NOTE)
    press_save_offline(page, "note")
    page.goto(url)
    assert page.locator("#id_note-message").input_value() == NOTE

    with page.expect_navigation():
        page.click("#form-note button[type=submit]")
    assert road.events.filter(payload__message=NOTE).count() == 1
    page.reload()
    assert page.locator("#id_note-message").input_value() == ""
    assert not page.locator("#form-note .draft-restored").is_visible()
    assert NOTE not in drafts_in_tab(page)


def test_a_refused_form_keeps_its_text_and_the_other_forms_their_drafts(live_server, browser, roads, staff_pupr):
    """Sent back refused (from the action's own address), the refused form holds what was sent and the others
    still get their drafts: the draft is named by the ticket and the form, not by the page's address."""
    road = roads[0]
    url = f"{live_server.url}/staf/tiket/{road.reference}/"
    page = english_phone(browser, live_server, staff_pupr)
    page.goto(url)
    page.click("#action-note .accordion-button")
    page.wait_for_selector("#action-body-note.show")
    page.fill("#id_note-message", NOTE)
    page.click("#action-reply .accordion-button")
    page.wait_for_selector("#action-body-reply.show")
    # Too long, so refused (the browser's own limit taken off, as a page drawn before it had one).
    page.eval_on_selector("#id_reply-message", "box => box.removeAttribute('maxlength')")
    page.fill("#id_reply-message", "x" * 4001)
    with page.expect_navigation():
        page.click("#form-reply button[type=submit]")
    assert "/aksi/reply/" in page.url
    assert page.locator("#id_reply-message").input_value() == "x" * 4001
    assert page.locator("#id_note-message").input_value() == NOTE
    stored = json.loads(drafts_in_tab(page))
    assert f"form-draft:staff-ticket:{road.reference}:reply" in stored
