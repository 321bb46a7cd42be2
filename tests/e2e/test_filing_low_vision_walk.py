"""The filing form in a low-vision citizen's accessibility walk (keyboard and screen reader, 200% zoom: a 640 × 400
window at device scale 2): arrowing through the services asks and announces only for the service the choice settles
on, so the emergency notice is not raised on the way to "street light" (and a raised one is lowered again), and it
is never kept in sight where it would cover the field being filled; a street light "on the electricity pole" is no
danger; a photo added or removed is said; "Where is it?" names the keyboard's way and lets it skip the map. Debian's
chromium via Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_filing_emergency_notice import is_raised

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SETTLED_MS = 1200  # more than the form's wait for the choice to settle (filing-form.js SETTLE_MS)


def zoomed(browser):
    """200% zoom on a 1280 × 800 screen, in English."""
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: print("page error:", error))
    return page


def service_requests(page) -> dict[str, list[str]]:
    sent: dict[str, list[str]] = {"attributes": [], "similar": []}
    urls = {"attributes": "/lapor/atribut/", "similar": "/lapor/serupa/"}

    def seen(request):
        for kind in sent:
            if request.url.split("?")[0].endswith(urls[kind]):
                sent[kind].append(request.url)

    page.on("request", seen)
    return sent


def arrow_to(page, start_code: str, end_code: str) -> None:
    """From the radio of `start_code` to the one of `end_code` with the arrow keys, as a keyboard user goes."""
    codes = page.eval_on_selector_all("input[name=service]", "radios => radios.map((r) => r.dataset.code || '')")
    start, end = codes.index(start_code), codes.index(end_code)
    page.focus(f"input[name=service][data-code='{start_code}']")
    page.keyboard.press("Space")
    key = "ArrowDown" if end > start else "ArrowUp"
    for _ in range(abs(end - start)):
        page.keyboard.press(key)
        page.wait_for_timeout(120)  # a brisk keyboard user: faster than the form waits for the choice to settle


def test_arrowing_past_the_fire_service_to_the_street_light_asks_once_and_raises_nothing(live_server, browser, city):
    from django.urls import reverse

    from services.models import Area

    page = zoomed(browser)
    sent = service_requests(page)
    assert reverse("complaints:attributes") == "/lapor/atribut/" and reverse("complaints:similar") == "/lapor/serupa/"
    page.goto(f"{live_server.url}/lapor/")
    # A kelurahan chosen (the keyboard's way to say where): the similar reports are asked for too.
    page.select_option("#id_area", str(Area.objects.get(code="63.71.05.1003").pk))  # Mawar
    page.wait_for_timeout(300)
    sent["attributes"].clear()
    sent["similar"].clear()

    codes = page.eval_on_selector_all("input[name=service]", "radios => radios.map((r) => r.dataset.code || '')")
    # The way from the service before the fire service to the street light passes the fire service (and in the
    # catalogue's order the disaster service too), whichever comes first.
    fire, light = codes.index("kebakaran"), codes.index("pju-mati")
    start = codes[fire - 1] if light > fire else codes[fire + 1]
    arrow_to(page, start, "pju-mati")
    assert page.locator("input[name=service]:checked").get_attribute("data-code") == "pju-mati"
    assert not is_raised(page)
    page.wait_for_timeout(SETTLED_MS)
    assert not is_raised(page)
    assert page.locator("#emergency-alert").inner_text() == ""
    # One request of each kind, for the settled choice (the start's, picked with Space, settled with the rest).
    street_light = page.locator("input[data-code='pju-mati']").get_attribute("value")
    assert sent["attributes"] == [f"{live_server.url}/lapor/atribut/?service={street_light}"]
    assert len(sent["similar"]) == 1 and f"service={street_light}&" in sent["similar"][0]
    page.locator("#attributes").get_by_text("How many lights are out?").wait_for()
    # Leaving the list asks nothing more.
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    assert len(sent["attributes"]) == 1 and len(sent["similar"]) == 1

    # A settled fire service raises the notice, said once; the focus leaving the list settles it at once.
    arrow_to(page, "pju-mati", "kebakaran")
    page.keyboard.press("Tab")
    page.wait_for_selector("#emergency-notice.emergency-raised.alert-danger")
    alert = page.locator("#emergency-notice [role=alert]")
    assert alert.count() == 1 and "If anyone is in danger, call now" in alert.inner_text()

    # 200% zoom: the notice is not kept in sight, so it covers none of the fields below it.
    notice = page.locator("#emergency-notice")
    assert notice.evaluate("(e) => getComputedStyle(e).position") != "sticky"
    page.focus("#id_title")
    page.locator("#id_title").scroll_into_view_if_needed()
    box, title = notice.bounding_box(), page.locator("#id_title").bounding_box()
    assert box["y"] + box["height"] <= title["y"]

    # Back to the street light, settled: lowered, and not said again.
    arrow_to(page, "kebakaran", "pju-mati")
    page.wait_for_timeout(SETTLED_MS)
    assert not is_raised(page)
    assert "alert-warning" in notice.get_attribute("class")
    assert page.locator("#emergency-notice [role=alert]").count() == 0
    assert not page.locator("#emergency-alert").is_visible()
    assert not page.locator("#emergency-understood").is_visible()

    # A street light on an electricity pole is no danger; a fallen pole is.
    page.fill("#id_title", "Lampu di tiang listrik depan rumah mati")
    page.fill("#id_description", "Kabel listrik ke lampu sudah tua, lampu mati sejak minggu lalu.")
    page.wait_for_timeout(200)
    assert not is_raised(page)
    page.locator("#id_description").press_sequentially(" Tiang listrik roboh")
    page.wait_for_selector("#emergency-notice.emergency-raised")
    assert page.locator("#emergency-alert").is_visible()
    assert page.locator("#emergency-notice [role=alert]").count() == 0  # said once, earlier


def test_the_raised_notice_stays_in_sight_on_a_tall_screen(live_server, browser, city):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    page.check("input[data-code='bencana']")  # tapped: settled at once
    page.wait_for_selector("#emergency-notice.emergency-raised")
    assert page.locator("#emergency-notice").evaluate("(e) => getComputedStyle(e).position") == "sticky"


def test_a_photo_added_or_removed_is_said(live_server, browser, city):
    from tests.complaints.conftest import jpeg_bytes

    page = zoomed(browser)
    page.goto(f"{live_server.url}/lapor/")
    status = page.locator("#photo-status")
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator("#kept-photos").get_attribute("aria-live") is None
    photo = {"name": "lampu.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    page.set_input_files("#id_photos", files=[photo])
    page.wait_for_function("() => document.getElementById('photo-status').textContent.includes('lampu.jpg')")
    assert status.inner_text() == "lampu.jpg added (1 of 3 photos)."
    other = {"name": "tiang.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    page.set_input_files("#id_photos", files=[other])
    page.wait_for_function("() => document.getElementById('photo-status').textContent.includes('tiang.jpg')")
    assert status.inner_text() == "tiang.jpg added (2 of 3 photos)."
    page.click("#kept-photos li.kept-photo:first-child .remove-photo")
    assert status.inner_text() == "lampu.jpg removed (1 of 3 photos)."


def test_where_is_it_names_the_keyboards_way_and_skips_the_map(live_server, browser, city):
    page = zoomed(browser)
    page.goto(f"{live_server.url}/lapor/")
    hint = page.locator("#where-hint")
    assert "or choose the kelurahan and write the address below" in hint.inner_text()
    assert "where-hint" in page.locator("#filing-map").get_attribute("aria-describedby").split()
    page.focus("#where-hint .skip-map")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_area"
