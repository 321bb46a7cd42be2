"""Someone who leaves one department and keeps working in another: the warning that their membership ended links to
the reassign page with that department chosen, and confirming it moves only that department's open tickets. The page
moved every open ticket of the person, those of the department they still work in too."""

from __future__ import annotations

import html
import re

import pytest

from complaints import actions
from complaints.models import Status, Ticket
from services.models import Department, StaffMembership
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
REASSIGN = "/admin/complaints/ticket/reassign/"


@pytest.fixture
def rahmat(city):
    """A member of DLH and Dinas PUPR with open tickets in both (and a closed DLH one)."""
    user = make_user("rahmat@bjm.go.id", full_name="Rahmat Hidayat")
    for code in ("dlh", "pupr"):
        StaffMembership.objects.create(user=user, department=Department.objects.get(code=code))
    return user


def open_tickets(user):
    dlh = [make_ticket(assignee=user), make_ticket(assignee=user, status=Status.IN_PROGRESS)]
    pupr = [make_ticket(assignee=user, service="jalan-rusak")]
    make_ticket(assignee=user, status=Status.CLOSED)
    return dlh, pupr


def assignees(tickets):
    return [Ticket.objects.get(pk=ticket.pk).assignee for ticket in tickets]


def test_the_membership_warning_leads_to_moving_that_departments_tickets_only(superuser_en, rahmat):
    dlh_tickets, pupr_tickets = open_tickets(rahmat)
    sari = make_user("sari@dlh.go.id", full_name="Sari")
    dlh = Department.objects.get(code="dlh")
    StaffMembership.objects.create(user=sari, department=dlh)
    membership = rahmat.memberships.get(department=dlh)

    # Their DLH membership switched off on its own admin page (active unticked).
    data = {"user": rahmat.pk, "department": dlh.pk, "role": "staff"}
    saved = superuser_en.post(f"/admin/services/staffmembership/{membership.pk}/change/", data, follow=True)
    warning = next(str(m) for m in saved.context["messages"] if "still assigned" in str(m))
    assert warning.startswith("2 open tickets of DLH are still assigned to Rahmat Hidayat.")
    link = html.unescape(re.search(r'<a href="([^"]+)">', warning).group(1))
    assert link == f"{REASSIGN}?from_user={rahmat.pk}&department={dlh.pk}"

    # The page shows the person and the department chosen, and offers every department too.
    page = superuser_en.get(link).content.decode()
    assert re.search(rf'<option value="{rahmat.pk}" selected>', page)
    assert re.search(rf'<option value="{dlh.pk}" selected>DLH</option>', page)
    assert '<option value="">All departments</option>' in page

    response = superuser_en.post(
        REASSIGN, {"from_user": rahmat.pk, "department": dlh.pk, "to_user": sari.pk}, follow=True
    )
    assert response.redirect_chain, response.content.decode()[:3000]
    assert [str(message) for message in response.context["messages"]] == [
        "2 open tickets of DLH went from Rahmat Hidayat (rahmat@bjm.go.id) to Sari (sari@dlh.go.id).",
        "1 open ticket of other departments stays with Rahmat Hidayat (rahmat@bjm.go.id).",
    ]
    assert assignees(dlh_tickets) == [sari, sari]
    assert assignees(pupr_tickets) == [rahmat]  # they still work at PUPR: their tickets there stay theirs


def test_to_the_pool_and_nothing_left_in_that_department(superuser_en, rahmat):
    dlh_tickets, pupr_tickets = open_tickets(rahmat)
    pupr = Department.objects.get(code="pupr")

    def reassign():
        response = superuser_en.post(REASSIGN, {"from_user": rahmat.pk, "department": pupr.pk}, follow=True)
        return [str(message) for message in response.context["messages"]]

    assert reassign() == [
        "1 open ticket of Rahmat Hidayat (rahmat@bjm.go.id) went to the pool of Dinas PUPR.",
        "2 open tickets of other departments stay with Rahmat Hidayat (rahmat@bjm.go.id).",
    ]
    assert assignees(pupr_tickets) == [None]
    assert assignees(dlh_tickets) == [rahmat, rahmat]
    assert reassign() == [
        "Rahmat Hidayat (rahmat@bjm.go.id) had no open tickets of Dinas PUPR: nothing was reassigned.",
        "2 open tickets of other departments stay with Rahmat Hidayat (rahmat@bjm.go.id).",
    ]


def test_all_departments_still_moves_every_open_ticket(superuser_en, rahmat):
    """The account switched off: its warning links to the page without a department, and all of them move."""
    dlh_tickets, pupr_tickets = open_tickets(rahmat)
    page = superuser_en.get(REASSIGN, {"from_user": rahmat.pk}).content.decode()
    assert '<option value="" selected>All departments</option>' in page
    response = superuser_en.post(REASSIGN, {"from_user": rahmat.pk, "department": ""}, follow=True)
    assert {str(message) for message in response.context["messages"]} == {
        "1 open ticket of Rahmat Hidayat (rahmat@bjm.go.id) went to the pool of Dinas PUPR.",
        "2 open tickets of Rahmat Hidayat (rahmat@bjm.go.id) went to the pool of DLH.",
    }
    assert assignees(dlh_tickets + pupr_tickets) == [None, None, None]


def test_a_head_may_hand_on_their_departments_tickets_of_someone_in_two(rahmat, city):
    """The action took every open ticket of the person, and refused a DLH head because of the PUPR ones."""
    dlh_tickets, pupr_tickets = open_tickets(rahmat)
    head = make_user("kepala@dlh.go.id")
    dlh = Department.objects.get(code="dlh")
    StaffMembership.objects.create(user=head, department=dlh, role=StaffMembership.Role.HEAD)
    assert actions.reassign_all(from_user=rahmat, to_user=head, actor=head, department=dlh) == 2
    assert assignees(dlh_tickets) == [head, head] and assignees(pupr_tickets) == [rahmat]
