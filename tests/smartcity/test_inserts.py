"""smartcity.inserts: a ticket, its subscription and its first event written together, all or nothing."""

import pytest
from django.db import DatabaseError, connection

from complaints.models import Channel, EventType, Status, Subscription, Ticket, TicketEvent
from smartcity import inserts
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


def test_the_remembered_statement_writes_what_the_compiled_one_wrote(city, citizen, monkeypatch):
    """The first ticket's INSERT is compiled, the second's is the one kept from it: every column lands the same."""
    monkeypatch.setattr(inserts, "_insert_sql", {})
    stored = []
    for title in ("Lampu jalan mati", "Jalan berlubang"):
        ticket, subscription, event = _rows(citizen, city.first())
        ticket.title = title
        ticket.attributes = {"tiang": "12", "jumlah": 3}
        assign_ids(ticket, subscription, event)
        insert_rows(ticket, subscription, event)
        stored.append(Ticket.objects.get(pk=ticket.pk))
    first, second = stored
    assert second.title == "Jalan berlubang"
    for field in Ticket._meta.local_concrete_fields:
        if field.name in ("id", "reference", "title", "created_at", "updated_at", "confirmation_token"):
            continue
        assert getattr(second, field.attname) == getattr(first, field.attname), field.name
    assert second.created_at is not None and second.created_at >= first.created_at
    assert TicketEvent.objects.filter(ticket=second).values_list("payload", flat=True).get() == {"channel": "api"}
    assert inserts._insert_sql[Ticket] is not None  # the second ticket did use the kept statement


def test_an_expression_value_still_goes_through_the_compiler(city, citizen):
    from django.db.models.functions import Now

    for _ in range(2):  # the second time a statement is remembered
        ticket, subscription, event = _rows(citizen, city.first())
        assign_ids(ticket, subscription, event)
        ticket.resolved_at = Now()
        insert_rows(ticket, subscription, event)
        assert Ticket.objects.get(pk=ticket.pk).resolved_at is not None
