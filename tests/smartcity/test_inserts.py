"""smartcity.inserts: a ticket, its subscription and its first event written together, all or nothing."""

import pytest
from django.db import DatabaseError, connection

from complaints.models import Channel, EventType, Status, Subscription, Ticket, TicketEvent
from smartcity.inserts import assign_ids, insert_rows

pytestmark = pytest.mark.postgres


def _rows(citizen, area):
    ticket = Ticket(
        title="Lampu jalan mati",
        description="Sejak kemarin.",
        channel=Channel.API,
        status=Status.SUBMITTED,
        reporter=citizen,
        area=area,
    )
    subscription = Subscription(ticket=ticket, user=citizen, reason=Subscription.Reason.REPORTER)
    event = TicketEvent(ticket=ticket, type=EventType.SUBMITTED, actor=citizen, payload={"channel": "api"})
    return ticket, subscription, event


def test_rows_are_written_in_one_statement_batch_and_link_to_each_other(city, citizen, django_assert_num_queries):
    assign_ids(*_rows(citizen, city.first()))  # looks the sequences' names up once per process
    ticket, subscription, event = _rows(citizen, city.first())
    with django_assert_num_queries(2):  # the ids (one SELECT), then the INSERTs
        assign_ids(ticket, subscription, event)
        insert_rows(ticket, subscription, event)
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.created_at is not None and stored.created_at == ticket.created_at
    assert Subscription.objects.get(pk=subscription.pk).ticket_id == ticket.pk
    assert TicketEvent.objects.get(pk=event.pk).payload == {"channel": "api"}
    assert not ticket._state.adding


@pytest.mark.django_db(transaction=True)
def test_a_failing_row_writes_none_of_them_outside_a_transaction(city, citizen):
    """Outside atomic() the batch is PostgreSQL's implicit transaction: the ticket is not left half-filed."""
    assert connection.get_autocommit()
    ticket, subscription, event = _rows(citizen, city.first())
    event.type = "x" * 500  # longer than the column allows
    assign_ids(ticket, subscription, event)
    with pytest.raises(DatabaseError):
        insert_rows(ticket, subscription, event)
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_rows_without_ids_are_refused(city, citizen):
    ticket, _, _ = _rows(citizen, city.first())
    with pytest.raises(ValueError):
        insert_rows(ticket)
