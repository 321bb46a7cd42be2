"""Who a ticket can be assigned to: its department's active members, for the staff who may assign it."""

import pytest

from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"


def test_staff_list_who_a_ticket_can_be_assigned_to(as_user, city, citizen, staff_dlh, head_dlh, staff_pupr, inspector):
    ticket = make_ticket()  # DLH's
    colleague = make_staff("rekan.dlh@banjarmasinkota.go.id", "dlh")
    colleague.full_name, colleague.phone = "Rekan Dinas", "0811"
    colleague.save()
    url = f"{TICKETS}{ticket.reference}/assignees/"
    members = as_user(staff_dlh).get(url)
    assert members.status_code == 200, members.content
    listed = {m["id"]: m for m in members.json()}
    assert set(listed) == {staff_dlh.pk, head_dlh.pk, colleague.pk}
    assert listed[colleague.pk] == {"id": colleague.pk, "name": "Rekan Dinas", "role": "staff"}
    assert listed[head_dlh.pk]["role"] == "head" and "0811" not in members.content.decode()
    # The id is the one assign takes.
    assigned = as_user(staff_dlh).post(
        f"{TICKETS}{ticket.reference}/assign/", {"assignee": colleague.pk}, format="json"
    )
    assert assigned.status_code == 200, assigned.content
    assert as_user(citizen).get(url).status_code == 403
    assert as_user(inspector).get(url).status_code == 403  # sees the ticket, does not work it
    assert as_user(staff_pupr).get(url).status_code == 404  # another department's ticket
    from rest_framework.test import APIClient

    assert APIClient().get(url).status_code == 401
