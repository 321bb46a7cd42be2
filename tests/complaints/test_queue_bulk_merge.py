"""The queue's bulk "Merge into…": in a flood surge the duty officer merged ~30 duplicates one at a time from each
duplicate's page. Now the ticked tickets go into the one named, each by ``merge_ticket`` as from its page (its own
transaction, the same checks, each merged report's followers told once); one that cannot go is named with its reason
and stays ticked while the others go; a target nothing may go into refuses the whole merge with one message."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.models import EventType, Notification, Privacy, Status, Subscription, Ticket
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def merge(client, ids, into: str):
    # The queue as drawn with every status, so a closed ticket refused shows (ticked) in it.
    data = {"action": "merge", "ids": [t.pk for t in ids], "into": into, "query": "status=all"}
    return client.post(reverse("staff:bulk"), data, headers=HTMX, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def ticked(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="ids" value="(\d+)"[^>]* checked', html)}


def told_of_the_merge(ticket) -> list[str]:
    told = Notification.objects.filter(ticket=ticket, event__type=EventType.MERGED)
    return list(told.values_list("email", flat=True))


@pytest.fixture
def flood(city):
    master = make_ticket(title="Banjir di Jalan Veteran")
    duplicates = [make_ticket(reporter=make_user(f"warga{i}@example.id")) for i in range(3)]
    return master, duplicates


def test_the_ticked_tickets_go_into_the_one_named_and_each_reporter_is_told_once(client, staff_dlh, flood):
    master, duplicates = flood
    client.force_login(staff_dlh)

    # The master ticked too, its reference typed in lower case.
    html = merge(client, [*duplicates, master], master.reference.lower())

    assert f"3 tickets merged into {master.reference}." in html
    for duplicate in duplicates:
        duplicate.refresh_from_db()
        assert duplicate.status == Status.DUPLICATE and duplicate.duplicate_of_id == master.pk
        assert told_of_the_merge(duplicate) == [duplicate.reporter.email]
    master.refresh_from_db()
    assert master.status == Status.ROUTED and master.duplicate_of_id is None  # skipped, not merged into itself
    assert master.support_count == 3
    following = Subscription.objects.filter(ticket=master, active=True).values_list("user__email", flat=True)
    assert set(following) == {d.reporter.email for d in duplicates}
    assert "alert-danger" not in html


def test_one_that_cannot_be_merged_is_named_with_its_reason_and_the_others_go(client, staff_dlh, flood):
    master, duplicates = flood
    closed = make_ticket(status=Status.CLOSED)
    client.force_login(staff_dlh)

    html = merge(client, [closed, *duplicates], master.reference)

    assert f"{closed.reference}: A ticket that is closed cannot be changed with" in html
    assert f"3 tickets merged into {master.reference}." in html
    assert Ticket.objects.get(pk=closed.pk).status == Status.CLOSED
    assert Ticket.objects.filter(duplicate_of=master).count() == 3
    assert ticked(html) == {closed.pk}  # the refused one stays ticked, the target still typed
    assert f'value="{master.reference}"' in html


def test_a_reference_outside_the_queue_merges_nothing_and_says_so_once(client, staff_dlh, flood):
    _master, duplicates = flood
    roads = make_ticket(service="jalan-rusak")  # Dinas PUPR's, not in this officer's queue
    client.force_login(staff_dlh)

    html = merge(client, duplicates, roads.reference)

    assert html.count("Nothing was merged into") == 1
    assert f"Nothing was merged into {roads.reference}: No ticket with that reference in your queue." in html
    assert not Ticket.objects.filter(status=Status.DUPLICATE).exists()
    assert ticked(html) == {d.pk for d in duplicates}


def test_a_closed_target_refuses_the_whole_merge_once(client, staff_dlh, flood):
    master, duplicates = flood
    Ticket.objects.filter(pk=master.pk).update(status=Status.RESOLVED)
    client.force_login(staff_dlh)

    html = merge(client, duplicates, master.reference)

    assert html.count("The ticket to merge into must still be open.") == 1
    assert f"Nothing was merged into {master.reference}:" in html
    assert not Ticket.objects.filter(status=Status.DUPLICATE).exists()
    assert not Notification.objects.filter(event__type=EventType.MERGED).exists()


def test_the_target_ticked_alone_merges_nothing(client, staff_dlh, flood):
    master, _duplicates = flood
    client.force_login(staff_dlh)

    html = merge(client, [master], master.reference)

    assert f"Nothing was merged into {master.reference}: Tick its duplicates, not only that ticket itself." in html
    assert Ticket.objects.get(pk=master.pk).status == Status.ROUTED


def test_merge_without_a_target_asks_for_its_reference(client, staff_dlh, flood):
    _master, duplicates = flood
    client.force_login(staff_dlh)

    html = merge(client, duplicates, "  ")

    assert "Name the ticket to merge into: its reference, e.g. BJM-2026-000123." in html
    assert '<option value="merge" selected>' in html
    assert not Ticket.objects.filter(status=Status.DUPLICATE).exists()


def test_followers_do_not_move_into_a_confidential_target(client, staff_dlh, flood):
    _master, duplicates = flood
    secret = make_ticket(privacy=Privacy.CONFIDENTIAL, title="Banjir (rahasia)")
    client.force_login(staff_dlh)

    merge(client, duplicates, secret.reference)

    assert Ticket.objects.filter(duplicate_of=secret).count() == 3
    assert not Subscription.objects.filter(ticket=secret, user__email__startswith="warga").exists()
    for duplicate in duplicates:
        assert told_of_the_merge(duplicate) == [duplicate.reporter.email]


def test_the_merge_is_offered_in_the_users_language(client, staff_dlh, flood):
    master, duplicates = flood
    client.force_login(staff_dlh)
    page = client.get(reverse("staff:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="merge">Merge into…</option>' in page
    assert 'name="into"' in page and f'<option value="{master.reference}">' in page  # picked from the page's tickets
