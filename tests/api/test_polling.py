"""Polling the API: tickets changed since a moment, ordering and page size, unknown parameters refused, and events
followed by after_id."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.events import record_event
from complaints.models import EventType, Ticket, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"


def errors(response) -> list[dict]:
    return response.json()["errors"]


def fields(response) -> set:
    return {e["field"] for e in errors(response)}


def test_tickets_changed_since(api, city):
    old = make_ticket()
    Ticket.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))
    recent = make_ticket()
    since = (timezone.now() - dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat()
    assert [t["reference"] for t in api.get(TICKETS, {"updated_after": since}).json()["results"]] == [recent.reference]
    assert [t["reference"] for t in api.get(TICKETS, {"updated_before": since}).json()["results"]] == [old.reference]
    # A "+" sent unencoded arrives as a space: read back as the offset it was.
    unencoded = api.get(f"{TICKETS}?updated_after={since.replace('+', '%20')}")
    assert [t["reference"] for t in unencoded.json()["results"]] == [recent.reference]
    refused = api.get(TICKETS, {"updated_after": "kemarin"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and fields(refused) == {"updated_after"}
    assert "2026-11-27T09:30:00+08:00" in errors(refused)[0]["message"]


def test_ordering_and_page_size_work_and_unknown_parameters_are_refused(api, city):
    low, urgent, normal = make_ticket(), make_ticket(), make_ticket()
    for ticket, priority in ((low, 1), (urgent, 4), (normal, 2)):
        Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
    by_priority = api.get(TICKETS, {"ordering": "-priority"}).json()["results"]
    assert [t["reference"] for t in by_priority] == [urgent.reference, normal.reference, low.reference]
    oldest_first = api.get(TICKETS, {"ordering": "created_at"}).json()["results"]
    assert [t["reference"] for t in oldest_first] == [low.reference, urgent.reference, normal.reference]
    bad_order = api.get(TICKETS, {"ordering": "title"})
    assert bad_order.status_code == 400 and fields(bad_order) == {"ordering"}

    page = api.get(TICKETS, {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["count"] == 3 and "page_size=2" in page["next"]
    for size in ("0", "201", "abc", "9" * 5000):
        refused = api.get(TICKETS, {"page_size": size})
        assert refused.status_code == 400 and fields(refused) == {"page_size"}, size

    for unknown in ({"update_after": "2026-01-01"}, {"limit": "10"}, {"sort": "priority"}):
        refused = api.get(TICKETS, unknown, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 400 and fields(refused) == set(unknown)
        assert "updated_after" in errors(refused)[0]["message"]  # it lists what the list takes
    assert api.get("/api/v1/events/", {"limit": "1"}).status_code == 400
    assert api.get("/api/v1/services/", {"format": "json", "page": "1"}).status_code == 200


def test_events_are_followed_by_after_id_oldest_first(api, city, time_machine):
    def at(seconds):
        time_machine.move_to(dt.datetime(2026, 11, 27, 2, 0, seconds, tzinfo=dt.UTC), tick=False)

    at(0)
    ticket = make_ticket()
    first = record_event(ticket=ticket, type=EventType.REPLY, payload={"message": "satu"})
    second = record_event(ticket=ticket, type=EventType.REPLY, payload={"message": "dua"})
    at(15)
    fresh = record_event(ticket=ticket, type=EventType.REPLY, payload={"message": "tiga"})
    at(20)

    def follow(after_id):
        response = api.get("/api/v1/events/", {"after_id": after_id})
        assert response.status_code == 200, response.content
        return [e["id"] for e in response.json()["results"]]

    # 5 seconds after "tiga" was written: it waits (a write still committing must not be skipped).
    assert follow(0) == [first.pk, second.pk]
    assert follow(first.pk) == [second.pk]
    at(26)
    assert follow(second.pk) == [fresh.pk]
    assert follow(fresh.pk) == []
    combined = api.get("/api/v1/events/", {"after_id": 0, "ordering": "created_at"})
    assert combined.status_code == 400 and fields(combined) == {"ordering"}
    assert api.get("/api/v1/events/", {"after_id": "1.5"}).status_code == 400


def test_a_tickets_events_in_its_timelines_order(api, city):
    ticket = make_ticket()
    for message in ("satu", "dua", "tiga"):
        record_event(ticket=ticket, type=EventType.REPLY, payload={"message": message})
    timeline = [e["id"] for e in api.get(f"{TICKETS}{ticket.reference}/events/").json()]
    listed = api.get("/api/v1/events/", {"ticket": ticket.reference, "ordering": "created_at"}).json()["results"]
    assert [e["id"] for e in listed] == timeline and len(timeline) == 3
    newest_first = api.get("/api/v1/events/", {"ticket": ticket.reference}).json()["results"]
    assert [e["id"] for e in newest_first] == timeline[::-1]


def test_events_keep_their_payload_rule_when_followed(api, city, staff_dlh, as_user):
    """after_id lists what events/ lists: a note (internal) stays out for the public."""
    ticket = make_ticket()
    record_event(ticket=ticket, type=EventType.NOTE, payload={"message": "internal"}, public=False)
    TicketEvent.objects.update(created_at=timezone.now() - dt.timedelta(minutes=1))
    public = api.get("/api/v1/events/", {"after_id": 0}).json()["results"]
    assert all(e["public"] for e in public)
    staff = as_user(staff_dlh).get("/api/v1/events/", {"after_id": 0}).json()["results"]
    assert any(not e["public"] for e in staff)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_following_changes_as_documented_reads_the_changed_tickets_through_an_index(api, city):
    # The documented way to follow changes (updated_after with ordering=updated_at) is what an integration runs
    # every minute: at a million tickets a scan of them all per poll would be the slowest request it makes.
    # The planner's choice follows the table's statistics: read them from a table as a city's is (most tickets
    # unchanged for long), not from whatever autovacuum last saw in the test database (all tickets just made).
    for _ in range(20):
        make_ticket()
    Ticket.objects.update(updated_at=timezone.now() - dt.timedelta(days=30))
    make_ticket()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_ticket")
    since = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(TICKETS, {"updated_after": since, "ordering": "updated_at"})
    assert answer.status_code == 200 and answer.json()["count"] == 1
    reads = [q["sql"] for q in queries.captured_queries if '"updated_at" >=' in q["sql"]]
    assert reads, "the list read no ticket by updated_at"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in reads:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "ticket_updated_idx" in plan, plan
