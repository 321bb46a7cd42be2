"""Admin: tickets read-mostly, canned responses, the reassign-all page, auto-assign editable on departments."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from complaints.models import Status, Ticket, TicketEvent
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(city):
    user = make_user("root@banjarmasinkota.go.id", is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get(name="administrator"))
    return user


def test_ticket_admin_lists_searches_and_shows_timeline_read_only(client, superuser, staff_dlh):
    from complaints import actions

    ticket = make_ticket()
    actions.add_internal_note(ticket=ticket, actor=staff_dlh, message="Catatan admin")
    client.force_login(superuser)
    listing = client.get("/admin/complaints/ticket/", {"q": ticket.reference})
    assert listing.status_code == 200 and ticket.reference in listing.content.decode()
    page = client.get(f"/admin/complaints/ticket/{ticket.pk}/change/")
    assert page.status_code == 200 and "Catatan admin" in page.content.decode()
    assert client.get("/admin/complaints/ticket/add/").status_code == 403
    client.post(f"/admin/complaints/ticket/{ticket.pk}/delete/", {"post": "yes"})
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_admin_does_not_show_confidential_tickets_of_other_departments(client, superuser):
    secret = make_ticket(privacy="confidential")
    client.force_login(superuser)
    assert client.get(f"/admin/complaints/ticket/{secret.pk}/change/").status_code == 302  # "does not exist"


def test_anonymous_reporter_is_hidden_in_admin(client, superuser, citizen):
    ticket = make_ticket(reporter=citizen, privacy="anonymous")
    client.force_login(superuser)
    assert citizen.email not in client.get(f"/admin/complaints/ticket/{ticket.pk}/change/").content.decode()


def test_canned_responses_are_managed_in_admin(client, superuser):
    from services.models import Department

    client.force_login(superuser)
    response = client.post(
        "/admin/complaints/cannedresponse/add/",
        {"department": Department.objects.get(code="dlh").pk, "title": "Terima kasih", "body": "Laporan {reference}."},
    )
    assert response.status_code == 302


def test_reassign_all_page_moves_open_tickets(client, superuser, staff_dlh, dlh_member):
    open_ticket = make_ticket(assignee=staff_dlh)
    closed = make_ticket(assignee=staff_dlh, status=Status.CLOSED)
    client.force_login(superuser)
    page = client.get("/admin/complaints/ticket/reassign/", {"from_user": staff_dlh.pk})
    assert page.status_code == 200
    response = client.post("/admin/complaints/ticket/reassign/", {"from_user": staff_dlh.pk, "to_user": dlh_member.pk})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=open_ticket.pk).assignee == dlh_member
    assert Ticket.objects.get(pk=closed.pk).assignee == staff_dlh
    assert TicketEvent.objects.filter(ticket=open_ticket, type="assigned", public=False).count() == 1


def test_department_auto_assign_is_editable(client, superuser):
    from services.models import Department

    client.force_login(superuser)
    dlh = Department.objects.get(code="dlh")
    html = client.get(f"/admin/services/department/{dlh.pk}/change/").content.decode()
    assert 'name="auto_assign"' in html
