"""The queue's duplicate count and a ticket's possible duplicates leave out candidates already merged: a master
report still showed 38 after 30 of them were merged into it."""

from __future__ import annotations

import pytest

from complaints import actions, queries
from complaints.models import DuplicateCandidate
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_merged_candidates_are_not_counted(staff_dlh):
    master = make_ticket()
    candidates = [make_ticket() for _ in range(4)]
    for candidate in candidates:
        DuplicateCandidate.objects.create(ticket=master, candidate=candidate, distance_m=10)
    for candidate in candidates[:3]:
        actions.merge_ticket(ticket=candidate, into=master, actor=staff_dlh)
    page = queries.queue_page(queries.staff_tickets(staff_dlh).filter(pk=master.pk))
    assert page["rows"][0].duplicate_candidate_count == 1
    assert queries.duplicate_candidates_for(staff_dlh, master) == [candidates[3]]
    assert queries.duplicate_candidate_total(staff_dlh, master) == 1


def test_the_total_says_how_many_a_cut_list_leaves_out(staff_dlh):
    master = make_ticket()
    for _ in range(3):
        DuplicateCandidate.objects.create(ticket=master, candidate=make_ticket(), distance_m=10)
    assert len(queries.duplicate_candidates_for(staff_dlh, master, limit=2)) == 2
    assert queries.duplicate_candidate_total(staff_dlh, master) == 3


def test_the_ticket_page_says_when_it_lists_only_the_newest(client, staff_dlh):
    master = make_ticket()
    for _ in range(queries.DUPLICATES_SHOWN + 3):
        DuplicateCandidate.objects.create(ticket=master, candidate=make_ticket(), distance_m=10)
    client.force_login(staff_dlh)
    page = client.get(f"/staf/tiket/{master.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(the newest 20 of 23)" in page
    assert page.count('<li><a href="/staf/tiket/') >= queries.DUPLICATES_SHOWN


def test_a_short_list_says_nothing_more(client, staff_dlh):
    master = make_ticket()
    DuplicateCandidate.objects.create(ticket=master, candidate=make_ticket(), distance_m=10)
    client.force_login(staff_dlh)
    page = client.get(f"/staf/tiket/{master.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Possible duplicates" in page and " of 1)" not in page
