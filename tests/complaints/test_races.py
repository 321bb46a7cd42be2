"""Two people acting at the same moment: a double click, two tabs, an officer and a citizen on one report.

Each test lets another connection do the first half and keeps its transaction open (rows written, locks held,
nothing committed) while this thread sends the second; the other commits half a second later. That is the worst
moment for the second request, every time: without the locks and keys these tests fail on each run, not once in
a while.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from complaints import actions
from complaints.models import EventType, Status, Subscription, Ticket
from tests.factories import make_ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOLD_SECONDS = 0.5


@contextmanager
def first_request_still_open(work):
    """Run ``work()`` on another connection inside a transaction that commits ``HOLD_SECONDS`` after the block
    starts; the block is the second request, which meets the first one's uncommitted rows and locks."""
    done_work, outcome = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                outcome["result"] = work()
                done_work.set()
                threading.Event().wait(HOLD_SECONDS)
        except Exception as exc:  # reported to the test below
            outcome["error"] = exc
            done_work.set()
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert done_work.wait(10), "the first request did not finish its work"
    assert "error" not in outcome, outcome.get("error")
    try:
        yield outcome
    finally:
        thread.join(10)
    assert "error" not in outcome, outcome.get("error")


def test_two_me_too_of_one_citizen_at_once_count_one_supporter(city, citizen):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh")
    with first_request_still_open(lambda: actions.support_ticket(ticket=ticket, user=citizen)) as first:
        second = actions.support_ticket(ticket=ticket, user=citizen)
    assert second.pk == first["result"].pk
    ticket.refresh_from_db()
    assert ticket.support_count == 1
    assert Subscription.objects.filter(ticket=ticket, user=citizen).count() == 1
    assert ticket.events.filter(type=EventType.SUPPORTED).count() == 1


def test_information_sent_while_an_officer_resolves_is_refused_not_added_after_the_fact(city, citizen, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)

    def officer_resolves():
        actions.resolve_ticket(ticket=Ticket.objects.get(pk=ticket.pk), actor=staff_dlh, note="Sudah diangkut.")

    with first_request_still_open(officer_resolves), pytest.raises(ValidationError) as refused:
        actions.add_citizen_info(ticket=ticket, actor=citizen, message="Sampah masih menumpuk di ujung gang.")
    with translation.override("en"):
        assert "no longer open" in " ".join(refused.value.messages)
    assert not ticket.events.filter(type=EventType.CITIZEN_INFO).exists()


def test_one_filing_form_sent_twice_at_once_files_one_report(city, citizen):
    from services.models import Area, Service

    service = Service.objects.get(code="sampah-menumpuk")
    mawar = Area.objects.get(code="63.71.05.1003")
    key = uuid.uuid4()

    def file():
        return actions.file_ticket(
            title="Sampah menumpuk di gang",
            description="Sudah seminggu tidak diangkut.",
            service=service,
            area=mawar,
            reporter=citizen,
            filing_key=key,
        )

    with first_request_still_open(file) as first, pytest.raises(actions.AlreadyFiled) as repeat:
        file()
    assert repeat.value.ticket.pk == first["result"].pk
    assert Ticket.objects.count() == 1
