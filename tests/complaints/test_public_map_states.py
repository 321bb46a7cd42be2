"""The public map colours each pin by the report's state, as its legend says: a passer-by sees at a glance what is
still waiting for the department, what the department is on, what is done and what is a duplicate."""

import pytest

from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_each_pin_carries_the_state_its_colour_and_the_legend_name(client, city):
    expected = {
        make_ticket(status=Status.ROUTED).reference: "waiting",
        make_ticket(status=Status.ACKNOWLEDGED).reference: "handled",
        make_ticket(status=Status.IN_PROGRESS).reference: "handled",
        make_ticket(status=Status.RESOLVED).reference: "done",
        make_ticket(status=Status.CLOSED).reference: "done",
        make_ticket(status=Status.DUPLICATE).reference: "duplicate",
    }
    features = client.get("/laporan/peta.json").json()["features"]
    assert {f["properties"]["reference"]: f["properties"]["state"] for f in features} == expected


def test_the_legend_names_every_colour_in_the_page_language(client, city):
    make_ticket()
    page = client.get("/laporan/").content.decode()
    legend = page[page.index('id="public-map-legend"') :]
    legend = legend[: legend.index("</ul>")]
    for state, words in [
        ("waiting", "Menunggu"),
        ("handled", "Sedang ditangani"),
        ("done", "Selesai ditangani atau ditutup"),
        ("duplicate", "Duplikat"),
    ]:
        assert f"map-pin-{state}" in legend and words in legend
    assert 'aria-describedby="public-map-legend"' in page
