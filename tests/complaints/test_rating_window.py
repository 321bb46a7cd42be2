"""The reporter rates a resolved report, or changes the rating, until its closing window ends (the moment reopening
ends), also after confirming the fix; after that the rating stays as given.

A resolved or closed report could be rated forever, and rating again replaced the old score, so satisfaction
figures already published moved months later."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from complaints.actions import confirm_resolution, rate_ticket, rating_ends_at
from complaints.events import record_event
from complaints.models import EventType, Rating, Status, Ticket
from services.calendar import WITA
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

RESOLVED_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=WITA)  # Monday
WINDOW_ENDS = dt.datetime(2026, 12, 14, 23, 59, 59, tzinfo=WITA)  # 10 working days later
WITHIN = dt.datetime(2026, 12, 14, 21, 0, tzinfo=WITA)
AFTER = dt.datetime(2026, 12, 15, 8, 0, tzinfo=WITA)
PASSED = "The time to rate this report has passed."


def resolved(reporter, **fields) -> Ticket:
    fields.setdefault("resolved_at", RESOLVED_AT)
    fields.setdefault("close_window_ends_at", WINDOW_ENDS)
    ticket = make_ticket(reporter=reporter, status=Status.RESOLVED, **fields)
    record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Sampah sudah diangkut."})
    return ticket


def refused(**kwargs) -> str:
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            rate_ticket(**kwargs)
        return " ".join(error.value.messages)


# --- the action ------------------------------------------------------------------------------------------------


def test_the_reporter_rates_and_rerates_until_the_window_ends(citizen):
    ticket = resolved(citizen)
    assert rating_ends_at(ticket) == WINDOW_ENDS
    with time_machine.travel(RESOLVED_AT + dt.timedelta(hours=2), tick=False):
        rate_ticket(ticket=ticket, actor=citizen, score=2, comment="Lambat")
    with time_machine.travel(WITHIN, tick=False):
        rate_ticket(ticket=ticket, actor=citizen, score=4, comment="Akhirnya beres")
    assert Rating.objects.get(ticket=ticket).score == 4
    with time_machine.travel(AFTER, tick=False):
        assert refused(ticket=ticket, actor=citizen, score=1, comment="Berubah pikiran") == PASSED
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.score, rating.comment) == (4, "Akhirnya beres")
    assert ticket.events.filter(type=EventType.RATED).count() == 2


def test_a_report_confirmed_within_the_window_is_rated_until_it_ends(citizen):
    ticket = resolved(citizen)
    with time_machine.travel(RESOLVED_AT + dt.timedelta(days=1), tick=False):
        confirm_resolution(ticket=ticket, actor=citizen)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and rating_ends_at(ticket) == WINDOW_ENDS
    with time_machine.travel(WITHIN, tick=False):
        assert rate_ticket(ticket=ticket, actor=citizen, score=5).score == 5
    with time_machine.travel(AFTER, tick=False):
        assert refused(ticket=ticket, actor=citizen, score=3) == PASSED
    assert Rating.objects.get(ticket=ticket).score == 5


def test_the_window_without_a_stored_end_is_ten_working_days_after_resolution(citizen):
    ticket = resolved(citizen, close_window_ends_at=None)
    assert rating_ends_at(ticket) == WINDOW_ENDS
    with time_machine.travel(AFTER, tick=False):
        assert refused(ticket=ticket, actor=citizen, score=3) == PASSED


def test_a_closed_report_without_a_window_is_not_rated(citizen):
    ticket = make_ticket(reporter=citizen, status=Status.CLOSED)
    assert rating_ends_at(ticket) is None
    assert refused(ticket=ticket, actor=citizen, score=3) == PASSED


def test_an_open_report_is_not_rated_yet(citizen):
    ticket = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    assert rating_ends_at(ticket) is None
    assert refused(ticket=ticket, actor=citizen, score=3) == "You can rate a report once it is resolved."


# --- the page --------------------------------------------------------------------------------------------------


def page(client, ticket, language="en") -> str:
    return client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_page_offers_the_form_until_the_window_ends_and_says_until_when(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    with time_machine.travel(WITHIN, tick=False):
        html = page(client, ticket)
    assert 'id="rating-form"' in html
    assert "You can rate it, or change your rating, until 14 December 2026 23:59 WITA." in html
    with time_machine.travel(AFTER, tick=False):
        html = page(client, ticket)
    assert 'id="rating-form"' not in html and 'id="rating-given"' not in html


def test_a_confirmed_report_keeps_the_form_within_the_window(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    with time_machine.travel(RESOLVED_AT + dt.timedelta(days=1), tick=False):
        client.post(f"/laporan/{ticket.reference}/selesai/")
        html = page(client, ticket)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
    assert 'id="rating-form"' in html and 'id="confirm-fixed"' not in html
    assert "until 14 December 2026 23:59 WITA" in html


def test_after_the_window_the_page_shows_the_rating_given(client, citizen, other_citizen):
    ticket = resolved(citizen)
    with time_machine.travel(WITHIN, tick=False):
        rate_ticket(ticket=ticket, actor=citizen, score=4, comment="Cepat ditangani")
    client.force_login(citizen)
    with time_machine.travel(AFTER, tick=False):
        html = page(client, ticket)
    assert 'id="rating-form"' not in html and 'id="rating-given"' in html
    given = html[html.index('id="rating-given"') :]
    assert "Your rating" in given and '4 ★</span><span class="visually-hidden">4 of 5 stars</span> · Cepat' in given
    # Only the reporter's page has the card; others read the rating in the timeline.
    client.force_login(other_citizen)
    with time_machine.travel(AFTER, tick=False):
        assert 'id="rating-given"' not in page(client, ticket)


def test_a_rating_sent_after_the_window_is_refused_and_keeps_what_was_typed(client, citizen):
    ticket = resolved(citizen)
    with time_machine.travel(WITHIN, tick=False):
        rate_ticket(ticket=ticket, actor=citizen, score=4, comment="Cepat")
    client.force_login(citizen)
    with time_machine.travel(AFTER, tick=False):
        response = client.post(
            f"/laporan/{ticket.reference}/nilai/",
            {"score": "1", "comment": "Ternyata rusak lagi"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert PASSED in html and "Ternyata rusak lagi" in html
    assert "You can rate it, or change your rating, until" not in html
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.score, rating.comment) == (4, "Cepat")


def test_the_page_speaks_indonesian_too(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    with time_machine.travel(WITHIN, tick=False):
        html = page(client, ticket, language="id")
    assert 'id="rating-until"' in html and "14 Desember 2026 23:59" in html
