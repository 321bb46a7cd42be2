"""A phone's fingers on /lapor/ and /laporan/: every button, link, field and service row is at least 44 × 44 px on a
touch screen (a mouse keeps the compact sizes), and "Show my name" is offered for a public report only, its tick kept
for when the citizen goes back to public. Debian's chromium via Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_phone_maps import phone, ready

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = """(selector) => Array.from(document.querySelectorAll(selector))
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .map(e => { const r = e.getBoundingClientRect();
                const name = e.id || e.textContent.trim().slice(0, 20) || e.className;
                return [name, Math.round(r.width), Math.round(r.height)]; })"""

FILING_TARGETS = [
    "#language-form .btn",
    "#use-my-location",
    "#filing-map .leaflet-control-zoom a",
    ".service-item",
    "footer a",
    "#mainnav .nav-link",
    "#id_title",
    ".navbar-toggler",
]


def too_small(page, selectors, *, width=True):
    small = []
    for selector in selectors:
        sizes = page.evaluate(SIZES, selector)
        assert sizes, selector
        small += [(selector, *size) for size in sizes if size[2] < 44 or (width and size[1] < 44)]
    return small


def test_every_target_on_the_filing_form_and_the_public_list_fits_a_finger(live_server, browser, city):
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    ready(page, "filing-map")
    page.locator(".navbar-toggler").tap()
    page.wait_for_selector("#mainnav.show")
    assert too_small(page, FILING_TARGETS) == []

    page.goto(f"{live_server.url}/laporan/")
    assert too_small(page, ["#public-filters input", "#public-filters select", "#public-filters button"]) == []


def test_a_mouse_keeps_the_compact_sizes(live_server, browser, city):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#use-my-location").bounding_box()["height"] < 40
    assert page.locator("#language-form .btn").first.bounding_box()["height"] < 40


def test_show_my_name_is_for_a_public_report_only_and_keeps_its_tick(live_server, browser, city):
    from services.models import Service

    waste = Service.objects.get(code="sampah-menumpuk")
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    page.locator(f"#service-{waste.pk}").check()
    show_name = page.locator("#id_show_name")
    assert page.locator("#privacy-public").is_checked()
    show_name.check()

    for choice in ("anonymous", "confidential"):
        page.locator(f"#privacy-{choice}").check()
        assert not show_name.is_visible()
        assert show_name.is_disabled()  # not sent with the report
    page.locator("#privacy-public").check()
    assert show_name.is_visible() and show_name.is_enabled()
    assert show_name.is_checked()


def test_a_service_confidential_by_default_offers_no_name_to_show(live_server, browser, city):
    from services.models import Service

    health = Service.objects.filter(default_privacy="confidential").first()
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/?service={health.pk}")
    assert page.locator("#privacy-confidential").is_checked()
    assert not page.locator("#id_show_name").is_visible()
