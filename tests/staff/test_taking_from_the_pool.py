"""An officer who starts or resolves a ticket nobody holds takes it, so the workload per officer credits them."""

from __future__ import annotations

import pytest

from complaints import actions
from complaints.models import EventType, Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_starting_or_resolving_a_pool_ticket_gives_it_to_the_officer(staff_dlh, dlh_member):
    started = make_ticket(status=Status.ACKNOWLEDGED)
    actions.start_work(ticket=started, actor=staff_dlh)
    started.refresh_from_db()
    assert started.assignee == staff_dlh
    taken = started.events.get(type=EventType.ASSIGNED)
    assert taken.actor == staff_dlh and not taken.public and taken.payload["to_id"] == staff_dlh.pk

    resolved = make_ticket(status=Status.ACKNOWLEDGED)
    actions.resolve_ticket(ticket=resolved, actor=dlh_member, note="Sampah sudah diangkut.")
    resolved.refresh_from_db()
    assert resolved.assignee == dlh_member and resolved.status == Status.RESOLVED


def test_a_held_ticket_stays_with_its_officer_and_a_non_member_takes_nothing(staff_dlh, dlh_member, inspector):
    held = make_ticket(status=Status.ACKNOWLEDGED, assignee=dlh_member)
    actions.resolve_ticket(ticket=held, actor=staff_dlh, note="Selesai.")
    held.refresh_from_db()
    assert held.assignee == dlh_member and not held.events.filter(type=EventType.ASSIGNED).exists()
    pool = make_ticket(status=Status.ACKNOWLEDGED)
    try:
        actions.start_work(ticket=pool, actor=inspector)
    except Exception:  # noqa: BLE001 - whether the inspectorate may start work is not this test's question
        pass
    pool.refresh_from_db()
    assert pool.assignee is None
