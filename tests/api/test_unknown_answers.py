"""An answer to a question the service does not ask is refused by name, as Open311 refuses it: it was dropped and
the report filed without a word (201)."""

import pytest

from complaints.models import Ticket

pytestmark = pytest.mark.django_db

FILING = {
    "title": "Air PDAM mati",
    "description": "Tidak mengalir sejak pagi.",
    "service": "air-mati",
    "lat": -3.3186,
    "lng": 114.5944,
}


def test_an_unknown_question_is_refused_and_nothing_is_filed(as_user, citizen):
    api = as_user(citizen)
    refused = api.post(
        "/api/v1/tickets/",
        {**FILING, "attributes": {"sejak": "2026-12-07T08:00:00+08:00", "warna_air": "keruh"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert [(e["field"], e["message"]) for e in refused.json()["errors"]] == [
        ("attributes.warna_air", "The service air-mati asks no such question: services/air-mati/ lists its questions.")
    ]
    assert not Ticket.objects.exists()


def test_the_questions_it_asks_are_filed(as_user, citizen):
    api = as_user(citizen)
    since = "2026-12-07T08:00:00+08:00"
    filed = api.post("/api/v1/tickets/", {**FILING, "attributes": {"sejak": since}}, format="json")
    assert filed.status_code == 201 and Ticket.objects.get().attributes == {"sejak": since}
