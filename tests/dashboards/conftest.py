"""A small fixed dataset whose figures were worked out by hand (see the table below)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from complaints.models import EventType, Privacy, Rating, Status, Ticket, TicketEvent
from dashboards.queries.base import Filters
from services.calendar import add_working_days
from tests.factories import make_ticket

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 3, 6, 12, 0, tzinfo=WITA)  # a Friday
RANGE = Filters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 6))
MAWAR = "63.71.05.1003"
OTHER_KELURAHAN = "63.71.01.1001"


@dataclass
class Row:
    name: str
    filed: dt.datetime
    ack_hours: float | None
    resolve_hours: float | None
    status: str
    rating: int | None = None
    privacy: str = Privacy.PUBLIC
    reopened: bool = False
    kelurahan: str = MAWAR


def _at(day: int, month: int = 2, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=WITA)


# DLH, service "sampah-menumpuk": response 2 working days, resolution 3 working days.
# Response due / resolution due (end of that working day, WITA) and the outcome at NOW:
#  T1  Fri 13 Feb: due Wed 18 (Mon 16, Tue 17 Lunar New Year is off) / Thu 19 -> met / met
#  T2  Mon 23 Feb: due Wed 25 / Thu 26, ack Thu 26, resolved Fri 27 -> missed / missed
#  T3  Mon  2 Mar: due Wed 4 / Thu 5, ack after 4 h, still in progress -> met / missed (overdue now), confidential
#  T4  Thu  5 Mar: due Mon 9 / Tue 10, untouched -> not decided yet
#  T5  Mon  2 Feb: rejected -> no SLA outcome
#  T6..T12 as below; T10 reopened once; T11 untouched since Tue 10 Feb -> missed / missed, overdue now
DLH_ROWS = [
    Row("T1", _at(13), 119, 149, Status.CLOSED, rating=5),
    Row("T2", _at(23), 72, 96, Status.RESOLVED, rating=2),
    Row("T3", _at(2, 3), 4, None, Status.IN_PROGRESS, privacy=Privacy.CONFIDENTIAL),
    Row("T4", _at(5, 3), None, None, Status.ROUTED),
    Row("T5", _at(2), 2, None, Status.REJECTED),
    Row("T6", _at(3), 1, 6, Status.CLOSED, rating=4),
    Row("T7", _at(4), 8, 30, Status.CLOSED, rating=4, kelurahan=OTHER_KELURAHAN),
    Row("T8", _at(5), 20, 50, Status.CLOSED, rating=3),
    Row("T9", _at(6), 3, 100, Status.CLOSED, rating=5, privacy=Privacy.ANONYMOUS),
    Row("T10", _at(9), 50, 170, Status.CLOSED, rating=1, reopened=True),
    Row("T11", _at(10), None, None, Status.ROUTED),
    Row("T12", _at(11), 5, 10, Status.CLOSED, rating=5),
]
SECRET_NAME = "Rahasia Pelapor Anonim"
SECRET_EMAIL = "anonim.rahasia@example.id"
SECRET_PHONE = "0811-5555-0000"
CONFIDENTIAL_TITLE = "Pungutan liar oleh oknum petugas"


def build(row: Row, *, service: str = "sampah-menumpuk", department: str | None = None) -> Ticket:
    from services.models import Service

    svc = Service.objects.get(code=service)
    hour = dt.timedelta(hours=1)
    fields = {
        "response_due_at": add_working_days(row.filed, svc.response_sla_days),
        "resolution_due_at": add_working_days(row.filed, svc.resolution_sla_days),
        "routed_at": row.filed,
        "acknowledged_at": row.filed + row.ack_hours * hour if row.ack_hours is not None else None,
        "resolved_at": row.filed + row.resolve_hours * hour if row.resolve_hours is not None else None,
    }
    secret = row.privacy != Privacy.PUBLIC
    ticket = make_ticket(
        service=svc,
        kelurahan=row.kelurahan,
        status=row.status,
        department=department,
        privacy=row.privacy,
        created_at=row.filed,
        title=CONFIDENTIAL_TITLE if row.privacy == Privacy.CONFIDENTIAL else f"Laporan {row.name}",
        reporter_name=SECRET_NAME if secret else "Warga Biasa",
        reporter_email=SECRET_EMAIL if secret else "warga.biasa@example.id",
        reporter_phone=SECRET_PHONE if secret else "",
        **fields,
    )
    if row.rating:
        Rating.objects.create(ticket=ticket, score=row.rating)
    if row.reopened:
        TicketEvent.objects.create(ticket=ticket, type=EventType.REOPENED, payload={"reason": "belum beres"})
    return ticket


@pytest.fixture
def dataset(city):
    """12 DLH tickets (above) and 2 PUPR tickets (too few to rank)."""
    tickets = {row.name: build(row) for row in DLH_ROWS}
    tickets["P1"] = build(Row("P1", _at(16), 2, 30, Status.CLOSED), service="jalan-rusak")
    tickets["P2"] = build(Row("P2", _at(17), None, None, Status.ROUTED), service="jalan-rusak")
    return tickets


@pytest.fixture(autouse=True)
def _local_cache(settings):
    """Each test starts with an empty in-memory cache (no cache table needed on SQLite)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dash"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def plan(dataset):
    """The 2026 plan: A1 (DLH, in execution), A2 (DLH, completed, answers T1 and confidential T3), A3 (PUPR, planned).

    Hand-computed: A1 budget = revised 80 M (not the original 100 M), realised 30 M -> 37.5 %, physical 25 %,
    time elapsed 64/364 days -> 17.6 %; A2 50 M of 50 M -> 100 %; A3 200 M, nothing spent, split over two kecamatan.
    """
    from decimal import Decimal as D

    from planning.models import (
        Activity,
        ActivityTicket,
        BudgetLine,
        Evaluation,
        FiscalYear,
        Indicator,
        IndicatorValue,
        Milestone,
        Programme,
        ProgressReport,
        Realisation,
    )
    from services.models import Area, Department

    d = dt.date
    year = FiscalYear.objects.create(
        year=2026,
        musrenbang_start=d(2025, 1, 2),
        musrenbang_end=d(2025, 3, 31),
        rkpd_by=d(2025, 6, 30),
        kuappas_start=d(2025, 7, 1),
        kuappas_end=d(2025, 8, 31),
        apbd_by=d(2025, 11, 30),
        execution_start=d(2026, 1, 1),
        execution_end=d(2026, 12, 31),
        evaluation_start=d(2027, 1, 1),
        evaluation_end=d(2027, 3, 31),
    )
    dlh, pupr = Department.objects.get(code="dlh"), Department.objects.get(code="pupr")
    clean = Programme.objects.create(fiscal_year=year, code="P-DLH-01", name="Pengelolaan Persampahan", department=dlh)
    roads = Programme.objects.create(fiscal_year=year, code="P-PUPR-01", name="Jalan Kota", department=pupr)
    mawar, mantuil = Area.objects.get(code=MAWAR), Area.objects.get(code=OTHER_KELURAHAN)

    def activity(code, dept, programme, stage, kelurahans):
        a = Activity.objects.create(
            fiscal_year=year,
            programme=programme,
            code=code,
            name=f"Kegiatan {code}",
            department=dept,
            start_date=d(2026, 1, 1),
            end_date=d(2026, 12, 31),
            stage=stage,
        )
        a.kelurahans.set(kelurahans)
        return a

    a1 = activity("A1", dlh, clean, "in_execution", [mawar])
    a2 = activity("A2", dlh, clean, "completed", [mawar])
    a3 = activity("A3", pupr, roads, "planned", [mawar, mantuil])
    for act, version, account, amount in [
        (a1, "original", "5.1.02", "100000000"),
        (a1, "revised", "5.1.02", "50000000"),
        (a1, "revised", "5.2.03", "30000000"),
        (a2, "original", "5.1.02", "50000000"),
        (a3, "original", "5.2.03", "200000000"),
    ]:
        BudgetLine.objects.create(
            activity=act, version=version, account_code=account, fund_source="pad", amount=D(amount)
        )
    Realisation.objects.create(activity=a1, date=d(2026, 2, 1), amount=D("20000000"), document_number="SP2D-1")
    Realisation.objects.create(activity=a1, date=d(2026, 3, 1), amount=D("10000000"), document_number="SP2D-2")
    Realisation.objects.create(activity=a2, date=d(2026, 2, 1), amount=D("50000000"), document_number="SP2D-3")
    ProgressReport.objects.create(activity=a1, month=d(2026, 1, 1), physical_pct=D("10"))
    ProgressReport.objects.create(activity=a1, month=d(2026, 2, 1), physical_pct=D("25"))
    Milestone.objects.create(activity=a1, name="Kontrak ditandatangani", due_date=d(2026, 2, 28))
    Milestone.objects.create(activity=a1, name="Serah terima", due_date=d(2026, 4, 1))
    Milestone.objects.create(activity=a2, name="Selesai", due_date=d(2026, 2, 1), met_on=d(2026, 2, 1), status="met")
    indicator = Indicator.objects.create(
        activity=a1,
        level="output",
        description="Titik sampah ditangani",
        unit="titik",
        baseline=D("0"),
        target=D("100"),
    )
    IndicatorValue.objects.create(indicator=indicator, period=d(2026, 1, 31), value=D("40"))
    IndicatorValue.objects.create(indicator=indicator, period=d(2026, 2, 28), value=D("60"))
    for ticket in (dataset["T1"], dataset["T3"]):
        ActivityTicket.objects.create(activity=a2, ticket=ticket)
    common = {"indicator_achievement_pct": D("90"), "budget_absorption_pct": D("100"), "timeliness_pct": D("100")}
    Evaluation.objects.create(fiscal_year=year, activity=a2, department=dlh, score=D("80"), grade="high", **common)
    Evaluation.objects.create(
        fiscal_year=year, activity=None, department=dlh, score=D("95"), grade="very_high", **common
    )
    return {"year": year, "A1": a1, "A2": a2, "A3": a3}


def file_duplicates(master: Ticket, n: int, *, privacy: str = Privacy.PUBLIC) -> list[Ticket]:
    """``n`` more reports of ``master``'s problem (same service and kelurahan), filed in the hour after it, waiting."""
    return [
        build(
            Row(f"D{i}", master.created_at + dt.timedelta(minutes=i + 1), None, None, Status.ROUTED, privacy=privacy),
            service=master.service.code,
        )
        for i in range(n)
    ]


def merge(duplicates: list[Ticket], into: Ticket, officer) -> None:
    """The duty officer merges each of ``duplicates`` into ``into``, as on the staff ticket page."""
    from complaints import actions

    for duplicate in duplicates:
        actions.merge_ticket(ticket=duplicate, into=into, actor=officer)
