"""What the dashboards' maps and charts tell a reader beyond their shapes (Debian's chromium via Playwright): every
map credits where its boundaries come from, in the page's language, as the report pages' maps do (they credited
only Leaflet); the "On time, per department" chart names under it the departments it cannot draw (an empty bar
read as 0%)."""

from __future__ import annotations

import pytest

from services.areas import BOUNDARY_SOURCE
from tests.dashboards.conftest import _local_cache, dataset  # noqa: F401 - fixtures
from tests.e2e.conftest import TIMEOUT_MS, session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILTERS = "date_from=2026-01-01&date_to=2026-03-06"
MAPS_READY = (
    "() => document.querySelectorAll('[data-map]').length === "
    "document.querySelectorAll('[data-map][data-ready=\"1\"]').length"
)


def _open(browser, live_server, path, user=None, locale="en-GB"):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    if user is not None:
        context.add_cookies([session_cookie(user, live_server)])
    page = context.new_page()
    assert page.goto(live_server.url + path).status == 200, path
    page.wait_for_function(MAPS_READY)
    return page


@pytest.mark.parametrize(("locale", "credit"), [("en-GB", "Boundaries: "), ("id-ID", "Batas wilayah: ")])
def test_every_dashboard_map_credits_its_boundaries(
    browser,
    live_server,
    inspector,
    staff_dlh,
    dataset,  # noqa: F811
    locale,
    credit,
):
    for path, user in (
        (f"/dasbor/publik/?{FILTERS}", None),
        (f"/dasbor/dinas/?{FILTERS}", staff_dlh),
        (f"/dasbor/kota/?{FILTERS}", inspector),
    ):
        page = _open(browser, live_server, path, user, locale)
        maps = page.locator("[data-map]")
        assert maps.count() >= 1, path
        for index in range(maps.count()):
            attribution = maps.nth(index).locator(".leaflet-control-attribution").inner_text()
            assert f"{credit}{BOUNDARY_SOURCE}" in attribution, (path, index, attribution)
        page.context.close()


def test_the_on_time_chart_names_the_departments_it_leaves_out(browser, live_server, inspector, dataset):  # noqa: F811
    page = _open(browser, live_server, f"/dasbor/kota/?{FILTERS}", inspector)
    card = page.locator("section", has=page.locator('canvas[data-chart="departments"]'))
    assert card.locator(".chart-note").inner_text() == "Not enough data to draw: Dinas PUPR."
    assert card.locator(".chart-note").is_visible()
    # Only the department with enough tickets has bars.
    assert page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart=departments]')).data.labels"
    ) == ["DLH"]
    page.context.close()
