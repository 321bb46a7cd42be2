"""An anonymous report's pin is often the reporter's own door: every public output shows it rounded to about 100 m
(3 decimals, ``complaints.queries.public_pin``), while its reporter and the staff who handle it keep the exact pin.
A public report's pin stays exact."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.models import Privacy
from complaints.queries import public_pin
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

# A house in Kelurahan Mawar; rounded to 3 decimals it is (-3.319, 114.594).
HOUSE = (-3.318623, 114.593787)
ROUNDED = (-3.319, 114.594)


def coordinates_in(text: str) -> set[str]:
    return set(re.findall(r"-?\d+\.\d+", text))


def exact_in(text: str) -> bool:
    found = {float(number) for number in coordinates_in(text)}
    return any(abs(number - HOUSE[0]) < 1e-7 or abs(number - HOUSE[1]) < 1e-7 for number in found)


@pytest.fixture
def anonymous_report(citizen):
    return make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS, lat=HOUSE[0], lng=HOUSE[1])


def test_the_helper_rounds_only_anonymous_pins():
    assert public_pin(Privacy.ANONYMOUS, *HOUSE) == ROUNDED
    assert public_pin(Privacy.PUBLIC, *HOUSE) == HOUSE
    assert public_pin(Privacy.ANONYMOUS, None, None) == (None, None)


def test_the_public_map_shows_an_anonymous_pin_rounded(client, anonymous_report):
    features = client.get("/laporan/peta.json").json()["features"]
    (point,) = [f for f in features if f["properties"]["reference"] == anonymous_report.reference]
    assert point["geometry"]["coordinates"] == [ROUNDED[1], ROUNDED[0]]


def test_a_public_reports_pin_stays_exact(client, citizen):
    ticket = make_ticket(reporter=citizen, lat=HOUSE[0], lng=HOUSE[1])
    features = client.get("/laporan/peta.json").json()["features"]
    (point,) = [f for f in features if f["properties"]["reference"] == ticket.reference]
    assert point["geometry"]["coordinates"] == [HOUSE[1], HOUSE[0]]


def test_open311_gives_the_rounded_pin(client, anonymous_report):
    for url in (
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{anonymous_report.reference}.json",
    ):
        (record,) = [r for r in client.get(url).json() if r["service_request_id"] == anonymous_report.reference]
        assert (record["lat"], record["long"]) == ROUNDED, url
    xml = client.get(f"/open311/v2/requests/{anonymous_report.reference}.xml").content.decode()
    assert "<lat>-3.319</lat>" in xml and not exact_in(xml)


def test_distances_to_similar_reports_are_measured_to_the_public_pin(client, anonymous_report):
    """The filing form's "similar reports nearby" takes any point: distances to the exact pin from a few points
    would find the house."""
    service = anonymous_report.service
    right_at_the_house = client.get(
        reverse("complaints:similar"), {"service": service.pk, "lat": HOUSE[0], "lng": HOUSE[1]}
    ).content.decode()
    assert anonymous_report.reference in right_at_the_house
    assert not re.search(r"\b0 m\b", right_at_the_house)  # the rounded pin is some 50 m from the house
    at_the_rounded_pin = client.get(
        reverse("complaints:similar"), {"service": service.pk, "lat": ROUNDED[0], "lng": ROUNDED[1]}
    ).content.decode()
    assert re.search(r"\b0 m\b", at_the_rounded_pin)


def test_the_rest_api_gives_the_public_the_rounded_pin(client, other_citizen, anonymous_report):
    for viewer in (None, other_citizen):
        if viewer is not None:
            client.force_login(viewer)
        detail = client.get(f"/api/v1/tickets/{anonymous_report.reference}/").json()
        assert (detail["lat"], detail["lng"]) == ROUNDED
        listed = client.get("/api/v1/tickets/").json()["results"]
        (row,) = [t for t in listed if t["reference"] == anonymous_report.reference]
        assert (row["lat"], row["lng"]) == ROUNDED


@pytest.mark.parametrize("viewer", ["citizen", "staff_dlh", "inspector"])
def test_the_reporter_and_the_staff_read_the_exact_pin_in_the_rest_api(client, request, anonymous_report, viewer):
    client.force_login(request.getfixturevalue(viewer))
    detail = client.get(f"/api/v1/tickets/{anonymous_report.reference}/").json()
    assert (detail["lat"], detail["lng"]) == HOUSE
    (row,) = [
        t for t in client.get("/api/v1/tickets/").json()["results"] if t["reference"] == anonymous_report.reference
    ]
    assert (row["lat"], row["lng"]) == HOUSE


def test_the_report_page_shows_the_public_the_rounded_pin(client, other_citizen, anonymous_report):
    for viewer in (None, other_citizen):
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(reverse("complaints:ticket", args=[anonymous_report.reference])).content.decode()
        assert 'data-lat="-3.319000" data-lng="114.594000"' in page and not exact_in(page)


@pytest.mark.parametrize("viewer", ["citizen", "staff_dlh"])
def test_the_reporter_and_the_handling_staff_see_the_exact_pin_on_the_report_page(
    client, request, anonymous_report, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    page = client.get(reverse("complaints:ticket", args=[anonymous_report.reference])).content.decode()
    assert 'data-lat="-3.318623" data-lng="114.593787"' in page


def test_the_public_dashboards_map_and_its_downloads_give_the_rounded_pin(client, anonymous_report, citizen):
    from django.core.cache import cache

    cache.clear()  # the dashboard caches its figures a few minutes
    public = make_ticket(reporter=citizen, lat=HOUSE[0] + 0.01, lng=HOUSE[1] + 0.01)
    for url in ("/dasbor/publik/", "/dasbor/public/data/map.csv", "/dasbor/public/data/map.json"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert anonymous_report.reference in text and public.reference in text, url
        assert not exact_in(text), url
        assert str(ROUNDED[0]) in text and str(ROUNDED[1]) in text, url
        assert str(round(HOUSE[0] + 0.01, 5)) in text, url  # a public report's pin stays exact
