"""Dashboard figures against values worked out by hand on the fixed dataset (tests/dashboards/conftest.py)."""

import datetime as dt

import pytest
from django.db.models import Q

from complaints.models import Ticket
from dashboards.queries import figures, tickets
from dashboards.queries.base import MedianSpec, grouped_medians, rate
from services.models import Department

from .conftest import NOW, RANGE, WITA

pytestmark = pytest.mark.django_db


def dlh_tickets():
    return Ticket.objects.filter(department__code="dlh")


def test_due_dates_skip_weekend_and_lunar_new_year(dataset):
    # Filed Friday 13 Feb: the two working days are Wednesday 18 and Thursday 19 (Monday 16 is cuti bersama,
    # Tuesday 17 the Lunar New Year).
    t1 = dataset["T1"]
    t1.refresh_from_db()
    assert t1.response_due_at.astimezone(WITA) == dt.datetime(2026, 2, 19, 23, 59, 59, tzinfo=WITA)
    assert t1.resolution_due_at.astimezone(WITA) == dt.datetime(2026, 2, 20, 23, 59, 59, tzinfo=WITA)


def test_sla_compliance_counts_working_days_and_open_tickets_past_due(dataset):
    summary = tickets.period_summary(dlh_tickets().filter(RANGE.where()), now=NOW)
    # Response: T1 (5 calendar but 2 working days), T3, T6-T10, T12 on time; T2 late, T11 waiting past due.
    assert (summary["response_met"], summary["response_missed"]) == (8, 2)
    assert summary["response_rate"] == 80.0
    # Resolution: T1, T6-T9, T12 on time; T2, T10 late; T3 and T11 still open past due.
    assert (summary["resolution_met"], summary["resolution_missed"]) == (6, 4)
    assert summary["resolution_rate"] == 60.0


def test_sla_windows_30_and_90_days(dataset):
    windows = tickets.sla_windows(dlh_tickets(), now=NOW)
    # Filed since 4 Feb 12:00 (30 days): T2, T3, T4, T6..T12 minus T6 (3 Feb) and T5 (rejected) -> 8 decided responses.
    assert windows["response_30"] == {"met": 6, "missed": 2, "decided": 8, "rate": None}
    assert windows["response_90"] == {"met": 8, "missed": 2, "decided": 10, "rate": 80.0}
    assert windows["resolution_90"]["rate"] == 60.0


def test_counts_open_queue_by_age_and_overdue(dataset):
    snapshot = tickets.open_by_age(dlh_tickets(), now=NOW)
    assert snapshot["open"] == 3
    assert snapshot["overdue"] == 2  # T3 (resolution due 5 Mar) and T11; T4 is not due yet
    assert snapshot["grid"]["0-2"]["routed"] == 1  # T4
    assert snapshot["grid"]["3-7"]["in_progress"] == 1  # T3
    assert snapshot["grid"]["8-30"]["routed"] == 1  # T11
    assert snapshot["grid"]["31+"] == {status: 0 for status in snapshot["grid"]["31+"]}


def test_medians_of_time_to_verify_and_resolve(dataset):
    summary = tickets.period_summary(dlh_tickets().filter(RANGE.where()), now=NOW)
    # Hours to verify: 1 2 3 4 5 | 8 20 50 72 119 -> (5 + 8) / 2.
    assert summary["acknowledged_count"] == 10
    assert summary["median_acknowledge_hours"] == 6.5
    # Only 8 resolved tickets: below the minimum sample.
    assert summary["resolved_count"] == 8
    assert summary["median_resolve_hours"] is None
    raw = grouped_medians(dlh_tickets(), None, tickets.MEDIAN_SPECS)[None]
    assert raw["resolve"] == pytest.approx(73 * 3600)  # 6 10 30 50 | 96 100 149 170 -> (50 + 96) / 2


def test_medians_grouped_by_department(dataset):
    medians = grouped_medians(
        Ticket.objects.all(), "department__code", {"ack": MedianSpec("acknowledged_at", "created_at", Q())}
    )
    assert medians["pupr"]["ack"] == pytest.approx(2 * 3600)  # P1 only (P2 has no verification: NULL is ignored)
    assert medians["dlh"]["ack"] == pytest.approx(6.5 * 3600)


def test_satisfaction_distribution_and_reopen_counts(dataset):
    summary = tickets.period_summary(dlh_tickets().filter(RANGE.where()), now=NOW)
    assert summary["ratings"] == [1, 1, 1, 2, 3]
    assert summary["rated"] == 8
    assert summary["rating_avg"] is None  # 8 ratings: not enough for an average
    assert (summary["reopened"], summary["ever_resolved"]) == (1, 8)
    assert summary["reopen_rate"] is None
    assert summary["done"] == 8
    assert summary["total"] == 12
    assert summary["done_rate"] == 66.7


def test_rating_average_shown_from_ten_ratings(dataset):
    from complaints.models import Rating

    for name in ("T3", "T4"):
        Rating.objects.create(ticket=dataset[name], score=3)
    summary = tickets.period_summary(dlh_tickets().filter(RANGE.where()), now=NOW)
    assert summary["rated"] == 10
    assert summary["rating_avg"] == pytest.approx((5 + 2 + 4 + 4 + 3 + 5 + 1 + 5 + 3 + 3) / 10)


def test_empty_selection_gives_no_rates_and_no_errors(city):
    summary = tickets.period_summary(Ticket.objects.none(), now=NOW)
    assert summary["total"] == 0
    for key in (
        "response_rate",
        "resolution_rate",
        "done_rate",
        "reopen_rate",
        "rating_avg",
        "median_acknowledge_hours",
        "median_resolve_hours",
    ):
        assert summary[key] is None
    assert tickets.open_by_age(Ticket.objects.all(), now=NOW)["open"] == 0
    assert tickets.weekly_trend(Ticket.objects.all()) == []


def test_rate_needs_the_minimum_sample():
    assert rate(0, 0) is None
    assert rate(9, 9) is None
    assert rate(1, 10) == 10.0
    assert rate(2, 3, minimum=1) == 66.7


def test_city_ranking_leaves_small_departments_unranked(dataset):
    data = figures.city_dashboard(RANGE, now=NOW)
    rows = data["tables"]["departments"].rows
    dlh = next(r for r in rows if r["code"] == "dlh")
    pupr = next(r for r in rows if r["code"] == "pupr")
    assert dlh["rank"] == 1 and dlh["resolution_rate"] == 60.0 and dlh["total"] == 12 and dlh["overdue"] == 2
    assert pupr["rank"] is None and pupr["resolution_rate"] is None and pupr["total"] == 2
    assert rows[0]["code"] == "dlh"


def test_department_dashboard_tables(dataset):
    data = figures.department_dashboard(Department.objects.get(code="dlh"), RANGE, now=NOW)
    tables = data["tables"]
    kpis = {row["measure"]: row["value"] for row in tables["summary"].rows}
    assert kpis["overdue"] == 2 and kpis["tickets"] == 12 and kpis["median_acknowledge_hours"] == 6.5
    assert tables["top_services"].rows[0]["n"] == 12
    kelurahan = {row["code"]: row["n"] for row in tables["kelurahan"].rows}
    assert kelurahan == {"63.71.05.1003": 11, "63.71.01.1001": 1}
    weeks = {row["week"]: row["filed"] for row in tables["weekly"].rows}
    assert weeks[dt.date(2026, 2, 2)] == 5  # T5..T9, Monday 2 to Friday 6 February
    assert sum(weeks.values()) == 12
    # Every week of the range is a row, those without tickets too (a chart drew a line straight over a missing one).
    mondays = list(weeks)
    assert mondays[0] <= RANGE.date_from < mondays[0] + dt.timedelta(days=7) and mondays[-1] <= RANGE.date_to
    assert all(later - earlier == dt.timedelta(days=7) for earlier, later in zip(mondays, mondays[1:]))
    assert 0 in weeks.values()


def test_filters_narrow_by_kecamatan_service_and_dates(dataset):
    from services.models import Area

    selatan = Area.objects.get(code="63.71.01")
    narrow = figures.department_dashboard(
        Department.objects.get(code="dlh"),
        RANGE.__class__(RANGE.date_from, RANGE.date_to, kecamatan_id=selatan.pk),
        now=NOW,
    )
    assert {row["measure"]: row["value"] for row in narrow["tables"]["summary"].rows}["tickets"] == 1
    february = RANGE.__class__(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert Ticket.objects.filter(february.where(), department__code="dlh").count() == 10  # T3, T4 are March
    from services.models import Service

    roads = RANGE.__class__(RANGE.date_from, RANGE.date_to, service_id=Service.objects.get(code="jalan-rusak").pk)
    city = figures.city_dashboard(roads, now=NOW)
    assert {row["measure"]: row["value"] for row in city["tables"]["summary"].rows}["tickets"] == 2


def test_a_paused_clock_is_overdue_and_late_on_the_dashboards_as_in_the_staff_queue(city):
    """While the department waits for the citizen (``waiting_for_citizen_since``) the ticket's clock is paused: the
    dashboards' "Overdue now" (linked to the queue's "Overdue only") and their open tickets' missed SLA follow the
    queue's rule (``complaints.queries.overdue_filter`` / ``missed_deadlines``), ticket by ticket: a due date that
    passed during the wait is not missed, one missed before the question still is."""
    from complaints.models import OPEN_STATUSES, Status
    from complaints.queries import missed_deadlines, overdue_filter
    from tests.factories import make_ticket

    now = dt.datetime(2026, 3, 6, 12, 0, tzinfo=WITA)
    hour = dt.timedelta(hours=1)
    made = []
    for status in (Status.ROUTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED):
        for response in (now - 3 * hour, now - hour, now + hour):
            for resolution in (now - 3 * hour, now - hour, now + hour):
                for since in (None, now - 2 * hour):
                    done = status == Status.RESOLVED
                    made.append(
                        make_ticket(
                            status=status,
                            department="dlh",
                            created_at=now - 48 * hour,
                            # every ticket past "routed" has been verified (docs/dashboards.md)
                            acknowledged_at=now - 40 * hour if status != Status.ROUTED else None,
                            resolved_at=now - 30 * hour if done else None,
                            response_due_at=response,
                            resolution_due_at=resolution,
                            waiting_for_citizen_since=None if done else since,
                        )
                    )
    scoped = Ticket.objects.filter(department__code="dlh")

    def pks(condition) -> set[int]:
        return set(scoped.filter(condition).values_list("pk", flat=True))

    queue = pks(overdue_filter(now))
    assert pks(tickets.overdue_condition(now)) == queue
    # Not vacuous: dates that passed during the wait (an hour ago) are not overdue, one missed before it (3 hours ago)
    # still is.
    paused = [t for t in made if t.waiting_for_citizen_since]
    during = {t.pk for t in paused if t.resolution_due_at == now - hour and t.response_due_at != now - 3 * hour}
    before = {t.pk for t in paused if t.resolution_due_at == now - 3 * hour}
    assert during and before and not during & queue and before <= queue
    # Open tickets still to be verified or resolved: missed exactly where the queue's rows say so.
    for kind in ("response", "resolution"):
        _met, missed = tickets._sla_conditions(now, kind)
        waiting = Q(acknowledged_at__isnull=True) if kind == "response" else Q(resolved_at__isnull=True)
        assert pks(missed & waiting & Q(status__in=OPEN_STATUSES)) == {
            t.pk for t in made if kind in missed_deadlines(t, now)
        }, kind
    # The figures: "Overdue now" and the workload's overdue column count what the queue lists.
    page = figures.department_dashboard(Department.objects.get(code="dlh"), RANGE, now=now)["tables"]
    assert {r["measure"]: r["value"] for r in page["summary"].rows}["overdue"] == len(queue)
    assert sum(r["overdue"] for r in page["workload"].rows) == len(queue)
