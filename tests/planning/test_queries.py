"""Figures the planners rely on: evidence clusters, service indicators from tickets, grades, Rupiah."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from complaints.models import Rating
from planning import actions, queries
from planning.templatetags.money import format_rupiah
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"


def resolved_ticket(days: float, *, on_time: bool = True, created_days_ago: int = 30, **fields):
    created = timezone.now() - dt.timedelta(days=created_days_ago)
    due = created + dt.timedelta(days=days + (1 if on_time else -1))
    return make_ticket(
        status="resolved",
        created_at=created,
        resolved_at=created + dt.timedelta(days=days),
        resolution_due_at=due,
        **fields,
    )


def test_evidence_clusters_count_public_reports_of_the_last_year_with_median_days(city, fiscal_year):
    for days in (1, 3, 8):
        resolved_ticket(days, service="jalan-rusak", kelurahan=MAWAR)
    make_ticket(service="jalan-rusak", kelurahan=MAWAR)  # still open
    make_ticket(service="jalan-rusak", kelurahan=MAWAR, privacy="confidential")
    make_ticket(service="jalan-rusak", kelurahan=MAWAR, created_at=timezone.now() - dt.timedelta(days=400))
    make_ticket(service="pju-mati", kelurahan=MAWAR)  # a cluster of one is no cluster
    clusters = queries.evidence_clusters(fiscal_year=fiscal_year)
    assert [(c["service"].code, c["area"].code, c["count"], c["open"]) for c in clusters] == [
        ("jalan-rusak", MAWAR, 4, 1)
    ]
    assert clusters[0]["median_days"] == 3.0
    assert clusters[0]["proposed"] is False


def test_service_indicators_compare_the_year_before_with_the_time_since(budgeted_activity, head_pupr, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, tzinfo=dt.UTC))
    actions.record_realisation(  # the work started: in execution since its first payment
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 3, 10), amount=150e6, document_number="A"
    )
    budgeted_activity.refresh_from_db()
    start = timezone.make_aware(dt.datetime.combine(budgeted_activity.start_date, dt.time(12)))
    before_days = (timezone.now() - start).days + 60
    for i in range(10):
        resolved_ticket(4, on_time=i < 7, service="drainase-tersumbat", kelurahan=MAWAR, created_days_ago=before_days)
    after = resolved_ticket(2, service="drainase-tersumbat", kelurahan=MAWAR, created_days_ago=5)
    Rating.objects.create(ticket=after, score=5)
    make_ticket(service="sampah-menumpuk", kelurahan=MAWAR)  # another service: not counted
    figures = queries.service_indicators(budgeted_activity)
    assert figures["before"]["count"] == 10 and figures["before"]["decided"] == 10
    assert figures["before"]["sla_pct"] == pytest.approx(70.0)  # not rounded: the page rounds it once
    assert figures["before"]["median_days"] == 4.0
    # One report since the start, rated: its figures are counted, not shown (fewer than the dashboards' minimum).
    assert figures["during"]["count"] == 1 and figures["during"]["rated"] == 1
    assert figures["during"]["satisfaction"] is None and figures["during"]["sla_pct"] is None
    assert sum(figures["monthly"]["counts"]) == 11
    # The trend chart greys exactly the twelve-plus months before the activity's start month.
    before_start = figures["monthly"]["before_start"]
    assert len(before_start) == len(figures["monthly"]["labels"])
    assert before_start.index(False) in (12, 13) and not any(before_start[before_start.index(False) :])


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "very_high"),
        (91, "very_high"),
        (90.99, "high"),
        (76, "high"),
        (75, "medium"),
        (66, "medium"),
        (65, "low"),
        (51, "low"),
        (50, "very_low"),
        (0, "very_low"),
    ],
)
def test_five_band_grades(score, grade):
    assert queries.grade_for(Decimal(str(score))) == grade


def test_rupiah_is_written_the_indonesian_way_in_every_language():
    for language in ("id", "en"):
        with translation.override(language):
            # A no-break space: "Rp" never ends a line with its number on the next.
            assert format_rupiah(Decimal("1250000")) == "Rp\u00a01.250.000"
            assert format_rupiah(Decimal("11750000000.00")) == "Rp\u00a011.750.000.000"
            assert format_rupiah(-500) == "-Rp\u00a0500"
            assert format_rupiah(None) == ""


@pytest.mark.parametrize(("language", "whole", "rounded"), [("id", "75,0%", "87,5%"), ("en", "75.0%", "87.5%")])
def test_percentages_follow_the_page_language(language, whole, rounded):
    from planning.templatetags.money import pct

    with translation.override(language):
        assert pct(Decimal("75")) == whole
        assert pct(Decimal("87.45")) == rounded
        assert pct(None) == "–"


def test_progress_chart_puts_money_work_and_time_on_one_scale(budgeted_activity, head_pupr, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 20, 2, tzinfo=dt.UTC))
    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 2, 10), amount=150e6, document_number="A"
    )
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, 3, 1), physical_pct=20)
    chart = queries.progress_chart(budgeted_activity)
    # Months as the reader's language writes them, not ISO ('2026-05').
    with translation.override("id"):
        assert queries.progress_chart(budgeted_activity)["labels"][3:6] == ["Apr 2026", "Mei 2026", "Jun 2026"]
    with translation.override("en"):
        assert queries.progress_chart(budgeted_activity)["labels"][3:6] == ["Apr 2026", "May 2026", "Jun 2026"]
    assert chart["financial"][:5] == [0.0, 10.0, 10.0, 10.0, None]
    assert chart["physical"][:5] == [0.0, 0.0, 20.0, 20.0, None]
    assert chart["time"][-1] == 100.0


def test_progress_photos_lose_their_metadata(budgeted_activity, head_pupr):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG", exif=exif)
    buffer.seek(0)
    buffer.name = "foto.jpg"
    report = actions.report_progress(
        actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, 2, 1), physical_pct=5, photos=[buffer]
    )
    with Image.open(report.photos.get().image.path) as stored:
        assert not stored.getexif()


def test_board_reads_in_a_bounded_number_of_queries(client, planner, budgeted_activity, django_assert_max_num_queries):
    for _ in range(5):
        make_ticket(service="drainase-tersumbat", kelurahan=MAWAR)
    client.force_login(planner)
    # 22: the proposals list reads its page, its count, the counts by source and its filters' lists (area, department).
    with django_assert_max_num_queries(22):
        assert client.get(reverse("planning:board")).status_code == 200


@pytest.mark.parametrize(
    ("revised", "expected"),
    [(None, Decimal("1500000000")), ("900000000", Decimal("900000000")), ("0", Decimal("0"))],
    ids=["original", "revised", "revised-to-zero"],
)
def test_every_page_holds_an_activity_to_the_same_budget(budgeted_activity, revised, expected):
    """The revised budget once there is one (even one cut to zero), else the original: the activity page, the
    planning lists and the dashboards' grouped figures agree."""
    from dashboards.queries.plan import money_per_activity
    from planning.models import Activity, BudgetLine, BudgetVersion

    if revised is not None:
        BudgetLine.objects.create(
            activity=budgeted_activity,
            version=BudgetVersion.REVISED,
            account_code="5.1.02",
            fund_source="pad",
            amount=Decimal(revised),
        )
    annotated = queries.with_figures(Activity.objects.filter(pk=budgeted_activity.pk)).get()
    assert queries.current_budget(budgeted_activity) == expected
    assert queries.figures_of(annotated)["budget"] == expected
    assert money_per_activity([budgeted_activity.pk])[budgeted_activity.pk].budget == expected
