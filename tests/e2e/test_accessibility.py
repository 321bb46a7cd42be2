"""What an accessibility walk (screen reader and keyboard, a 360 px phone) found, checked in Debian's chromium where
focus and scripts are the point: the focus after removing a photo, a visible focus ring in the blue bar, map controls
in the page's language, the queue's short live status and its tap targets, charts told apart by more than colour."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dashboards.conftest import _local_cache, dataset, plan  # noqa: F401 - fixtures
from tests.e2e.test_citizen_flow import phone, tap_map_at
from tests.e2e.test_staff_flow import signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"
NOT_A_PHOTO = {"name": "doc.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
ACTIVE = (
    "() => document.activeElement && (document.activeElement.id || document.activeElement.getAttribute('aria-label'))"
)

# WCAG's contrast ratio of an element's text colour on the background it is drawn on.
CONTRAST = """(element) => {
    const rgb = text => text.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
    const style = getComputedStyle(element);
    let back = element, background = 'rgba(0, 0, 0, 0)';
    while (back && (background = getComputedStyle(back).backgroundColor) === 'rgba(0, 0, 0, 0)') {
        back = back.parentElement; }
    const a = lum(rgb(style.color)), b = lum(rgb(background === 'rgba(0, 0, 0, 0)' ? 'rgb(255,255,255)' : background));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.fixture
def marked_indonesian(monkeypatch):
    """Indonesian texts no real translation uses, so the test sees the words went through gettext (the live server
    runs in this process)."""
    from django.utils.translation import trans_real

    indonesian = trans_real.translation("id")
    real_gettext = indonesian.gettext
    marks = {"Zoom in": "PERBESAR-UJI", "Zoom out": "PERKECIL-UJI", "Boundaries: %(source)s": "BATAS-UJI %(source)s"}
    monkeypatch.setattr(indonesian, "gettext", lambda message: marks.get(message) or real_gettext(message))


def test_removing_a_photo_keeps_the_focus_and_each_remove_names_its_photo(live_server, browser, city):
    from services.models import Area
    from tests.complaints.conftest import jpeg_bytes

    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    photos = [{"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes()} for name in ("IMG_1234.jpg", "dua.jpg")]
    page.set_input_files("#id_photos", files=photos)
    page.wait_for_function("() => document.querySelectorAll('#kept-photos li.kept-photo').length === 2")
    word = page.locator("li.kept-photo .remove-photo").first.inner_text().strip()  # "Hapus"
    names = page.eval_on_selector_all(
        "li.kept-photo .remove-photo", "buttons => buttons.map(b => b.getAttribute('aria-label'))"
    )
    assert sorted(names) == sorted([f"{word} IMG_1234.jpg", f"{word} dua.jpg"])

    # With the keyboard: "Remove" on the first photo, then on the one left. The focus stays among the photos and then
    # goes to the photo picker, never to the top of the page (<body>).
    first, second = names
    page.focus(f'button[aria-label="{first}"]')
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#kept-photos li.kept-photo').length === 1")
    assert page.evaluate(ACTIVE) == second
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#kept-photos li.kept-photo').length === 0")
    assert page.evaluate(ACTIVE) == "id_photos"

    # A refused photo marks the picker invalid, described by the message; the next good pick clears it.
    page.set_input_files("#id_photos", files=[NOT_A_PHOTO])
    page.wait_for_function("() => document.getElementById('photo-errors').textContent.includes('doc.pdf')")
    picker = page.locator("#id_photos")
    assert picker.get_attribute("aria-invalid") == "true"
    assert "photo-errors" in picker.get_attribute("aria-describedby").split()
    page.set_input_files("#id_photos", files=[photos[0]])
    page.wait_for_selector("li.kept-photo")
    assert picker.get_attribute("aria-invalid") is None

    # The pin is no Tab stop: it was a focusable image "Marker" that did nothing.
    mawar = Area.objects.get(code=MAWAR)
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    pin = page.locator("#filing-map img.leaflet-marker-icon")
    pin.wait_for()
    assert pin.get_attribute("tabindex") is None and pin.get_attribute("role") is None
    assert pin.get_attribute("alt") == ""


def test_keyboard_focus_is_a_visible_ring_in_the_blue_bar(live_server, browser, city):
    """The focus was an underline only, which the current page's link already has; the language buttons' ring was
    Bootstrap's light shadow on blue."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/laporan/")
    ring = """() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""
    seen = {}
    for _ in range(15):
        page.keyboard.press("Tab")
        kind = page.evaluate(
            """() => { const e = document.activeElement;
                if (e.matches('a.nav-link[aria-current="page"]')) return 'current link';
                if (e.matches('#language-form button.btn-light')) return 'current language';
                if (e.matches('#language-form button.btn-outline-light')) return 'other language';
                return null; }"""
        )
        if kind:
            seen[kind] = page.evaluate(ring)
    assert set(seen) == {"current link", "current language", "other language"}
    for style in seen.values():
        assert style == ["solid", "3px", "rgb(255, 255, 255)"]


def test_the_rating_stars_are_readable(live_server, browser, city):
    """btn-outline-warning wrote #ffc107 on white (1.6:1)."""
    page = phone(browser)
    page.goto(f"{live_server.url}/laporan/")
    stars = (
        '<input type="radio" class="btn-check" name="s" id="star">'
        '<label class="btn btn-outline-warning" for="star">4 ★</label>'
    )
    page.evaluate("html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", stars)
    label = page.locator("label[for=star]")
    assert label.evaluate(CONTRAST) >= 4.5
    label.click()  # chosen: yellow with black text
    page.wait_for_timeout(400)  # Bootstrap fades the colours in
    assert label.evaluate(CONTRAST) >= 4.5


def test_the_queue_announces_a_short_status_and_its_targets_are_big_enough(live_server, browser, city, staff_dlh):
    from complaints.models import SavedFilter

    make_ticket(title="Sampah di Jalan Mawar")
    make_ticket(title="Sampah di Jalan Melati")
    SavedFilter.objects.create(owner=staff_dlh, name="Terlambat", query="overdue=on")
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{live_server.url}/staf/antrian/")
    assert page.locator("#queue-results").get_attribute("aria-live") is None
    assert page.locator("#queue-status").inner_text() == ""
    page.fill("#filter-q", "")
    page.locator("#filter-q").press_sequentially("Mawar")  # the search runs on keyup
    page.wait_for_function("() => /\\b1 tiket|\\b1 ticket/.test(document.getElementById('queue-status').textContent)")
    page.fill("#filter-q", "")
    page.locator("#filter-q").press_sequentially("Sampah")  # the search runs on keyup
    page.wait_for_function("() => /\\b2 tiket|\\b2 ticket/.test(document.getElementById('queue-status').textContent)")
    # One status region, still outside the results the next answer replaces.
    assert page.locator("#queue-status").count() == 1 and page.locator("#queue-results #queue-status").count() == 0

    # At least 24 × 24 px (WCAG 2.5.8): the row boxes were 14 × 14, the saved filter's "×" 14 × 23.
    for selector in ("#queue-table .row-select", "#select-all", "#saved-filters button[type=submit]"):
        box = page.locator(selector).first.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (selector, box)


def test_maps_speak_the_pages_language_and_markers_differ_by_shape(
    live_server, browser, city, staff_dlh, marked_indonesian
):
    from complaints.models import DuplicateCandidate

    ticket = make_ticket(title="Sampah di Jalan Mawar")
    twin = make_ticket(title="Sampah di Jalan Mawar juga")
    make_ticket(title="Sampah di dekatnya")
    DuplicateCandidate.objects.create(ticket=ticket, candidate=twin, distance_m=20)
    page = signed_in_page(browser, live_server, staff_dlh)  # Indonesian
    page.goto(live_server.url + reverse("staff:ticket", args=[ticket.reference]))
    page.wait_for_selector("#ticket-map .leaflet-control-zoom-in")
    zoom_in, zoom_out = page.locator("#ticket-map .leaflet-control-zoom-in"), page.locator(".leaflet-control-zoom-out")
    assert (zoom_in.get_attribute("title"), zoom_in.get_attribute("aria-label")) == ("PERBESAR-UJI", "PERBESAR-UJI")
    assert zoom_out.get_attribute("title") == "PERKECIL-UJI"
    # The possible duplicate is a diamond (no Tab stop), the other ticket nearby a dot.
    diamond = page.locator("#ticket-map .leaflet-marker-icon .map-symbol-duplicate")
    assert diamond.count() == 1
    assert page.locator("#ticket-map .leaflet-marker-icon").first.get_attribute("tabindex") is None
    assert diamond.evaluate("e => getComputedStyle(e).transform").startswith("matrix(0.707")

    # The citizens' maps: the dashboards' zoom buttons too, and the attribution in the page's language.
    page.goto(f"{live_server.url}/dasbor/publik/")
    page.wait_for_selector("#map-public .leaflet-control-zoom-in")
    assert page.locator("#map-public .leaflet-control-zoom-in").get_attribute("title") == "PERBESAR-UJI"


def test_the_activity_charts_tell_their_series_apart_without_colour(browser, live_server, plan):  # noqa: F811
    page = phone(browser)
    page.goto(live_server.url + reverse("planning:public_activity", args=[plan["A1"].pk]))
    page.wait_for_function("() => Chart.getChart(document.getElementById('trend-chart')) !== undefined")
    trend = page.evaluate(
        """() => { const chart = Chart.getChart(document.getElementById('trend-chart'));
            return {labels: chart.data.datasets.map(d => d.label), legend: chart.options.plugins.legend.display,
                    hatched: chart.data.datasets[0].backgroundColor instanceof CanvasPattern,
                    solid: typeof chart.data.datasets[1].backgroundColor === 'string'}; }"""
    )
    canvas = page.locator("#trend-chart")
    assert trend["labels"] == [canvas.get_attribute("data-before-label"), canvas.get_attribute("data-since-label")]
    assert trend["legend"] and trend["hatched"] and trend["solid"]
    progress = page.evaluate(
        """() => { const chart = Chart.getChart(document.getElementById('progress-chart'));
            return {styles: chart.data.datasets.map(d => d.pointStyle),
                    pointLegend: chart.options.plugins.legend.labels.usePointStyle}; }"""
    )
    assert len(set(progress["styles"])) == 3 and progress["pointLegend"]
    # And the numbers, under each chart.
    page.click("#trend-numbers summary")
    assert page.locator("#trend-numbers tbody[data-period=before] tr").count() > 1
