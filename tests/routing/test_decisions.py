"""The pure routing decisions: priority, due dates, duplicates, assignee, escalation levels."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints import routing
from tests.routing.conftest import wita


def test_urgent_word_makes_any_ticket_urgent():
    decision = routing.decide_priority(default=1, text="Ada korsleting di tiang listrik", open_in_cluster=1)
    assert decision.priority == 4
    assert decision.reasons == {"urgent_keyword": "korsleting"}


def test_urgent_words_match_whole_words_only():
    assert routing.urgent_keyword("The firewall of the city website is down") is None
    assert routing.urgent_keyword("Pohon tumbang menutup jalan") == "pohon tumbang"


def test_cluster_raises_priority_to_at_least_high():
    low = routing.decide_priority(default=1, text="trotoar retak", open_in_cluster=5, cluster_threshold=5)
    assert low.priority == 3 and low.reasons == {"cluster_size": 5}
    high = routing.decide_priority(default=3, text="lampu lalu lintas mati", open_in_cluster=7, cluster_threshold=5)
    assert high.priority == 4


def test_below_cluster_size_keeps_service_default():
    decision = routing.decide_priority(default=2, text="sampah", open_in_cluster=4, cluster_threshold=5)
    assert decision.priority == 2 and decision.reasons == {}


def test_duplicates_keep_only_points_inside_the_radius_nearest_first():
    lat, lng = -3.3186, 114.5944
    candidates = [
        (1, lat + 0.002, lng),  # ~222 m north
        (2, lat + 0.0024, lng),  # ~267 m: outside
        (3, lat, lng + 0.001),  # ~111 m east
        (4, None, None),
    ]
    assert [pk for pk, _ in routing.duplicate_matches(lat=lat, lng=lng, candidates=candidates, radius_m=250)] == [3, 1]


def test_duplicate_box_contains_the_circle():
    min_lat, max_lat, min_lng, max_lng = routing.duplicate_box(-3.3186, 114.5944)
    assert max_lat - min_lat == pytest.approx(2 * 250 / 111_320)
    assert max_lng - min_lng > max_lat - min_lat  # degrees of longitude are shorter away from the poles


def test_fewest_open_tickets_wins_and_ties_are_stable():
    assert routing.pick_assignee({10: 3, 11: 1, 12: 1}) == 11
    assert routing.pick_assignee({}) is None


@pytest.mark.django_db
def test_due_dates_skip_the_weekend_and_independence_day():
    # Thursday 13 August 2026: Friday counts, the weekend does not, Monday 17 August is a national holiday.
    response, resolution = routing.due_dates(start=wita(2026, 8, 13, 10, 0), response_days=2, resolution_days=3)
    assert response == wita(2026, 8, 18, 23, 59, 59)
    assert resolution == wita(2026, 8, 19, 23, 59, 59)


@pytest.mark.django_db
def test_escalation_goes_one_level_at_a_time():
    due = wita(2026, 8, 3, 23, 59, 59)  # Monday
    args = dict(response_due_at=None, resolution_due_at=due, awaiting_response=False, extra_days=2)
    assert routing.escalation_due(level=0, now=due - dt.timedelta(hours=1), **args) is None
    assert routing.escalation_due(level=0, now=wita(2026, 8, 4, 9), **args) == (1, "resolution", due)
    # Long overdue but never escalated: the head hears first.
    assert routing.escalation_due(level=0, now=wita(2026, 8, 20, 9), **args)[0] == 1
    args["escalated_deadline"] = "resolution"
    assert routing.escalation_due(level=1, now=wita(2026, 8, 4, 9), **args) is None
    # Two working days after Monday's due date: the end of Wednesday, not Wednesday morning.
    assert routing.escalation_due(level=1, now=wita(2026, 8, 5, 23, 59), **args) is None
    assert routing.escalation_due(level=1, now=wita(2026, 8, 6, 0, 0, 1), **args) == (2, "resolution", due)
    assert routing.escalation_due(level=2, now=wita(2026, 8, 20, 9), **args) is None


@pytest.mark.django_db
def test_response_deadline_counts_only_until_someone_verifies():
    due = wita(2026, 8, 3, 23, 59, 59)
    later = wita(2026, 8, 20, 23, 59, 59)
    now = wita(2026, 8, 5, 9)
    waiting = routing.escalation_due(
        level=0, response_due_at=due, resolution_due_at=later, awaiting_response=True, now=now
    )
    assert waiting == (1, "response", due)
    verified = routing.escalation_due(
        level=0, response_due_at=due, resolution_due_at=later, awaiting_response=False, now=now
    )
    assert verified is None
