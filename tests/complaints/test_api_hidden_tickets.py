"""A ticket a user may not see answers every REST endpoint exactly as a reference that does not exist: a citizen's
reply to a confidential ticket was 403 ("Only city staff may do this."), which told them the report exists."""
# ruff: noqa: F811

import pytest

from complaints.models import Privacy
from tests.api.conftest import api, as_user  # noqa: F401 (the REST API tests' client fixtures)
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

READS = ["", "events/", "photos/1/", "photos/1/thumbnail/", "assignees/"]
WRITES = {
    "acknowledge/": {},
    "start/": {},
    "reply/": {"message": "Halo"},
    "ask-info/": {"message": "Foto?"},
    "note/": {"message": "Catatan"},
    "assign/": {"assignee": None},
    "priority/": {"priority": 3},
    "resolve/": {"note": "Selesai"},
    "reject/": {"reason": "Bukan wewenang"},
    "reopen/": {"reason": "Lagi"},
    "merge/": {"into": "BJM-2026-000001"},
    "forward/": {"department": "pupr", "reason": "Bukan DLH"},
    "add-info/": {"message": "Di depan SDN 3."},
}


def answer(response) -> tuple[int, bytes]:
    return response.status_code, response.content


@pytest.mark.parametrize("reader", ["citizen", "other_citizen", "staff_pupr"])
def test_every_endpoint_answers_a_hidden_ticket_as_an_unknown_one(request, as_user, reader, citizen):
    # Filed by a DLH head: neither citizen nor PUPR staff may see it.
    secret = make_ticket(privacy=Privacy.CONFIDENTIAL, reporter=request.getfixturevalue("head_dlh"))
    api = as_user(request.getfixturevalue(reader))
    for path in READS:
        hidden = api.get(f"/api/v1/tickets/{secret.reference}/{path}", HTTP_ACCEPT_LANGUAGE="en")
        unknown = api.get(f"/api/v1/tickets/BJM-2099-999999/{path}", HTTP_ACCEPT_LANGUAGE="en")
        assert answer(hidden) == answer(unknown), path
        assert hidden.status_code == 404, path
    for path, body in WRITES.items():
        hidden = api.post(f"/api/v1/tickets/{secret.reference}/{path}", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
        unknown = api.post(f"/api/v1/tickets/BJM-2099-999999/{path}", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert answer(hidden) == answer(unknown), path
        assert hidden.status_code == 404, path
    assert not secret.events.exclude(type="routed").exists()


def test_a_citizen_still_hears_403_for_staff_work_on_a_ticket_they_see(as_user, citizen):
    mine = make_ticket(reporter=citizen)
    refused = as_user(citizen).post(f"/api/v1/tickets/{mine.reference}/reply/", {"message": "x"}, format="json")
    assert refused.status_code == 403
