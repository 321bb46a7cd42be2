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


# Every category of a bar chart has its label drawn (no autoSkip), level, and inside the canvas: the widest line of
# each label fits the axis' width (a horizontal chart's long labels were cut off on the left).
BAR_LABELS = """() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => Chart.getChart(c))
  .filter(chart => chart && chart.config.type === 'bar').map(chart => {
    const axis = chart.options.indexAxis === 'y' ? chart.scales.y : chart.scales.x;
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = Chart.helpers.toFont(axis.options.ticks.font).string;
    const widest = Math.max(0, ...axis.ticks.flatMap(t => [].concat(t.label)).map(l => ctx.measureText(l).width));
    ctx.restore();
    return {key: chart.canvas.dataset.chart, labels: chart.data.labels.length, ticks: axis.ticks.length,
            rotation: axis.labelRotation, left: axis.left, widest: widest, room: axis.width,
            horizontal: chart.options.indexAxis === 'y'};
})"""
LEGEND = "() => Array.from(document.querySelectorAll('.map-legend')).map(l => l.innerText.split('\\n').slice(1))"


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
        for bars in page.evaluate(BAR_LABELS):
            assert bars["ticks"] == bars["labels"] and bars["rotation"] == 0, (name, viewport, bars)
            if bars["horizontal"]:
                assert bars["left"] >= 0 and bars["widest"] <= bars["room"] + 1, (name, viewport, bars)
        for legend in page.evaluate(LEGEND):  # one label per colour, each its own range
            labels = [line.strip() for line in legend if line.strip()]
            assert labels[0] == "0" and len(set(labels)) == len(labels), (name, legend)
        if name == "department":  # the workload per officer: the officer and the unassigned tickets, in the open
            workload = page.locator('table[data-table="workload"] tbody tr')
            assert workload.count() == 2 and workload.first.is_visible(), name
        # Maps draw the kelurahan/kecamatan boundaries with no tile server.
        assert page.locator(".leaflet-overlay-pane path").count() >= 5, name
        if viewport == "phone":
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (name, overflow)
        assert not errors, (name, errors)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}-{viewport}.png"), full_page=True)
        context.close()
