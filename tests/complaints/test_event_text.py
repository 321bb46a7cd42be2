"""Events in words and in the reader's language: a plan update reads in English on English pages and emails, and
a ticket the system closed never shows its payload's code ("window")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from complaints.actions.dispatch import close_expired_resolutions
from complaints.actions.plan_updates import tell_followers_about_plan
from complaints.event_text import event_message
from complaints.mail import _render
from complaints.models import EventType, Notification, Status, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def activity(city):
    from types import SimpleNamespace

    from services.models import Department

    # tell_followers_about_plan reads pk, name, code, department and the fiscal year only.
    return SimpleNamespace(
        pk=77,
        name="Normalisasi Sungai Veteran",
        code="1.03.77",
        department=Department.objects.get(code="pupr"),
        fiscal_year=SimpleNamespace(year=2026),
    )


def test_a_plan_update_reads_in_the_readers_language_on_pages_and_in_emails(client, citizen, staff_dlh, activity):
    citizen.language = "en"
    citizen.save(update_fields=["language"])
    ticket = make_ticket(reporter=citizen)
    tell_followers_about_plan(tickets=[ticket], activity=activity, stage="budgeted")
    event = TicketEvent.objects.get(ticket=ticket, type=EventType.PLAN_UPDATE)
    english = "The city has budgeted the activity “Normalisasi Sungai Veteran”"
    with translation.override("id"):
        indonesian = event_message(event.type, event.payload)
    assert english not in indonesian and "Normalisasi Sungai Veteran" in indonesian
    assert event.payload["message"] == indonesian  # what API readers get stays as recorded
    client.force_login(staff_dlh)
    staff_page = client.get(reverse("staff:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert english in staff_page.content.decode()
    client.force_login(citizen)
    public_page = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert english in public_page.content.decode()
    _subject, body = _render(Notification.objects.get(ticket=ticket, email=citizen.email))
    assert english in body


@pytest.mark.parametrize(
    ("stage", "english", "english_without_year"),
    [
        (
            "lapsed",
            "did not finish within fiscal year {year} and has stopped.",
            "did not finish within its fiscal year and has stopped.",
        ),
        (
            "carried_over",
            "did not finish within fiscal year {year}; it continues in {next_year}.",
            "did not finish within its fiscal year; it continues next year.",
        ),
    ],
)
def test_work_closed_unfinished_at_the_years_end_is_told_as_it_is(
    citizen, activity, stage, english, english_without_year
):
    """Not the generic "has moved on": the citizen hears that the work stopped, or in which year it continues, with
    the years named (read a year later, "next year" would be the wrong one). An update recorded before the year was
    kept in the payload still reads as it did."""
    ticket = make_ticket(reporter=citizen)
    tell_followers_about_plan(tickets=[ticket], activity=activity, stage=stage)
    event = TicketEvent.objects.get(ticket=ticket, type=EventType.PLAN_UPDATE)
    year = activity.fiscal_year.year
    with translation.override("en"):
        assert event_message(event.type, event.payload).endswith(english.format(year=year, next_year=year + 1))
        old_payload = {key: value for key, value in event.payload.items() if key != "fiscal_year"}
        assert event_message(event.type, old_payload).endswith(english_without_year)
    with translation.override("id"):
        assert str(year + 1 if stage == "carried_over" else year) in event_message(event.type, event.payload)


def test_a_ticket_closed_by_the_system_says_why_in_words_never_its_code(client, citizen, staff_dlh):
    ticket = make_ticket(
        reporter=citizen,
        status=Status.RESOLVED,
        resolved_at=timezone.now() - 20 * DAY,
        close_window_ends_at=timezone.now() - DAY,
    )
    citizen.language = "en"  # the email speaks the citizen's language, as the pages below are asked in English
    citizen.save(update_fields=["language"])
    assert close_expired_resolutions() == 1
    words = "the citizen did not answer within the closing window"
    client.force_login(citizen)
    page = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content
    client.force_login(staff_dlh)
    staff_page = client.get(reverse("staff:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content
    _subject, body = _render(Notification.objects.filter(ticket=ticket, event__type=EventType.CLOSED).first())
    for text in (page.decode(), staff_page.decode(), body):
        assert words in text and "window</" not in text and ": window" not in text
