"""The daily roll-ups (PostgreSQL materialized views) give exactly the live figures, and are used only when fresh."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from complaints.models import Privacy, Status, Ticket
from complaints.queries import overdue_filter
from complaints.tasks import refresh_dashboard_rollups
from dashboards.queries import figures, rollup, tickets
from dashboards.queries.base import Filters
from services.models import Department
from tests.factories import make_ticket

from .conftest import RANGE, WITA, Row, build, file_duplicates, merge

pytestmark = pytest.mark.django_db


def _rows(page: dict) -> dict:
    return {key: table.rows for key, table in page["tables"].items()}


def _refresh() -> dt.datetime:
    refreshed = refresh_dashboard_rollups()
    assert refreshed is not None
    return dt.datetime.fromisoformat(refreshed)


def _department_page_reading(monkeypatch, reader: str, department, filters, at: dt.datetime) -> tuple[dict, list]:
    """The department page as computed at ``at`` (the refresh), and the calls it made to ``rollup.<reader>``."""
    calls = []
    real = getattr(rollup, reader)
    monkeypatch.setattr(rollup, reader, lambda *args, **kwargs: calls.append(args) or real(*args, **kwargs))
    with time_machine.travel(at, tick=False):
        return figures.department_dashboard(department, filters), calls


def _waiting(name: str, filed: dt.datetime, since: dt.datetime, **fields) -> Ticket:
    """A DLH ticket whose department asked the citizen a question at ``since`` and still waits: its clock is paused."""
    fields.setdefault("status", Status.IN_PROGRESS)
    if fields["status"] != Status.ROUTED:
        fields.setdefault("acknowledged_at", filed + dt.timedelta(hours=2))
    return make_ticket(
        department="dlh", created_at=filed, title=f"Laporan {name}", waiting_for_citizen_since=since, **fields
    )


@pytest.fixture
def paused(dataset):
    """Three more DLH tickets in RANGE, waiting for the citizen's answer since long before the refresh.

    W1 verified, resolution due Thu 5 Mar, asked Wed 4 Mar: the date passed during the wait, neither overdue nor late.
    W2 verified, resolution due Thu 26 Feb, asked Mon 2 Mar: missed before the question, overdue and late.
    W3 never verified, response due Thu 5 Mar, asked Wed 4 Mar: neither overdue nor late."""
    return {
        "W1": _waiting(
            "W1",
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=WITA),
            dt.datetime(2026, 3, 4, 10, 0, tzinfo=WITA),
            response_due_at=dt.datetime(2026, 3, 4, 23, 59, 59, tzinfo=WITA),
            resolution_due_at=dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=WITA),
        ),
        "W2": _waiting(
            "W2",
            dt.datetime(2026, 2, 23, 9, 0, tzinfo=WITA),
            dt.datetime(2026, 3, 2, 10, 0, tzinfo=WITA),
            response_due_at=dt.datetime(2026, 2, 25, 23, 59, 59, tzinfo=WITA),
            resolution_due_at=dt.datetime(2026, 2, 26, 23, 59, 59, tzinfo=WITA),
        ),
        "W3": _waiting(
            "W3",
            dt.datetime(2026, 3, 3, 9, 0, tzinfo=WITA),
            dt.datetime(2026, 3, 4, 10, 0, tzinfo=WITA),
            status=Status.ROUTED,
            response_due_at=dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=WITA),
            resolution_due_at=dt.datetime(2026, 3, 6, 23, 59, 59, tzinfo=WITA),
        ),
    }


@pytest.fixture
def merged(dataset, staff_dlh):
    """Four more DLH reports of T4's problem, one of them confidential, merged into T4 by the duty officer."""
    duplicates = file_duplicates(dataset["T4"], 3) + file_duplicates(dataset["T4"], 1, privacy=Privacy.CONFIDENTIAL)
    merge(duplicates, dataset["T4"], staff_dlh)
    return duplicates


@pytest.mark.postgres
def test_rollup_figures_equal_the_live_computation(dataset, paused, merged, plan, monkeypatch):
    at = _refresh()
    assert rollup.refreshed_at() == at
    read = []
    counts = rollup.counts
    monkeypatch.setattr(rollup, "counts", lambda *args, **kwargs: read.append(kwargs) or counts(*args, **kwargs))
    dlh = Department.objects.get(code="dlh")
    with time_machine.travel(at, tick=False):
        pages = {
            "public": lambda now: figures.public_dashboard(RANGE, now=now),
            "city": lambda now: figures.city_dashboard(RANGE, now=now),
            "department": lambda now: figures.department_dashboard(dlh, RANGE, now=now),
            "city, one department": lambda now: figures.city_dashboard(
                Filters(RANGE.date_from, RANGE.date_to, department_id=dlh.pk), now=now
            ),
        }
        for name, page in pages.items():
            from_rollup = page(None)
            live = page(at)
            assert from_rollup["computed_at"] == at, name
            assert read, f"{name}: the roll-up was not read"
            read.clear()
            assert _rows(from_rollup) == _rows(live), name
            assert not read, f"{name}: the live computation read the roll-up"
    # The figures are not empty: the comparison would otherwise prove nothing.
    summary = {r["measure"]: r for r in _rows(live)["summary"]}
    assert summary["tickets"]["value"] == 19 and summary["response_rate"]["value"] is not None
    # The merged reports are counted apart and left out of the share resolved, in the roll-up as live (above).
    assert summary["merged"]["value"] == 4 and summary["done_rate"]["value_base"] == 15
    assert sum(week["merged"] for week in _rows(live)["weekly"]) == 4
    # The paused clocks count as in the staff queue's "Overdue only", which the department page links to: of the
    # waiting tickets only W2 (late before the question) is overdue or late, in the roll-up as live.
    with time_machine.travel(at, tick=False):
        department = _rows(pages["department"](None))
        city = _rows(pages["city"](None))
    queue = Ticket.objects.filter(department=dlh).filter(overdue_filter(at))
    assert {t.title for t in queue if t.waiting_for_citizen_since} == {"Laporan W2"}
    assert {r["measure"]: r["value"] for r in department["summary"]}["overdue"] == queue.count()
    in_range = queue.filter(RANGE.where()).count()
    assert [r["overdue"] for r in city["departments"] if r["code"] == "dlh"] == [in_range]
    mine = Filters(RANGE.date_from, RANGE.date_to, department_id=dlh.pk)
    counted = rollup.counts(mine, public=False, by_department=False)[None]
    # Late at the refresh (months after NOW): to verify T2, T4, T11; to resolve T2, T3, T4, T10, T11 and W2.
    assert (counted["response_missed"], counted["resolution_missed"]) == (3, 6)


@pytest.mark.postgres
def test_medians_of_the_default_window_come_from_the_refresh_and_equal_the_live_ones(city, monkeypatch):
    # Tickets in the default window as of now (the refresh), two departments, some confidential.
    filed = timezone.now() - dt.timedelta(days=3)
    for n in range(24):
        build(
            Row(
                f"W{n}",
                filed - dt.timedelta(days=n * 5, hours=n),
                1.5 * n + 1 if n % 5 else None,
                10.0 * n + 3 if n % 6 else None,
                Status.CLOSED if n % 6 else Status.IN_PROGRESS,
                privacy=Privacy.CONFIDENTIAL if n % 8 == 0 else Privacy.PUBLIC,
            ),
            service="sampah-menumpuk" if n % 2 else "jalan-rusak",
        )
    at = _refresh()
    default = Filters.default(today=timezone.localdate(at))
    read = []
    medians = rollup.medians
    monkeypatch.setattr(rollup, "medians", lambda *args, **kwargs: read.append(1) or medians(*args, **kwargs))
    dlh = Department.objects.get(code="dlh")
    with time_machine.travel(at, tick=False):
        for name, page in {
            "public": lambda now: figures.public_dashboard(default, now=now),
            "city": lambda now: figures.city_dashboard(default, now=now),
            "department": lambda now: figures.department_dashboard(dlh, default, now=now),
        }.items():
            from_rollup = page(None)
            assert read, f"{name}: the window's medians were not read"
            read.clear()
            live = page(at)
            assert _rows(from_rollup) == _rows(live), name
            summary = {r["measure"]: r["value"] for r in _rows(live)["summary"]}
            assert summary["median_resolve_hours"] is not None, name


@pytest.mark.postgres
def test_department_sla_windows_from_the_rollup_count_whole_wita_days_as_the_live_ones(city, monkeypatch):
    today = timezone.localdate(timezone.now())

    def filed(days_back: int, hour: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days_back), dt.time(hour, minute), tzinfo=WITA)

    # The 30-day window is today and the 29 days before, from midnight WITA; the 90-day one likewise.
    build(Row("first minutes of the 30 days", filed(29, 0, 10), 1, 2, Status.CLOSED))
    build(Row("last minutes before them", filed(30, 23, 50), 1, 2, Status.CLOSED))
    build(Row("late on both", filed(60, 9, 0), 200, 300, Status.CLOSED))
    build(Row("before the 90 days", filed(90, 23, 50), 1, 2, Status.CLOSED))
    # Waiting for the citizen's answer: W1 verified on time, resolution due during the wait (not decided yet); W2
    # verified on time, resolution missed before the question (late); W3 never verified, both dates passed during
    # the wait (neither decided).
    end = (23, 59)
    _waiting("W1", filed(10, 9, 0), filed(6, 10, 0), response_due_at=filed(8, *end), resolution_due_at=filed(5, *end))
    _waiting(
        "W2", filed(40, 9, 0), filed(30, 10, 0), response_due_at=filed(38, *end), resolution_due_at=filed(35, *end)
    )
    _waiting(
        "W3",
        filed(12, 9, 0),
        filed(10, 10, 0),
        status=Status.ROUTED,
        response_due_at=filed(9, *end),
        resolution_due_at=filed(8, *end),
    )
    at = _refresh()
    dlh = Department.objects.get(code="dlh")
    from_rollup = rollup.sla_windows(dlh.pk, at, tickets.SLA_WINDOWS)
    live = tickets.sla_windows(Ticket.objects.filter(department=dlh), now=at)
    assert tickets.sla_windows(Ticket.objects.none(), now=at, counted=from_rollup) == live
    assert (live["response_30"]["met"], live["response_30"]["missed"]) == (2, 0)
    assert (live["response_90"]["met"], live["response_90"]["missed"]) == (4, 1)
    assert (live["resolution_30"]["met"], live["resolution_30"]["missed"]) == (1, 0)
    assert (live["resolution_90"]["met"], live["resolution_90"]["missed"]) == (2, 2)
    # The department page reads them from the roll-up while it is fresh.
    page, read = _department_page_reading(
        monkeypatch, "sla_windows", dlh, Filters.default(today=timezone.localdate(at)), at
    )
    assert read
    assert [(r["days"], r["met"], r["missed"]) for r in page["tables"]["sla"].rows if r["measure"] == "response"] == [
        (30, 2, 0),
        (90, 4, 1),
    ]


@pytest.mark.postgres
def test_department_open_queue_by_age_from_the_rollup_counts_whole_wita_days_as_the_live_one(city, monkeypatch):
    today = timezone.localdate(timezone.now())

    def filed(days_back: int, hour: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days_back), dt.time(hour, minute), tzinfo=WITA)

    # "0–2 days" is today and the 2 days before, from midnight WITA; "3–7" back to 7 days before, and so on.
    build(Row("first minutes of 0-2", filed(2, 0, 10), None, None, Status.ROUTED))
    build(Row("last minutes before 0-2", filed(3, 23, 50), None, None, Status.ROUTED))
    build(Row("verified, first minutes of 3-7", filed(7, 0, 10), 1, None, Status.ACKNOWLEDGED))
    build(Row("last minutes before 3-7", filed(8, 23, 50), 1, None, Status.IN_PROGRESS))
    build(Row("old", filed(40, 9, 0), None, None, Status.ROUTED))
    build(Row("done: not in the queue", filed(1, 0, 10), 1, 2, Status.CLOSED))
    # Waiting for the citizen's answer: due two days ago, asked three days ago (not overdue); due 15 days ago,
    # asked 10 days ago (overdue).
    paused_on_time = _waiting("W1", filed(5, 9, 0), filed(3, 10, 0), resolution_due_at=filed(2, 23, 59))
    paused_late = _waiting("W2", filed(20, 9, 0), filed(10, 10, 0), resolution_due_at=filed(15, 23, 59))
    at = _refresh()
    dlh = Department.objects.get(code="dlh")
    live = tickets.open_by_age(Ticket.objects.filter(department=dlh), now=at)
    assert tickets.open_by_age(Ticket.objects.none(), now=at, counted=rollup.open_by_age(dlh.pk, at)) == live
    grid = {bucket: {s: n for s, n in row.items() if n} for bucket, row in live["grid"].items()}
    assert grid == {
        "0-2": {Status.ROUTED: 1},
        "3-7": {Status.ROUTED: 1, Status.ACKNOWLEDGED: 1, Status.IN_PROGRESS: 1},
        "8-30": {Status.IN_PROGRESS: 2},
        "31+": {Status.ROUTED: 1},
    }
    # Overdue as in the staff queue's "Overdue only" (a paused clock stopped when the question was asked).
    late = set(Ticket.objects.filter(department=dlh).filter(overdue_filter(at)))
    assert paused_late in late and paused_on_time not in late
    assert live["open"] == 7 and live["overdue"] == len(late) >= 2
    # The department page reads them from the roll-up while it is fresh.
    page, read = _department_page_reading(
        monkeypatch, "open_by_age", dlh, Filters.default(today=timezone.localdate(at)), at
    )
    assert read
    rows = {r["bucket"]: r["total"] for r in page["tables"]["open_by_age"].rows}
    assert rows == {"0-2": 1, "3-7": 3, "8-30": 2, "31+": 1}


@pytest.mark.postgres
def test_rollup_is_used_while_fresh_and_the_live_figures_once_stale(dataset):
    at = _refresh()
    build(Row("N1", dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC), None, None, Status.ROUTED))

    def tickets_filed(moment):
        from django.core.cache import cache

        cache.clear()
        with time_machine.travel(moment, tick=False):
            page = figures.city_dashboard(RANGE)
        return {r["measure"]: r["value"] for r in page["tables"]["summary"].rows}["tickets"], page["computed_at"]

    # Fresh: the counts as of the refresh (the new ticket comes with the next refresh), stamped with its time.
    assert tickets_filed(at + dt.timedelta(minutes=5)) == (14, at)
    # Stale (the beat stopped): computed live, so the new ticket counts and the time is now.
    late = at + rollup.MAX_AGE + dt.timedelta(minutes=1)
    assert tickets_filed(late) == (15, late)
    # A filter the roll-up cannot answer (one kelurahan) is computed live too.
    assert rollup.usable(Filters(RANGE.date_from, RANGE.date_to, kelurahan_id=1), now=None, moment=at) is None


def test_without_postgresql_the_refresh_does_nothing_and_pages_compute_live(dataset, settings):
    if settings.USING_POSTGRES:
        pytest.skip("SQLite behaviour")
    assert refresh_dashboard_rollups() is None
    assert rollup.refreshed_at() is None
    page = figures.public_dashboard(RANGE)
    # The 14 tickets less the confidential T3 and the rejected T5.
    assert {r["measure"]: r["value"] for r in page["tables"]["summary"].rows}["tickets"] == 12


@pytest.mark.postgres
def test_department_services_and_kelurahan_come_from_the_place_rollup_and_equal_the_live_pass(dataset, monkeypatch):
    at = _refresh()
    dlh = Department.objects.get(code="dlh")
    dashboard, read = _department_page_reading(monkeypatch, "department_places", dlh, RANGE, at)
    assert read, "the department page did not read the place roll-up"
    page = _rows(dashboard)
    period = Ticket.objects.filter(department=dlh).filter(RANGE.where())
    services, areas = tickets.services_and_kelurahan(period)
    assert page["top_services"] == _rows({"tables": {"t": figures._top_services(period, services)}})["t"]
    assert page["kelurahan"] == areas
    assert [a["n"] for a in areas] == [11, 1] and sum(s["n"] for s in page["top_services"]) == 12


@pytest.mark.postgres
def test_services_and_kelurahan_in_one_pass_equal_the_separate_queries(dataset):
    from complaints.models import Ticket
    from dashboards.queries import tickets

    period = Ticket.objects.filter(department__code="dlh").filter(RANGE.where())
    services, areas = tickets.services_and_kelurahan(period)
    assert services == tickets.top_services(period)
    live = figures._kelurahan(period).rows
    assert areas == live and [a["n"] for a in areas] == [11, 1]  # Mawar, and T7's kelurahan
