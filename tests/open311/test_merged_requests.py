"""A merged request in GeoReport v2, in every privacy combination: the bridge that filed it learns it was merged and,
when the request it went into is public, which one to follow; a target that is not public is never named. A
confidential report merged into a public one said only "Duplicate" to the bridge that filed it (found in the
transparency NGO's and the DPRD watchdog's walk)."""

import pytest

from complaints.actions import merge_ticket
from complaints.models import Channel, Privacy, Ticket
from tests.factories import make_ticket

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db
CONFIDENTIAL_DUPLICATE = "Confidential report: Duplicate. Only its status is given."
NOT_PUBLIC = "Merged into another request that is not public."


def follow(reference: str) -> str:
    return f"Merged into {reference}: follow that request from now on."


def merged(api_key, staff, *, duplicate: str, into: str) -> tuple[Ticket, Ticket]:
    """A request the bridge filed with ``duplicate`` privacy, merged into another report with ``into`` privacy."""
    filed = make_ticket(privacy=duplicate, api_key=api_key, channel=Channel.OPEN311)
    target = make_ticket(privacy=into, title="Sampah menumpuk di Jalan Mawar")
    merge_ticket(ticket=filed, into=target, actor=staff)
    return filed, target


def read(client, ticket, **params) -> tuple[dict, dict, str]:
    """The request as GET requests/{id} gives it, as the list gives it (by id), and the detail's whole body."""
    detail = client.get(f"{BASE}/requests/{ticket.reference}.json", params, HTTP_ACCEPT_LANGUAGE="en")
    listed = client.get(
        f"{BASE}/requests.json", {"service_request_id": ticket.reference, **params}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert detail.status_code == listed.status_code == 200, detail.content
    ([from_detail], [from_list]) = (detail.json(), listed.json())
    return from_detail, from_list, detail.content.decode()


@pytest.mark.parametrize(
    "duplicate, into",
    [
        (Privacy.PUBLIC, Privacy.PUBLIC),
        (Privacy.ANONYMOUS, Privacy.PUBLIC),
        (Privacy.PUBLIC, Privacy.ANONYMOUS),
    ],
)
def test_a_public_request_merged_into_a_public_one_names_it_to_everyone(
    client, city, api_key, staff_dlh, duplicate, into
):
    filed, target = merged(api_key, staff_dlh, duplicate=duplicate, into=into)
    for params in ({}, {"api_key": api_key.raw}):
        detail, listed, _body = read(client, filed, **params)
        assert detail["status"] == "closed"
        assert detail["status_notes"] == listed["status_notes"] == follow(target.reference)
        notes = read(client, filed, extensions="true", **params)[0]["notes"]
        assert notes[-1]["type"] == "merged" and notes[-1]["description"] == follow(target.reference)


def test_a_confidential_request_merged_into_a_public_one_tells_its_bridge_where_it_went(
    client, city, api_key, staff_dlh
):
    filed, target = merged(api_key, staff_dlh, duplicate=Privacy.CONFIDENTIAL, into=Privacy.PUBLIC)
    detail, listed, _body = read(client, filed, api_key=api_key.raw)
    expected = f"{CONFIDENTIAL_DUPLICATE} {follow(target.reference)}"
    assert detail["status"] == "closed"
    assert detail["status_notes"] == listed["status_notes"] == expected
    # Still its status alone: nothing of its text or place, no timeline.
    assert detail["description"] is None and detail["lat"] is None and detail["address"] is None
    assert read(client, filed, api_key=api_key.raw, extensions="true")[0]["notes"] == []
    # Nobody else sees it at all.
    assert client.get(f"{BASE}/requests/{filed.reference}.json").status_code == 404


@pytest.mark.parametrize("duplicate", [Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL])
def test_a_request_merged_into_a_confidential_one_says_so_without_naming_it(
    client, city, api_key, staff_dlh, duplicate
):
    filed, target = merged(api_key, staff_dlh, duplicate=duplicate, into=Privacy.CONFIDENTIAL)
    detail, listed, body = read(client, filed, api_key=api_key.raw, extensions="true")
    expected = f"{CONFIDENTIAL_DUPLICATE} {NOT_PUBLIC}" if duplicate == Privacy.CONFIDENTIAL else NOT_PUBLIC
    assert detail["status"] == "closed"
    assert detail["status_notes"] == listed["status_notes"] == expected
    assert target.reference not in body and target.title not in body


def test_a_target_that_is_no_longer_public_is_no_longer_named(client, city, api_key, staff_dlh):
    """The merge named a public target; made confidential later, the requests merged into it stop naming it."""
    filed, target = merged(api_key, staff_dlh, duplicate=Privacy.PUBLIC, into=Privacy.PUBLIC)
    Ticket.objects.filter(pk=target.pk).update(privacy=Privacy.CONFIDENTIAL)
    for params in ({}, {"api_key": api_key.raw}):
        detail, listed, body = read(client, filed, extensions="true", **params)
        assert detail["status_notes"] == listed["status_notes"] == NOT_PUBLIC
        assert detail["notes"][-1]["description"] == NOT_PUBLIC
        assert target.reference not in body


def test_merged_requests_keep_the_lists_query_count(client, city, api_key, staff_dlh, memory_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{BASE}/requests.json", {"api_key": api_key.raw}).status_code == 200
        return len(captured)

    merged(api_key, staff_dlh, duplicate=Privacy.CONFIDENTIAL, into=Privacy.PUBLIC)
    one = queries_for_the_list()
    for _ in range(3):
        merged(api_key, staff_dlh, duplicate=Privacy.PUBLIC, into=Privacy.PUBLIC)
    assert queries_for_the_list() == one
