"""The queue's text search: words in reference, title and description, any case; capped counts; the index."""

from __future__ import annotations

import pytest
from django.db import connection

from complaints import queries
from complaints.models import Ticket
from tests.factories import make_ticket
from tests.staff.test_queue import QUEUE, refs

pytestmark = pytest.mark.django_db


def test_search_finds_words_in_title_and_description_in_any_case(client, staff_dlh):
    bridge = make_ticket(title="Jembatan titian rusak", description="Papan lapuk dekat pasar.")
    drain = make_ticket(title="Drainase tersumbat", description="Air tidak mengalir sejak hujan deras.")
    make_ticket(title="Lampu jalan mati", description="Gelap sekali.")
    client.force_login(staff_dlh)
    assert refs(client.get(QUEUE + "?q=jembatan")) == {bridge.reference}
    assert refs(client.get(QUEUE + "?q=JEMBATAN")) == {bridge.reference}
    assert refs(client.get(QUEUE + "?q=Lapuk")) == {bridge.reference}  # description only
    assert refs(client.get(QUEUE + "?q=hujan")) == {drain.reference}


def test_every_word_must_match(client, staff_dlh):
    both = make_ticket(title="Jembatan rusak", description="Di depan sekolah.")
    make_ticket(title="Jembatan bagus", description="Di depan pasar.")
    client.force_login(staff_dlh)
    assert refs(client.get(QUEUE + "?q=jembatan+sekolah")) == {both.reference}
    assert refs(client.get(QUEUE + "?q=jembatan%2C+sekolah%21")) == {both.reference}  # punctuation ignored


def test_search_by_reference_and_by_number(client, staff_dlh):
    ticket = make_ticket(title="Sampah di gang")
    make_ticket(title="Sampah di pasar")
    client.force_login(staff_dlh)
    assert refs(client.get(QUEUE + f"?q={ticket.reference}")) == {ticket.reference}
    assert refs(client.get(QUEUE + f"?q={ticket.reference.lower()}")) == {ticket.reference}
    number = ticket.reference.rsplit("-", 1)[1].lstrip("0")
    year = ticket.reference.split("-")[1]
    assert refs(client.get(QUEUE, {"q": number})) == {ticket.reference}
    assert refs(client.get(QUEUE, {"q": f"#{number}"})) == {ticket.reference}
    assert refs(client.get(QUEUE, {"q": f"{year}-{number}"})) == {ticket.reference}
    assert refs(client.get(QUEUE, {"q": f"{int(year) - 1}-{number}"})) == set()


def test_search_never_widens_the_queue(client, staff_dlh):
    make_ticket(service="jalan-rusak", title="Jembatan ambruk")  # another department's ticket
    client.force_login(staff_dlh)
    assert refs(client.get(QUEUE + "?q=jembatan&status=all")) == set()


def test_search_operators_are_plain_text(client, staff_dlh):
    make_ticket(title="Jembatan rusak")
    client.force_login(staff_dlh)
    for text in ("jembatan:*", "!jembatan", "jembatan | x", "(jembatan", "'", "&"):
        assert client.get(QUEUE, {"q": text}).status_code == 200


def test_a_wide_search_shows_more_than_its_count_cap(client, staff_dlh, monkeypatch):
    monkeypatch.setattr(queries, "QUEUE_SEARCH_COUNT_CAP", 2)
    for _ in range(3):
        make_ticket(title="Jembatan rusak")
    client.force_login(staff_dlh)
    html = client.get(QUEUE + "?q=jembatan", HTTP_HX_REQUEST="true").content.decode()
    assert "More than 2 tickets" in html or "Lebih dari 2 tiket" in html
    assert len(refs(client.get(QUEUE + "?q=jembatan"))) == 3  # the rows are not capped, only the count
    # Without a search the ordinary cap applies: three tickets are counted exactly.
    html = client.get(QUEUE, HTTP_HX_REQUEST="true").content.decode()
    assert "More than" not in html and "Lebih dari" not in html


@pytest.mark.postgres
def test_postgres_search_reads_the_full_text_index(city):
    """The query's expression must be the index's (migration 0011), or every search scans the department."""
    make_ticket(title="Jembatan rusak")
    tickets = queries.matching_words(Ticket.objects.all(), "jembatan")
    sql, params = tickets.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be scanned: leave the planner nothing but a bitmap scan of a matching index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "ticket_search_idx" in plan, plan
