"""Escalated tickets can be found: the queue filters on them ("Escalated": to the head or further, or to the
inspectorate) and says in each row who was told; the city dashboard's list of escalated tickets says how many there
are in all and links to the queue that lists them. The head's queue had only "Overdue only", and the dashboard showed
20 of them with no total and no way to the rest."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from services.models import Department
from tests.factories import make_ticket
from tests.staff.test_queue import QUEUE, refs

pytestmark = pytest.mark.django_db


def row_of(html: str, ticket) -> str:
    row = html[html.index(f'<tr data-reference="{ticket.reference}"') :]
    return row[: row.index("</tr>")]


@pytest.fixture
def escalations(city):
    return {
        0: make_ticket(title="Tidak terlambat"),
        1: make_ticket(title="Kepala diberi tahu", escalation_level=1),
        2: make_ticket(title="Inspektorat diberi tahu", escalation_level=2),
    }


def test_the_queue_filters_on_escalation(client, head_dlh, escalations):
    client.force_login(head_dlh)
    html = client.get(QUEUE).content.decode()
    assert re.search(r'<select [^>]*name="escalated"', html)
    assert 'for="filter-escalated">Escalated</label>' in html
    assert refs(client.get(QUEUE)) == {t.reference for t in escalations.values()}
    assert refs(client.get(QUEUE, {"escalated": "1"})) == {escalations[1].reference, escalations[2].reference}
    assert refs(client.get(QUEUE, {"escalated": "2"})) == {escalations[2].reference}


def test_each_row_says_who_was_told(client, head_dlh, escalations):
    client.force_login(head_dlh)
    html = client.get(QUEUE).content.decode()
    assert "Escalated" not in row_of(html, escalations[0])
    assert "Escalated to the head" in row_of(html, escalations[1])
    assert "Escalated to the inspectorate" in row_of(html, escalations[2])


def test_the_ticket_page_says_who_was_told(client, head_dlh, escalations):
    client.force_login(head_dlh)
    page = client.get(reverse("staff:ticket", args=[escalations[2].reference])).content.decode()
    assert re.search(r'id="ticket-escalation">Escalated to the inspectorate</dd>', page)


def test_the_city_dashboard_counts_them_all_and_links_to_the_queue(client, inspector, monkeypatch):
    from dashboards import views

    monkeypatch.setattr(views, "ESCALATED_LIST", 2)
    tickets = [make_ticket(escalation_level=1) for _ in range(3)]
    tickets.append(make_ticket(service="jalan-rusak", escalation_level=2))
    client.force_login(inspector)
    html = client.get(reverse("dashboards:city")).content.decode()
    total = re.search(r'<p [^>]*id="escalated-total">(.*?)</p>', html, flags=re.S).group(1)
    assert "2 of 4 open escalated tickets" in total
    link = re.search(r'href="([^"]+)"', total).group(1).replace("&amp;", "&")
    assert link == f"{QUEUE}?status=open&escalated=1"
    # The inspectorate's queue there lists every one of them, across departments.
    assert refs(client.get(link)) == {t.reference for t in tickets}


def test_the_city_dashboards_list_keeps_the_pages_department_and_orders_by_the_missed_date(client, inspector):
    """The list ignored the page's filters (a PUPR page listed every department's) and sorted by the resolution due
    date while showing the missed one (a response due date), so its dates read out of order."""
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    late_response = make_ticket(
        escalation_level=1,
        escalated_deadline="response",
        response_due_at=now - dt.timedelta(days=9),
        resolution_due_at=now + dt.timedelta(days=5),
    )
    late_resolution = make_ticket(
        escalation_level=1, escalated_deadline="resolution", resolution_due_at=now - dt.timedelta(days=3)
    )
    road = make_ticket(service="jalan-rusak", escalation_level=1, escalated_deadline="resolution")
    client.force_login(inspector)
    listed = client.get(reverse("dashboards:city")).context["escalated_tickets"]
    assert [t.pk for t in listed if t.pk != road.pk] == [late_response.pk, late_resolution.pk]
    dlh = Department.objects.get(code="dlh")
    page = client.get(reverse("dashboards:city"), {"department": "dlh"})
    assert {t.pk for t in page.context["escalated_tickets"]} == {late_response.pk, late_resolution.pk}
    link = page.context["escalated_queue"]
    assert f"department={dlh.pk}" in link
    assert refs(client.get(link)) == {late_response.reference, late_resolution.reference}
