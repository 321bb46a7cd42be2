"""The public map in a browser, for a reader who cannot tell its colours apart (WCAG 1.4.1): a waiting report, one
being handled, a resolved one and a duplicate are drawn as different shapes (circle, square, check mark, diamond),
and each legend swatch has the shape of its state's pins. A shape is compared as what it covers, not as its path
text: a grid of points over its box, each inside or outside the filled outline, so a pin and its (smaller) legend
swatch compare equal when one is the other scaled."""

from __future__ import annotations

import pytest

from complaints.models import Status
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STATES = {
    "waiting": (Status.ROUTED, "63.71.05.1003"),
    "handled": (Status.IN_PROGRESS, "63.71.01.1001"),
    "done": (Status.RESOLVED, "63.71.02.1001"),
    "duplicate": (Status.DUPLICATE, "63.71.04.1005"),
}

# Which of 7 x 7 points spread over a path's box lie inside its fill ('#' inside, '.' outside), row by row.
SILHOUETTE = """(path) => {
  const box = path.getBBox(), rows = [];
  for (let row = 0; row < 7; row++) {
    let line = "";
    for (let col = 0; col < 7; col++) {
      const point = new DOMPoint(box.x + box.width * (col + 0.5) / 7, box.y + box.height * (row + 0.5) / 7);
      line += path.isPointInFill(point) ? "#" : ".";
    }
    rows.push(line);
  }
  return rows.join("\\n");
}"""


def test_pins_differ_by_shape_and_the_legend_shows_the_same_shapes(live_server, browser, city):
    references = {
        state: make_ticket(status=status, kelurahan=code).reference for state, (status, code) in STATES.items()
    }
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server.url}/laporan/")
    pins, swatches = {}, {}
    for state in STATES:
        page.wait_for_selector(f"#public-map path.map-pin-{state}", state="attached")
        pins[state] = page.locator(f"#public-map path.map-pin-{state}").evaluate(SILHOUETTE)
        swatches[state] = page.locator(f"#public-map-legend path.map-pin-{state}").evaluate(SILHOUETTE)

    assert len(set(pins.values())) == len(STATES), "two states share a shape:\n\n" + "\n\n".join(
        f"{state}\n{shape}" for state, shape in pins.items()
    )
    assert swatches == pins
    # A filled square covers its whole box, a circle not its corners, a check mark leaves its middle top empty.
    assert pins["handled"] == "\n".join(["#######"] * 7)
    assert pins["waiting"][0] == "." and "#" in pins["waiting"]
    assert pins["done"].splitlines()[0][3] == "."

    # The check mark is thinner than a circle, yet clicking it still opens its report's popup.
    page.locator("#public-map path.map-pin-done").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert references["done"] in popup.inner_text()
