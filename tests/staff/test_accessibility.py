"""The staff pages for a screen reader and a finger: messages tied to their fields, a short live status instead of a
whole table read out, map markers told apart by more than colour."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
QUEUE = "/staf/antrian/"


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def _described_by(html: str) -> list[str]:
    return [token for value in re.findall(r'aria-describedby="([^"]+)"', html) for token in value.split()]


def test_a_refused_actions_message_is_tied_to_its_field(client, staff_dlh, dlh_ticket):
    """The input said aria-describedby="id_merge-into_error" (Django's name) while the message's id was
    "id_merge-into-error": a screen reader never read the message with the field."""
    client.force_login(staff_dlh)
    response = client.post(reverse("staff:ticket_action", args=[dlh_ticket.reference, "merge"]), {"merge-into": "X"})
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="merge-into"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_merge-into_error"' in field
    message = re.search(r'<div [^>]*id="id_merge-into_error"[^>]*>(.*?)</div>', html, flags=re.S)
    assert message and "No ticket with that reference in your queue." in message.group(1)
    # Every aria-describedby on the page names an element that is there.
    assert set(_described_by(html)) <= _ids(html)


def test_a_refused_queue_filter_is_tied_to_its_field(client, staff_dlh):
    client.force_login(staff_dlh)
    html = client.get(QUEUE, {"date_from": "kemarin"}).content.decode()
    field = re.search(r'<input[^>]*name="date_from"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert re.search(rf'<span [^>]*id="{described}"[^>]*>Filed from:', html)
    assert set(_described_by(html)) <= _ids(html)


# --- the queue: a short live status, not the whole table read out -----------------------------------------------


def test_the_queue_announces_what_a_filter_found_not_the_whole_table(client, staff_dlh):
    """aria-live wrapped the whole results table: every filter change or search keystroke read it all out."""
    make_ticket(title="Sampah di Jalan Mawar")
    make_ticket(title="Sampah di Jalan Melati")
    client.force_login(staff_dlh)
    page = client.get(QUEUE).content.decode()
    results = re.search(r'<div id="queue-results"[^>]*>', page).group(0)
    assert "aria-live" not in results
    status = re.search(r'<div id="queue-status"[^>]*>([^<]*)</div>', page)
    assert 'role="status"' in status.group(0) and 'aria-live="polite"' in status.group(0)
    assert status.group(1) == ""  # nothing to announce on arrival
    assert page.count('id="queue-status"') == 1

    answer = client.get(QUEUE, {"q": "Mawar"}, HTTP_HX_REQUEST="true").content.decode()
    oob = re.search(r'<div id="queue-status" hx-swap-oob="innerHTML">([^<]*)</div>', answer)
    assert oob and oob.group(1) == "1 ticket found"
    answer = client.get(QUEUE, {"q": "Sampah"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="queue-status" hx-swap-oob="innerHTML">2 tickets found</div>' in answer


def test_a_saved_filters_delete_button_is_a_tap_target_named_with_the_filter(client, staff_dlh):
    client.force_login(staff_dlh)
    client.post("/staf/antrian/filter/", {"name": "Terlambat", "query": "overdue=on"})
    html = client.get(QUEUE).content.decode()
    button = re.search(r'<button [^>]*aria-label="Delete filter Terlambat"[^>]*>', html).group(0)
    assert "tap-target" in button


# --- the ticket page's map ----------------------------------------------------------------------------------------


def test_the_map_legend_names_each_markers_shape_not_only_its_colour(client, staff_dlh, dlh_ticket):
    """'Red: this ticket · orange: possible duplicates · blue: …': orange and blue dots differed by colour alone."""
    client.force_login(staff_dlh)
    html = client.get(reverse("staff:ticket", args=[dlh_ticket.reference])).content.decode()
    legend = re.search(r'<p [^>]*id="ticket-map-legend"[^>]*>(.*?)</p>', html, flags=re.S).group(1)
    words = re.sub(r"<[^>]+>", "", legend)
    assert "Large red circle: this ticket" in words
    assert "orange diamonds: possible duplicates" in words
    assert "small blue dots: other open tickets nearby" in words
    assert 'aria-describedby="ticket-map-legend"' in html


def test_the_map_speaks_the_pages_language(client, staff_dlh, dlh_ticket, marked_indonesian):
    """Leaflet's zoom buttons said "Zoom in" / "Zoom out" on Indonesian pages, the attribution "Batas wilayah" on
    English ones: the page hands map-common.js its words."""
    client.force_login(staff_dlh)
    url = reverse("staff:ticket", args=[dlh_ticket.reference])
    english = _map_strings(client.get(url).content.decode())
    assert english["zoomIn"] == "Zoom in" and english["zoomOut"] == "Zoom out"
    assert english["attribution"].startswith("Boundaries: cahyadsn/wilayah_boundaries")

    marked_indonesian(
        {"Zoom in": "PERBESAR-UJI", "Zoom out": "PERKECIL-UJI", "Boundaries: %(source)s": "BATAS %(source)s"}
    )
    client.cookies["django_language"] = "id"
    indonesian = _map_strings(client.get(url).content.decode())
    assert indonesian["zoomIn"] == "PERBESAR-UJI" and indonesian["zoomOut"] == "PERKECIL-UJI"
    assert indonesian["attribution"].startswith("BATAS cahyadsn/")


def _map_strings(html: str) -> dict:
    import json

    found = re.search(r'<script id="map-strings" type="application/json">(.*?)</script>', html, flags=re.S)
    assert found, "no map strings on the page"
    # They come before map-common.js, which reads them as it loads.
    assert html.index('id="map-strings"') < html.index("js/map-common.js")
    return json.loads(found.group(1))


@pytest.fixture
def marked_indonesian(monkeypatch):
    """Gives msgids Indonesian texts no real translation uses (as tests/staff/test_queue.py does)."""
    from django.utils.translation import trans_real

    indonesian = trans_real.translation("id")
    real_gettext = indonesian.gettext

    def mark(texts: dict[str, str]):
        monkeypatch.setattr(indonesian, "gettext", lambda message: texts.get(message) or real_gettext(message))

    return mark
