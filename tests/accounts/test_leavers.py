"""Someone who leaves: switching off a staff account or a department membership in the admin warns of the open
tickets the person still holds, with a link to the page that hands them on, which the ticket list and the person's
page now link to as well. Saving said only "… was changed successfully" and the tickets stayed with someone who no
longer opens them; the reassign page was reachable only through a list action on selected tickets."""

from __future__ import annotations

import re

import pytest

from complaints.models import Status
from services.models import Department, StaffMembership
from tests.admin_forms import change_form_data
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
REASSIGN = "/admin/complaints/ticket/reassign/"


@pytest.fixture
def budi(city):
    """A DLH officer with two open tickets and a closed one."""
    user = make_user("budi@dlh.go.id", full_name="Budi Santoso")
    StaffMembership.objects.create(user=user, department=Department.objects.get(code="dlh"))
    make_ticket(assignee=user)
    make_ticket(assignee=user, status=Status.IN_PROGRESS)
    make_ticket(assignee=user, status=Status.CLOSED)
    return user


def save(client, url, change) -> list[str]:
    data = change_form_data(client.get(url))
    change(data)
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:3000]
    said = [str(message) for message in response.context["messages"]]
    html = response.content.decode()
    assert all(message in html for message in said if "<a " in message)  # a link on the page, not escaped text
    return said


def inline_key(data: dict, field: str) -> str:
    """The key of the first inline row's ``field`` (``memberships-0-active``)."""
    return next(key for key in data if re.fullmatch(rf"[\w-]+-0-{field}", key))


def test_deactivating_the_account_warns_of_its_open_tickets(superuser_en, budi):
    said = save(superuser_en, f"/admin/accounts/user/{budi.pk}/change/", lambda data: data.pop("is_active"))
    warning = next(message for message in said if "still assigned" in message)
    assert warning == (
        f'2 open tickets are still assigned to Budi Santoso. <a href="{REASSIGN}?from_user={budi.pk}">Reassign them</a>'
    )
    assert any("was changed successfully" in message for message in said)


def test_no_warning_without_open_tickets(superuser_en, city):
    leaving = make_user("sari@dlh.go.id", full_name="Sari")
    said = save(superuser_en, f"/admin/accounts/user/{leaving.pk}/change/", lambda data: data.pop("is_active"))
    assert not [message for message in said if "still assigned" in message]


def test_deactivating_a_membership_on_the_users_page_warns(superuser_en, budi):
    said = save(
        superuser_en,
        f"/admin/accounts/user/{budi.pk}/change/",
        lambda data: data.pop(inline_key(data, "active")),
    )
    assert "2 open tickets of DLH are still assigned to Budi Santoso." in " ".join(said)


def test_deactivating_a_membership_on_its_own_page_warns(superuser_en, budi):
    membership = budi.memberships.get()
    said = save(superuser_en, f"/admin/services/staffmembership/{membership.pk}/change/", lambda d: d.pop("active"))
    link = f"{REASSIGN}?from_user={budi.pk}&amp;department={membership.department_id}"  # that department's only
    assert f'2 open tickets of DLH are still assigned to Budi Santoso. <a href="{link}">' in " ".join(said)


def test_deactivating_a_member_on_the_departments_page_warns(superuser_en, budi):
    dlh = Department.objects.get(code="dlh")
    url = f"/admin/services/department/{dlh.pk}/change/"
    data = change_form_data(superuser_en.get(url))
    row = next(key[: -len("-user")] for key, value in data.items() if key.endswith("-user") and value == budi.pk)
    data.pop(f"{row}-active")
    response = superuser_en.post(url, data, follow=True)
    said = " ".join(str(message) for message in response.context["messages"])
    assert "2 open tickets of DLH are still assigned to Budi Santoso." in said


def test_the_reassign_page_has_visible_ways_in(superuser_en, budi):
    person = superuser_en.get(f"/admin/accounts/user/{budi.pk}/change/").content.decode()
    link = re.search(r'<a href="([^"]+)" id="reassign-open-tickets">([^<]+)</a>', person)
    assert link.groups() == (f"{REASSIGN}?from_user={budi.pk}", "Reassign 2 open tickets")
    nobody = make_user("sari@dlh.go.id")
    assert (
        'id="reassign-open-tickets"'
        not in superuser_en.get(f"/admin/accounts/user/{nobody.pk}/change/").content.decode()
    )
    tickets = superuser_en.get("/admin/complaints/ticket/").content.decode()
    assert re.search(
        rf'<a href="{REASSIGN}" id="reassign-staff-member">Reassign all tickets of a staff member</a>', tickets
    )
    # The link chooses the person, and says how many tickets will move once the page is sent.
    page = superuser_en.get(f"{REASSIGN}?from_user={budi.pk}").content.decode()
    assert re.search(rf'<option value="{budi.pk}" selected>', page)


def test_someone_whose_membership_was_deleted_can_still_be_chosen(superuser_en, budi):
    budi.memberships.all().delete()
    page = superuser_en.get(f"{REASSIGN}?from_user={budi.pk}").content.decode()
    assert re.search(rf'<option value="{budi.pk}" selected>', page)
