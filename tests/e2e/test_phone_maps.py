"""The maps on a phone (390 × 844, touch): one finger scrolls the page past a map and the map says that two fingers
move it; two fingers move it; a tap still drops the filing form's pin, and a finger drags the pin, which then
counts as a tap where it was let go. On a desktop the mouse wheel scrolls the page until the map is clicked.
Debian's chromium via Playwright; the touches go through chromium's own input handling (CDP), as a finger's do."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"
CENTER = "(id) => { const c = document.getElementById(id).portalMap.getCenter(); return [c.lat, c.lng]; }"
ZOOM = "(id) => document.getElementById(id).portalMap.getZoom()"


def phone(browser):
    """An English-speaking citizen's phone."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def ready(page, map_id):
    page.wait_for_function(f"() => document.getElementById('{map_id}').portalMap.boundaryLayer !== undefined")
    page.wait_for_timeout(300)  # the fit to the city, not animated, has been drawn


class Finger:
    """Touches through chromium's input pipeline: scrolling, touch-action and gestures as on a real phone."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def _send(self, kind, points):
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]})

    def drag(self, starts, dx, dy, steps=12):
        self._send("touchStart", starts)
        for step in range(1, steps + 1):
            self._send("touchMove", [(x + dx * step / steps, y + dy * step / steps) for x, y in starts])
            self.page.wait_for_timeout(16)
        self._send("touchEnd", [])
        self.page.wait_for_timeout(400)


def map_middle(page, map_id):
    box = page.locator(f"#{map_id}").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("path,map_id", [("/lapor/", "filing-map"), ("/laporan/", "public-map")])
def test_one_finger_scrolls_the_page_past_a_map_and_two_fingers_move_it(live_server, browser, city, path, map_id):
    page = phone(browser)
    page.goto(f"{live_server.url}{path}")
    ready(page, map_id)
    page.locator(f"#{map_id}").scroll_into_view_if_needed()
    finger = Finger(page)
    x, y = map_middle(page, map_id)
    scrolled, center = page.evaluate("window.scrollY"), page.evaluate(CENTER, map_id)

    # A swipe up over the map scrolls the page, and the map stays where it was.
    finger.drag([(x, y)], 0, -150)
    assert page.evaluate("window.scrollY") > scrolled + 50
    assert page.evaluate(CENTER, map_id) == center
    hint = page.locator(f"#{map_id} .map-gesture-hint")
    assert hint.inner_text() == "Use two fingers to move the map"
    assert "show" in hint.get_attribute("class")
    page.wait_for_function(f"() => !document.querySelector('#{map_id} .map-gesture-hint').classList.contains('show')")

    # Two fingers move the map, and the page stays.
    scrolled = page.evaluate("window.scrollY")
    x, y = map_middle(page, map_id)
    finger.drag([(x - 40, y), (x + 40, y)], 0, 100)
    assert page.evaluate(CENTER, map_id)[0] > center[0]  # dragged down: the map shows more of the north
    assert page.evaluate("window.scrollY") == scrolled
    # And spreading them zooms in.
    zoom = page.evaluate(ZOOM, map_id)
    finger._send("touchStart", [(x - 30, y), (x + 30, y)])
    for step in range(1, 11):
        finger._send("touchMove", [(x - 30 - 8 * step, y), (x + 30 + 8 * step, y)])
        page.wait_for_timeout(16)
    finger._send("touchEnd", [])
    page.wait_for_timeout(600)
    assert page.evaluate(ZOOM, map_id) > zoom


def test_a_tap_drops_the_pin_and_a_finger_drags_it_to_another_kelurahan(live_server, browser, city):
    from services.geo import locate
    from services.models import Area

    mawar = Area.objects.get(code=MAWAR)
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    ready(page, "filing-map")
    page.locator("#filing-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([lat, lng]) => { const map = document.getElementById('filing-map').portalMap;
             map.setView([lat, lng], 14, {animate: false});
             const box = map.getContainer().getBoundingClientRect(), p = map.latLngToContainerPoint([lat, lng]);
             return [box.left + p.x, box.top + p.y]; }""",
        [mawar.label_lat, mawar.label_lng],
    )
    page.touchscreen.tap(x, y)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    assert page.locator("#pin-status").inner_text().startswith("Kelurahan: Mawar")

    # The pin follows a finger 150 px up the screen; where it is let go is the report's place, as a tap there.
    icon = page.locator("#filing-map .leaflet-marker-icon").bounding_box()
    start = (icon["x"] + icon["width"] / 2, icon["y"] + icon["height"] / 2)
    Finger(page).drag([start], 0, -150, steps=20)
    lat, lng = page.evaluate(
        """([x, y]) => { const map = document.getElementById('filing-map').portalMap;
             const box = map.getContainer().getBoundingClientRect();
             const at = map.containerPointToLatLng([x - box.left, y - box.top]); return [at.lat, at.lng]; }""",
        [x, y - 150],
    )
    page.wait_for_function("() => document.getElementById('id_area').value !== '" + str(mawar.pk) + "'")
    assert float(page.locator("#id_lat").input_value()) == pytest.approx(lat, abs=2e-4)
    assert float(page.locator("#id_lng").input_value()) == pytest.approx(lng, abs=2e-4)
    there = locate(lat, lng)
    assert page.locator("#id_area").input_value() == str(there.pk)
    assert page.locator("#pin-status").inner_text().startswith(f"Kelurahan: {there.name}")


def test_the_mouse_wheel_scrolls_the_page_until_the_map_is_clicked(live_server, browser, city):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    ready(page, "filing-map")
    page.evaluate("document.getElementById('filing-map').scrollIntoView({block: 'center'})")
    scrolled = page.evaluate("window.scrollY")
    x, y = map_middle(page, "filing-map")
    zoom = page.evaluate(ZOOM, "filing-map")
    page.mouse.move(x, y)
    page.mouse.wheel(0, 200)
    page.wait_for_timeout(500)
    assert page.evaluate("window.scrollY") > scrolled
    assert page.evaluate(ZOOM, "filing-map") == zoom

    # Once clicked, the wheel is the map's (the click dropped a pin: a desktop's mouse still drags the map too).
    page.evaluate("document.getElementById('filing-map').scrollIntoView({block: 'center'})")
    x, y = map_middle(page, "filing-map")
    page.mouse.click(x - 60, y)
    scrolled = page.evaluate("window.scrollY")
    page.mouse.wheel(0, -200)
    page.wait_for_function(f"() => document.getElementById('filing-map').portalMap.getZoom() > {zoom}")
    assert page.evaluate("window.scrollY") == scrolled
