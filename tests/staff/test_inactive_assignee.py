"""A ticket still assigned to someone who left shows it: the queue row and the ticket page say "Budi (inactive)" when
the assignee's account is switched off or they are no longer an active member of the ticket's department (they get
404 on it). Both showed "Budi" as if he were still working on it, and nothing told the head to reassign it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import User
from services.models import StaffMembership
from tests.conftest import make_user
from tests.factories import make_ticket
from tests.staff.test_queue import QUEUE

pytestmark = pytest.mark.django_db


def assignee_cell(html: str, ticket) -> str:
    row = html[html.index(f'<tr data-reference="{ticket.reference}"') :]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[: row.index("</tr>")], flags=re.S)
    return re.sub(r"<[^>]+>", "", cells[8]).strip()


def page_assignee(client, ticket) -> str:
    html = client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()
    cell = re.search(r'<dd [^>]*id="ticket-assignee"[^>]*>(.*?)</dd>', html, flags=re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


@pytest.fixture
def budi(city):
    from services.models import Department

    user = make_user("budi@dlh.go.id", full_name="Budi")
    StaffMembership.objects.create(user=user, department=Department.objects.get(code="dlh"))
    return user


def test_an_active_assignee_is_shown_as_before(client, head_dlh, budi):
    ticket = make_ticket(assignee=budi)
    client.force_login(head_dlh)
    assert assignee_cell(client.get(QUEUE).content.decode(), ticket) == "Budi"
    assert page_assignee(client, ticket) == "Budi"


def test_an_assignee_whose_account_is_off_is_marked(client, head_dlh, budi):
    ticket = make_ticket(assignee=budi)
    User.objects.filter(pk=budi.pk).update(is_active=False)
    client.force_login(head_dlh)
    assert assignee_cell(client.get(QUEUE).content.decode(), ticket) == "Budi (inactive)"
    assert page_assignee(client, ticket) == (
        "Budi (inactive) No longer an active member of this department: reassign the ticket."
    )


def test_an_assignee_who_left_the_department_is_marked(client, head_dlh, budi):
    ticket = make_ticket(assignee=budi)
    StaffMembership.objects.filter(user=budi).update(active=False)
    client.force_login(budi)
    assert client.get(reverse("staff:ticket", args=[ticket.reference])).status_code in (403, 404)
    client.force_login(head_dlh)
    html = client.get(QUEUE).content.decode()
    assert assignee_cell(html, ticket) == "Budi (inactive)"
    assert "No longer an active member of this department: reassign the ticket." in html  # the mark's title
    assert page_assignee(client, ticket).startswith("Budi (inactive)")


def test_the_mark_adds_no_query_to_the_queue(client, head_dlh, budi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tickets = [make_ticket(assignee=budi) for _ in range(3)]
    client.force_login(head_dlh)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as active:
        client.get(QUEUE)
    StaffMembership.objects.filter(user=budi).update(active=False)
    with CaptureQueriesContext(connection) as left:
        html = client.get(QUEUE).content.decode()
    assert [assignee_cell(html, t) for t in tickets] == ["Budi (inactive)"] * 3
    assert len(left) == len(active)
