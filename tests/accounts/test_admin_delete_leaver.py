"""Deleting a departed officer's account in the admin: their open tickets would silently lose their assignee and every
timeline event they wrote its author (both SET_NULL), while the confirmation listed 145 lines of "Notification object
(2)". The confirmation now says what the deletion takes from the tickets, with counts and the way to switch the
account off or hand the tickets on; someone who works for the city and wrote on the timelines is not deleted at all
(the city's record keeps who did what). A citizen's account is deleted as before, as by their own "Delete my
account", and the emails that go with it are named."""

import html
import re
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from complaints.events import record_event
from complaints.models import EventType, Notification, Status
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _delete_page(client, user) -> str:
    response = client.get(f"/admin/accounts/user/{user.pk}/delete/")
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def _confirm_form(page: str) -> bool:
    return 'name="post" value="yes"' in page


@pytest.fixture
def officer(city):
    """A DLH officer who left: two open tickets, three events written on their timelines."""
    officer = make_staff("rahmat@dlh.go.id", "dlh")
    User.objects.filter(pk=officer.pk).update(full_name="Rahmat Hidayat")
    officer.refresh_from_db()
    for ticket in (make_ticket(assignee=officer), make_ticket(assignee=officer, status=Status.IN_PROGRESS)):
        record_event(ticket=ticket, type=EventType.ACKNOWLEDGED, actor=officer)
    record_event(ticket=make_ticket(status=Status.CLOSED), type=EventType.NOTE, actor=officer, payload={"message": "x"})
    return officer


def test_an_officer_who_wrote_on_the_timelines_is_not_deleted(admin_en, officer):
    page = _delete_page(admin_en, officer)
    assert (
        "Rahmat Hidayat (rahmat@dlh.go.id) wrote 3 events on the tickets' timelines. Deleting the account would take "
        "their name off them and the city's record would lose who did what, so the account of someone who works for "
        "the city is switched off, not deleted."
    ) in page
    assert f'<a href="/admin/accounts/user/{officer.pk}/change/#id_is_active">Untick Active on their page</a>' in page
    assert "2 open tickets are assigned to Rahmat Hidayat (rahmat@dlh.go.id): deleting the account leaves them" in page
    assert f'href="/admin/complaints/ticket/reassign/?from_user={officer.pk}">Reassign them</a>' in page
    assert not _confirm_form(page)

    admin_en.post(f"/admin/accounts/user/{officer.pk}/delete/", {"post": "yes"})
    selected = {"action": "delete_selected", "_selected_action": [officer.pk], "post": "yes"}
    refused = admin_en.post("/admin/accounts/user/", selected, follow=True)
    assert User.objects.filter(pk=officer.pk).exists()
    (message,) = [html.unescape(str(message)) for message in refused.context["messages"]]
    assert message.startswith("Rahmat Hidayat (rahmat@dlh.go.id) wrote 3 events on the tickets' timelines.")


def test_an_officer_with_open_tickets_and_no_events_is_deleted_after_a_warning(admin_en, city):
    officer = make_staff("sari@dlh.go.id", "dlh")
    make_ticket(assignee=officer)
    page = _delete_page(admin_en, officer)
    assert "1 open ticket is assigned to sari (sari@dlh.go.id): deleting the account leaves it with nobody." in page
    assert "Someone who leaves the city's service is usually switched off rather than deleted." in page
    assert _confirm_form(page)
    admin_en.post(f"/admin/accounts/user/{officer.pk}/delete/", {"post": "yes"})
    assert not User.objects.filter(pk=officer.pk).exists()


def test_a_citizens_account_is_deleted_and_the_page_names_its_emails(admin_en, citizen):
    ticket = make_ticket(reporter=citizen)
    record_event(ticket=ticket, type=EventType.CITIZEN_INFO, actor=citizen, payload={"message": "Foto tambahan."})
    email = Notification.objects.create(
        dedup_key="t", ticket=ticket, recipient=citizen, email=citizen.email, template="ticket_update"
    )
    page = _delete_page(admin_en, citizen)
    assert (
        "Siti Warga (warga@example.id) wrote 1 event on the tickets' timelines: it stays, without their name." in page
    )
    written = email.created_at.astimezone(ZoneInfo("Asia/Makassar")).strftime("%Y-%m-%d %H:%M")  # WITA
    assert re.search(
        rf'Notification: <a href="[^"]+">Report update \(to the citizen\) · #{email.pk} · {written}</a>', page
    )
    assert "Notification object" not in page
    assert "switched off" not in page
    selected = {"action": "delete_selected", "_selected_action": [citizen.pk]}
    assert "wrote 1 event" in " ".join(admin_en.post("/admin/accounts/user/", selected).content.decode().split())
    admin_en.post(f"/admin/accounts/user/{citizen.pk}/delete/", {"post": "yes"})
    assert not User.objects.filter(pk=citizen.pk).exists()
