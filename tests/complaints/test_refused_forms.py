"""A refused form on a report's page ("Send rating" with no star, "Reopen" with no reason, "Me too" with no email,
"Send" with nothing to add) says so to a screen reader: its message is an alert tied to the field (aria-invalid,
aria-describedby with an id that is on the page), and the form is marked data-refused so that js/refused-form.js gives
it the focus (tests/e2e/test_refused_forms.py). The page came back with the focus on <body> and no word."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints.events import record_event
from complaints.models import EventType, Status
from tests.aria import Page
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def resolved(reporter):
    ticket = make_ticket(reporter=reporter, status=Status.RESOLVED, resolved_at=timezone.now())
    record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Sudah diperbaiki."})
    return ticket


def post(client, url, data):
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    return Page(response.content.decode())


def refused_form(page: Page, form_id: str):
    form = page.by_id[form_id]
    assert "data-refused" in form
    assert [f["id"] for f in page.find_all("form") if "data-refused" in f] == [form_id]  # only the refused one
    assert "/static/js/refused-form.js" in {s.get("src") for s in page.find_all("script")}
    assert page.unresolved_references() == []
    return form


def assert_alert_describes(page: Page, field, message: str):
    assert field["aria-invalid"] == "true"
    alerts = [e for e in page.described_by(field) if e.get("role") == "alert"]
    assert len(alerts) == 1 and message in alerts[0].text


def test_a_rating_without_stars_is_an_alert_tied_to_every_star(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    page = post(client, f"/laporan/{ticket.reference}/nilai/", {"comment": "Lumayan"})
    form = refused_form(page, "rating-form")
    stars = form.find_all("input", type="radio")
    assert [s["id"] for s in stars] == ["score-1", "score-2", "score-3", "score-4", "score-5"]
    for star in stars:
        assert_alert_describes(page, star, "Please choose a score from 1 to 5 stars.")
    # The message is inside the stars' group, where the first star (which takes the focus) has it in view.
    assert page.by_id["id_score_error"] in form.find_all("fieldset")[0].children
    comment = page.by_id["id_comment"]
    assert "aria-invalid" not in comment and [e["id"] for e in page.described_by(comment)] == ["id_comment_helptext"]


def test_an_empty_reason_to_reopen_is_an_alert_tied_to_the_reason_box(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    page = post(client, f"/laporan/{ticket.reference}/buka-kembali/", {"reason": ""})
    form = refused_form(page, "reopen-form")
    reason = page.by_id["id_reason"]
    assert reason in form.children and "is-invalid" in reason["class"].split()
    assert_alert_describes(page, reason, "This field is required.")
    # Also described by the hint that what is written there is public.
    assert "id_reason_helptext" in reason["aria-describedby"].split()
    assert "everyone can read what you write here" in page.by_id["id_reason_helptext"].text


def test_me_too_without_an_email_is_an_alert_tied_to_the_email_box(client, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.ROUTED)
    page = post(client, f"/laporan/{ticket.reference}/dukung/", {"email": ""})
    refused_form(page, "support-form")
    assert_alert_describes(page, page.by_id["id_email"], "Please give your email address to follow this report.")


def test_information_with_nothing_written_is_an_alert_tied_to_the_message_box(client, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    client.force_login(citizen)
    page = post(client, f"/laporan/{ticket.reference}/info/", {"message": "  "})
    refused_form(page, "info-form")
    message = page.by_id["id_message"]
    assert_alert_describes(page, message, "Please write something or add a photo.")
    assert "aria-invalid" not in page.by_id["id_photos"]


def test_a_refused_photo_is_an_alert_tied_to_the_photo_picker(client, citizen):
    from .conftest import upload

    ticket = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    client.force_login(citizen)
    photo = upload(b"not an image at all" * 100, name="palsu.jpg")
    page = post(client, f"/laporan/{ticket.reference}/info/", {"message": "Dari sisi lain.", "photos": [photo]})
    refused_form(page, "info-form")
    assert_alert_describes(page, page.by_id["id_photos"], "palsu.jpg")
    assert "aria-invalid" not in page.by_id["id_message"]


def test_a_refusal_of_the_whole_form_is_an_alert_that_can_take_the_focus(client, citizen):
    """A second "Reopen" (a double click): nothing is wrong with the reason, the report is no longer resolved."""
    ticket = resolved(citizen)
    client.force_login(citizen)
    url = f"/laporan/{ticket.reference}/buka-kembali/"
    client.post(url, {"reason": "Masih ada sampah di ujung gang."})
    page = post(client, url, {"reason": "Masih ada sampah di ujung gang."})
    form = refused_form(page, "reopen-form")
    assert not form.find_all(aria_invalid="true")
    refusal = page.by_id["reopen-refused"]
    assert refusal in form.children and refusal["role"] == "alert" and refusal["tabindex"] == "-1"
    assert "Only a resolved report can be reopened" in refusal.text


def test_a_page_answering_no_form_marks_nothing_refused(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    page = Page(client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert not [f for f in page.find_all("form") if "data-refused" in f]
    assert not page.find_all(aria_invalid="true") and not page.find_all(role="alert")
    assert page.unresolved_references() == []
