"""The three dashboards in Debian's chromium at desktop and 360 px: charts drawn, maps drawn, screenshots kept."""

from __future__ import annotations

import pytest

from tests.dashboards.conftest import _local_cache, dataset, plan  # noqa: F401 - fixtures
from tests.e2e.conftest import ARTIFACTS, session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILTERS = "date_from=2026-01-01&date_to=2026-03-06"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 780}}

CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => {
    const chart = Chart.getChart(c);
    return {key: c.dataset.chart, drawn: !!chart, datasets: chart ? chart.data.datasets.length : 0,
            points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null).length, 0) : 0,
            pixels: c.toDataURL().length, width: c.width};
})"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_dashboards_draw_charts_and_maps(browser, live_server, inspector, staff_dlh, plan, viewport):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    pages = [
        ("public", None, f"/dasbor/publik/?{FILTERS}"),
        ("department", staff_dlh, f"/dasbor/dinas/?{FILTERS}"),
        ("city", inspector, f"/dasbor/kota/?{FILTERS}"),
    ]
    for name, user, path in pages:
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-GB")
        context.set_default_timeout(30_000)
        if user is not None:
            context.add_cookies([session_cookie(user, live_server)])
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        page.wait_for_function(
            "() => document.querySelectorAll('[data-map]').length === "
            "document.querySelectorAll('[data-map][data-ready=\"1\"]').length"
        )
        charts = page.evaluate(CHARTS_DRAWN)
        assert len(charts) >= 3, name
        for chart in charts:
            assert chart["drawn"] and chart["datasets"] >= 1, (name, chart)
            assert chart["width"] > 0 and chart["pixels"] > 2000, (name, chart)
        assert any(c["points"] > 0 for c in charts), name
        # Maps draw the kelurahan/kecamatan boundaries with no tile server.
        assert page.locator(".leaflet-overlay-pane path").count() >= 5, name
        if viewport == "phone":
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (name, overflow)
        assert not errors, (name, errors)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}-{viewport}.png"), full_page=True)
        context.close()
