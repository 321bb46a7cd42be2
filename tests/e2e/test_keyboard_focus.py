"""Where the keyboard focus goes when part of a page changes under it, and what a screen reader hears there, in
Debian's chromium via Playwright: the staff queue's "Next" page, a staff reply refused as a whole, the filing form's
error summary, "Remove pin" and "me too" without an email. Before, each left the focus on the page itself (the
next Tab went to the footer, or back to the top) or on a field that did not say why it was refused; and "me too",
pressed as soon as it showed, did nothing while htmx had not yet settled it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_citizen_flow import tap_map_at
from tests.e2e.test_staff_flow import queue_references, signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"

# htmx wires the buttons of new content (hx-post) when it "settles", on a timer after the swap, which a phone busy
# drawing the page runs late (or a loaded machine). Ten seconds of it stands for that phone: a button shown but not yet
# wired does nothing when pressed.
LATE_SETTLING_HTMX = "document.addEventListener('DOMContentLoaded', () => { htmx.config.defaultSettleDelay = 10000; })"


def english_phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def accessible_description(page, selector: str) -> str:
    return page.locator(selector).evaluate(
        "e => (e.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)"
        ".map(i => document.getElementById(i).innerText.trim()).join(' ')"
    )


def test_next_page_by_keyboard_takes_the_focus_to_the_new_results(live_server, browser, staff_dlh):
    for _ in range(30):
        make_ticket()
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{live_server.url}/staf/antrian/?status=all&page_size=25")
    first_page = queue_references(page)
    assert len(first_page) == 25

    page.focus("a.page-link[href*='page=2']")
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2**")
    page.wait_for_function("() => document.querySelectorAll('#queue-table tr[data-reference]').length === 5")
    assert not queue_references(page) & first_page

    # The focus is on the new results' count, described by the page it is on, and in view; the next Tab goes on
    # into the results (not to the footer), and the live region says what was found.
    count = page.locator("#queue-count")
    expect(count).to_be_focused()
    expect(count).to_be_in_viewport()
    assert "30" in count.inner_text()
    assert accessible_description(page, "#queue-count") == page.locator("#queue-page").inner_text().strip()
    assert "2" in page.locator("#queue-page").inner_text()
    expect(page.locator("#queue-status")).to_contain_text("30")
    page.keyboard.press("Tab")
    expect(page.locator("#export-csv")).to_be_focused()

    # A filter chosen leaves the focus on that filter.
    page.focus("#filter-sort")
    page.select_option("#filter-sort", "-age")
    page.wait_for_url("**sort=-age**")
    expect(page.locator("#filter-sort")).to_be_focused()

    # The bulk "Apply" keeps the focus (htmx finds it again by its id), with the answer said above the results.
    page.locator("#queue-table .row-select").first.check()
    page.select_option("#bulk-action", "priority")
    page.focus("#bulk-apply")
    page.keyboard.press("Enter")
    page.locator("#queue-results .messages [role=alert]").first.wait_for()
    expect(page.locator("#bulk-apply")).to_be_focused()
    page.context.close()


def test_a_reply_refused_as_a_whole_is_read_out_from_the_focused_field(live_server, browser, staff_dlh):
    ticket = make_ticket()
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{live_server.url}/staf/tiket/{ticket.reference}/")
    page.click("#action-reply .accordion-button")
    page.wait_for_selector("#action-body-reply.show")
    with page.expect_navigation():
        page.click("#form-reply button[type=submit]")

    error = page.locator("#form-reply-error")
    expect(error).to_have_attribute("role", "alert")
    canned = page.locator("#id_reply-canned_response")
    expect(canned).to_be_focused()
    expect(canned).to_have_attribute("aria-invalid", "true")
    assert error.inner_text().strip() in accessible_description(page, "#id_reply-canned_response")
    expect(page.locator("#id_reply-message")).to_have_attribute("aria-invalid", "true")
    assert error.inner_text().strip() in accessible_description(page, "#id_reply-message")
    page.context.close()


def test_the_filing_forms_keyboard_paths(live_server, browser, city):
    from services.models import Area

    mawar = Area.objects.get(code=MAWAR)
    page = english_phone(browser)
    page.goto(f"{live_server.url}/lapor/")

    # The "log in" link in the blue box reads at 4.5:1 at least (it was the page's blue, 3.85:1).
    ratio = page.locator(".alert-info a[href*='next=/lapor/']").evaluate(
        """a => {
          const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const fg = lum(getComputedStyle(a).color), bg = lum(getComputedStyle(a.closest('.alert')).backgroundColor);
          return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        }"""
    )
    assert ratio >= 4.5

    # "Remove pin" hides itself: the focus goes to the kelurahan list, which now decides.
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    page.focus("#clear-pin")
    page.keyboard.press("Enter")
    expect(page.locator("#clear-pin")).to_be_hidden()
    expect(page.locator("#id_area")).to_be_focused()
    assert page.locator("#id_lat").input_value() == ""

    # The error summary's link to "What is it about?" lands on the service search, which says why.
    page.evaluate("document.getElementById('filing-form').noValidate = true")
    page.click("#submit-report")
    link = page.locator("#form-errors a", has_text="What is it about?")
    link.wait_for()
    link.focus()
    page.keyboard.press("Enter")
    search = page.locator("#service-search")
    expect(search).to_be_focused()
    assert page.locator("#id_service_error").inner_text().strip() in accessible_description(page, "#service-search")
    page.context.close()


def test_me_too_without_an_email_leads_to_the_email_field(live_server, browser, city):
    from services.models import Area

    mawar = Area.objects.get(code=MAWAR)
    nearby = make_ticket(title="Sampah menumpuk di Gang Mawar")
    page = english_phone(browser)
    page.add_init_script(LATE_SETTLING_HTMX)
    page.goto(f"{live_server.url}/lapor/")
    page.check(f"#service-{nearby.service_id}")
    tap_map_at(page, mawar.label_lat + 0.0005, mawar.label_lng)
    offer = page.locator("#similar-reports")
    offer.wait_for()
    # Pressed as soon as it shows: it works then, however late htmx settles (it did nothing until then).
    offer.locator("button.me-too").first.focus()
    page.keyboard.press("Enter")
    answer = offer.locator(".me-too-result a[href='#id_reporter_email']")
    answer.wait_for()
    assert "email" in answer.inner_text()
    page.keyboard.press("Tab")  # the answer follows the button
    expect(answer).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_reporter_email")).to_be_focused()
    page.context.close()
