"""The public map in a browser: a resolved report's pin is drawn in the legend's 'resolved' colour and a waiting
one in the 'waiting' colour (the stylesheet's colours, not Leaflet's default blue for every pin)."""

from __future__ import annotations

import pytest

from complaints.models import Status
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILL = "(cls) => getComputedStyle(document.querySelector('#public-map path.' + cls)).fill"
SWATCH = "(cls) => getComputedStyle(document.querySelector('#public-map-legend .' + cls)).fill"


def test_pins_take_the_legend_colour_of_their_state(live_server, browser, city):
    make_ticket(status=Status.ROUTED, kelurahan="63.71.05.1003")
    make_ticket(status=Status.RESOLVED, kelurahan="63.71.01.1001")
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server.url}/laporan/")
    page.wait_for_selector("#public-map path.map-pin-done", state="attached")
    page.wait_for_selector("#public-map path.map-pin-waiting", state="attached")
    done, waiting = page.evaluate(FILL, "map-pin-done"), page.evaluate(FILL, "map-pin-waiting")
    assert done == "rgb(32, 201, 151)" and waiting == "rgb(253, 126, 20)"
    assert page.evaluate(SWATCH, "map-pin-done") == done and page.evaluate(SWATCH, "map-pin-waiting") == waiting
