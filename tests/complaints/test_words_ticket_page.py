"""The citizen's ticket page and "My reports": the reporter reads about the paused clock addressed to them ("until you
answer") while everyone else reads "until the citizen answers"; every time shown carries its zone (WITA), as "Filed"
already did; and sending the same rating again (the form stays on the page, stars filled in) adds no second "Rated"
entry to the timeline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from complaints import actions
from complaints.actions import rate_ticket
from complaints.events import record_event
from complaints.models import EventType, Rating, Status
from services.calendar import WITA
from tests.factories import make_ticket
from tests.smartcity.test_translations import visible_text

pytestmark = pytest.mark.django_db

ASKED = dt.datetime(2026, 8, 12, 10, 0, tzinfo=WITA)
TO_OTHERS = "The department's clock is paused until the citizen answers (at most 10 working days)."
TO_REPORTER = "The department's clock is paused until you answer (at most 10 working days)."


def _page(client, ticket) -> str:
    response = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return visible_text(response.content.decode()).replace("&#x27;", "'")


@pytest.fixture
def asked(citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED)
    with time_machine.travel(ASKED, tick=False):
        actions.ask_for_information(ticket=ticket, actor=staff_dlh, message="Di RT berapa tepatnya?")
    return ticket


def test_the_reporter_reads_until_you_answer(client, asked, citizen):
    client.force_login(citizen)
    text = _page(client, asked)
    assert TO_REPORTER in text and TO_OTHERS not in text


@pytest.mark.parametrize("viewer", [None, "other_citizen"])
def test_anyone_else_reads_until_the_citizen_answers(client, asked, viewer, request):
    if viewer:
        client.force_login(request.getfixturevalue(viewer))
    text = _page(client, asked)
    assert TO_OTHERS in text and TO_REPORTER not in text


def test_the_reporter_reads_the_question_and_their_answer_addressed_to_them(client, asked, citizen, other_citizen):
    actions.add_citizen_info(ticket=asked, actor=citizen, message="RT 05.")
    client.force_login(citizen)
    mine = _page(client, asked)
    assert "Question to you" in mine and "Your information" in mine
    assert "Question to the citizen" not in mine and "from the reporter" not in mine
    client.force_login(other_citizen)
    theirs = _page(client, asked)
    assert "Question to the citizen" in theirs and "Information from the citizen · from the reporter" in theirs


def test_the_timeline_times_say_wita(client, asked):
    text = _page(client, asked)
    timeline = text[text.index("Timeline") :]
    assert "12 Aug 2026 10:00 WITA" in timeline
    stamps = re.findall(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}(?! WITA)\b", timeline)
    assert stamps == []


def test_my_reports_last_update_says_wita(client, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED)
    with time_machine.travel(dt.datetime(2026, 12, 7, 18, 16, tzinfo=WITA), tick=False):
        ticket.save(update_fields=["updated_at"])
    client.force_login(citizen)
    text = visible_text(client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "last update 7 Dec 2026 18:16 WITA" in text


RESOLVED_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=WITA)
WITHIN = dt.datetime(2026, 12, 7, 18, 16, tzinfo=WITA)


@pytest.fixture
def resolved(citizen):
    ticket = make_ticket(
        reporter=citizen,
        status=Status.RESOLVED,
        resolved_at=RESOLVED_AT,
        close_window_ends_at=dt.datetime(2026, 12, 14, 23, 59, 59, tzinfo=WITA),
    )
    record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Sampah sudah diangkut."})
    return ticket


def test_sending_the_same_rating_again_adds_nothing_to_the_timeline(client, citizen, resolved):
    client.force_login(citizen)
    with time_machine.travel(WITHIN, tick=False):
        for _ in range(2):
            response = client.post(f"/laporan/{resolved.reference}/nilai/", {"score": "4", "comment": "Cepat"})
            assert response.status_code == 302
        assert resolved.events.filter(type=EventType.RATED).count() == 1
        assert _page(client, resolved).count("4 ★ 4 of 5 stars Cepat") == 1


def test_a_changed_rating_is_recorded_as_a_new_entry(citizen, resolved):
    with time_machine.travel(WITHIN, tick=False):
        rate_ticket(ticket=resolved, actor=citizen, score=4, comment="Cepat")
        rate_ticket(ticket=resolved, actor=citizen, score=4, comment="Cepat")
        rate_ticket(ticket=resolved, actor=citizen, score=2, comment="Ternyata kotor lagi")
    assert [e.payload["score"] for e in resolved.events.filter(type=EventType.RATED).order_by("id")] == [4, 2]
    assert Rating.objects.get(ticket=resolved).score == 2
