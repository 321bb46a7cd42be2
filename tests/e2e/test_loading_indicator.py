"""On a slow link (a field technician's phone at 400 kbps) a pressed button or a changed filter did nothing visible for
seconds while htmx waited for the answer. Now a bar runs along the top of the window, the part of the page that will
change is aria-busy, and a screen reader hears "Loading…"; all of it goes when the answer is in. Polling (an
export's progress) stays quiet. Debian's chromium via Playwright, the answer held until the test lets it go."""

from __future__ import annotations

import pytest

from tests.e2e.test_staff_flow import signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def hold_htmx_requests(page, held: list) -> None:
    """Requests htmx sends wait in ``held`` until the test lets them go; the page itself loads as usual."""

    def hold(route):
        if route.request.headers.get("hx-request"):
            held.append(route)
        else:
            route.continue_()

    page.route("**/staf/antrian/**", hold)


def wait_for(page, held: list) -> None:
    for _ in range(100):
        if held:
            return
        page.wait_for_timeout(100)  # Playwright hands the requests to the route meanwhile
    raise AssertionError("no htmx request was sent")


@pytest.fixture
def queue_page(browser, live_server, city, staff_pupr):
    make_ticket(service="jalan-rusak", status="in_progress", assignee=staff_pupr)
    page = signed_in_page(browser, live_server, staff_pupr)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return page


def test_a_filter_waiting_for_its_answer_shows_the_bar_and_says_loading(live_server, queue_page):
    page = queue_page
    held: list = []
    hold_htmx_requests(page, held)
    page.goto(f"{live_server.url}/staf/antrian/")
    bar = page.locator("#busy-bar")
    assert not bar.is_visible()

    page.select_option("#filter-priority", index=1)
    wait_for(page, held)
    page.wait_for_selector("#busy-bar", state="visible")
    assert page.locator("#queue-results").get_attribute("aria-busy") == "true"
    assert "htmx-request" in (page.locator("#queue-filters").get_attribute("class") or "")
    status = page.locator("#busy-status")
    assert status.get_attribute("role") == "status"
    page.wait_for_function("() => document.getElementById('busy-status').textContent === 'Loading…'")

    for route in held:
        route.continue_()
    page.wait_for_selector("#busy-bar", state="hidden")
    assert page.locator("#queue-results").get_attribute("aria-busy") is None
    assert status.text_content() == ""


def test_polling_does_not_run_the_bar(live_server, queue_page):
    page = queue_page
    held: list = []
    hold_htmx_requests(page, held)
    page.goto(f"{live_server.url}/staf/antrian/")
    # As an export's progress asks every second (staff/_export_job.html).
    page.evaluate(
        """() => {
          const poll = document.createElement("div");
          poll.setAttribute("hx-get", "/staf/antrian/?poll=1");
          poll.setAttribute("hx-trigger", "every 100ms");
          poll.setAttribute("hx-swap", "none");
          document.querySelector("main").appendChild(poll);
          htmx.process(poll);
        }"""
    )
    wait_for(page, held)
    page.wait_for_timeout(1000)
    assert not page.locator("#busy-bar").is_visible()
    assert page.locator("#busy-status").text_content() == ""
    for route in held:
        route.continue_()
