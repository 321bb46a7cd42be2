"""Every page with a Leaflet map hands map-common.js its words in the page's language: the filing form, the public
reports, a report's page and the planners' evidence said "Zoom in" / "Zoom out" on Indonesian pages (only the staff
ticket page and the dashboards carried the map strings)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
MARKS = {"Zoom in": "PERBESAR-UJI", "Zoom out": "PERKECIL-UJI", "Boundaries: %(source)s": "BATAS %(source)s"}


@pytest.fixture
def marked_indonesian(monkeypatch):
    """Indonesian texts no real translation uses, so the test sees the words went through gettext."""
    from django.utils.translation import trans_real

    indonesian = trans_real.translation("id")
    real_gettext = indonesian.gettext
    monkeypatch.setattr(indonesian, "gettext", lambda message: MARKS.get(message) or real_gettext(message))


def map_strings(html: str) -> dict:
    found = re.search(r'<script id="map-strings" type="application/json">(.*?)</script>', html, flags=re.S)
    assert found, "no map strings on the page"
    # They come before map-common.js, which reads them as it loads.
    assert html.index('id="map-strings"') < html.index("js/map-common.js")
    return json.loads(found.group(1))


@pytest.fixture(params=["file", "public_list", "ticket", "evidence"])
def map_page(request, client, city, citizen, planner):
    """The page's address, with whoever may see it signed in."""
    if request.param == "evidence":
        from planning.models import FiscalYear

        day = dt.date(2026, 1, 1)
        FiscalYear.objects.create(
            year=2026,
            **{f.name: day for f in FiscalYear._meta.fields if f.get_internal_type() == "DateField"},
        )
        client.force_login(planner)
        return f"{reverse('planning:evidence')}?tahun=2026"
    if request.param == "ticket":
        return reverse("complaints:ticket", args=[make_ticket(reporter=citizen).reference])
    make_ticket(reporter=citizen)  # something on the public list's map
    return reverse(f"complaints:{request.param}")


def test_the_map_speaks_the_pages_language(client, map_page, marked_indonesian):
    english = client.get(map_page, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    words = map_strings(english.content.decode())
    assert words["zoomIn"] == "Zoom in" and words["zoomOut"] == "Zoom out"
    assert words["attribution"].startswith("Boundaries: cahyadsn/")

    words = map_strings(client.get(map_page, HTTP_ACCEPT_LANGUAGE="id").content.decode())
    assert words["zoomIn"] == "PERBESAR-UJI" and words["zoomOut"] == "PERKECIL-UJI"
    assert words["attribution"].startswith("BATAS cahyadsn/")
