"""Demo plan for ``manage.py seed_demo``: fiscal year 2026 with activities in every stage (idempotent).

Each activity's year is told through the product's own actions (``planning.actions``), each run on the day it
happened in the story (``_on``): proposals and their reviews, the plan, ceilings and budgets, payments, progress and
its verification, milestones, indicators, the hand-over and the evaluation. So the demo passes the product's rules
(roles, stages, dates, a report answered by one activity only), every row is dated when it happened, and the
demo reports linked to an activity before each of its gates hear of it as the product tells them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from complaints.demo import demo_citizens, demo_emails_in_memory, file_demo_report
from complaints.models import Status, Ticket
from complaints.queries import public_tickets
from services.demo import DEMO_DOMAIN
from services.models import Area, Department, Service

from . import actions, queries
from .actions import community
from .models import (
    BEFORE_COMPLETION,
    Activity,
    FiscalYear,
    Indicator,
    Programme,
    Proposal,
    ProposalReview,
    ReviewLevel,
    Stage,
)

# The real clock, for ``_at``: inside ``_on`` timezone.now is the story's.
_real_now = timezone.now

YEAR = 2026
MAX_LINKED = 40
# Finance approves the original budgets after the APBD (by 30 November of the year before), and revisions in the
# APBD-P of the year.
BUDGET_APPROVED = dt.date(YEAR - 1, 12, 15)
REVISED_ON = dt.date(YEAR, 9, 15)
# The activities that came from a Musrenbang proposal, reviewed at every level (the others Bappeda entered from the
# departments' strategic plans).
FROM_PROPOSALS = ("0002", "0004", "0006", "0014", "0017", "0020")
# A Musrenbang's proposals are entered in its second week and reviewed by the kelurahan, the kecamatan and the
# department in the weeks after (Bappeda's review comes before the RKPD is fixed).
PROPOSED_AFTER = dt.timedelta(days=10)
REVIEWED_AFTER = {
    ReviewLevel.KELURAHAN: dt.timedelta(weeks=3),
    ReviewLevel.KECAMATAN: dt.timedelta(weeks=7),
    ReviewLevel.DEPARTMENT: dt.timedelta(weeks=13),
}

# The reports behind the plan (seed_demo_evidence): in each activity's kelurahan about its services, so many a
# month in the year before it starts, and since then a share of that which falls as the work gets done. The
# activity page's "service indicators from reports" then show what the plan answered and what it changed.
EVIDENCE_PER_MONTH = 0.7
EVIDENCE_SINCE_SHARE = {
    Stage.PLANNED: 1.0,
    Stage.BUDGETED: 1.0,
    Stage.IN_EXECUTION: 0.6,
    Stage.COMPLETED: 0.25,
    Stage.EVALUATED: 0.2,
}
# Citizens send proposals online while a Musrenbang runs (actions.community): the demo opens one on the day it is
# created, begun a week before and running at least a month on, so a visitor of `make run` sees "Send a proposal".
COMMUNITY_WINDOW_BEFORE = dt.timedelta(days=7)
COMMUNITY_WINDOW_AFTER = dt.timedelta(days=30)
# Their own demo citizens (after complaints.demo's), so the per-account filing limit is never reached.
EVIDENCE_FIRST_CITIZEN = 101
M = Decimal("1000000")

PROGRAMMES = [
    ("1.03.10", "Program Pengelolaan dan Pengembangan Sistem Drainase", "pupr"),
    ("1.03.11", "Program Penyelenggaraan Jalan", "pupr"),
    ("2.11.04", "Program Pengelolaan Persampahan", "dlh"),
    ("2.11.09", "Program Pengendalian Pencemaran dan Kerusakan Lingkungan Hidup", "dlh"),
    ("2.15.02", "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan", "dishub"),
    ("1.04.05", "Program Peningkatan Prasarana, Sarana dan Utilitas Umum", "perkim"),
    ("1.02.02", "Program Pemenuhan Upaya Kesehatan Perorangan dan Masyarakat", "dinkes"),
    ("1.01.02", "Program Pengelolaan Pendidikan", "disdik"),
    ("1.06.04", "Program Rehabilitasi Sosial", "dinsos"),
    ("1.05.03", "Program Penanggulangan Bencana", "bpbd"),
]

# code suffix, name, programme, kelurahan codes, service codes, ceiling (million Rp), stage, start month, end month
ACTIVITIES = [
    (
        "0001",
        "Normalisasi saluran drainase Sungai Miai",
        "1.03.10",
        ["63.71.04.1005"],
        ["drainase-tersumbat", "genangan-banjir"],
        4850,
        Stage.EVALUATED,
        1,
        8,
    ),
    (
        "0002",
        "Rehabilitasi rumah pompa banjir Mantuil",
        "1.03.10",
        ["63.71.01.1001"],
        ["genangan-banjir"],
        3200,
        Stage.COMPLETED,
        2,
        9,
    ),
    (
        "0003",
        "Pembangunan turap siring Sungai Martapura Pasar Lama",
        "1.03.10",
        ["63.71.05.1006", "63.71.05.1007"],
        ["sungai-kotor", "bencana"],
        11750,
        Stage.IN_EXECUTION,
        2,
        12,
    ),
    (
        "0004",
        "Peningkatan drainase Kelayan Selatan",
        "1.03.10",
        ["63.71.01.1002"],
        ["drainase-tersumbat"],
        1850,
        Stage.BUDGETED,
        4,
        12,
    ),
    (
        "0005",
        "Pemeliharaan berkala jalan Kayu Tangi",
        "1.03.11",
        ["63.71.04.1005", "63.71.04.1004"],
        ["jalan-rusak"],
        6400,
        Stage.IN_EXECUTION,
        2,
        11,
    ),
    (
        "0006",
        "Penggantian titian ulin Alalak Utara",
        "1.03.11",
        ["63.71.04.1002"],
        ["jembatan-rusak"],
        975,
        Stage.EVALUATED,
        1,
        7,
    ),
    (
        "0007",
        "Rehabilitasi trotoar Jalan Lambung Mangkurat",
        "1.03.11",
        ["63.71.05.1004"],
        ["trotoar-rusak"],
        2300,
        Stage.COMPLETED,
        2,
        8,
    ),
    (
        "0008",
        "Penambahan armada dan TPS 3R Banjarmasin Timur",
        "2.11.04",
        ["63.71.02.1001", "63.71.02.1004"],
        ["sampah-menumpuk"],
        2750,
        Stage.IN_EXECUTION,
        1,
        12,
    ),
    (
        "0009",
        "Penertiban TPS liar dan bank sampah Kelayan",
        "2.11.04",
        ["63.71.01.1004", "63.71.01.1005"],
        ["tps-liar", "sampah-menumpuk"],
        640,
        Stage.EVALUATED,
        1,
        9,
    ),
    (
        "0010",
        "Pembersihan eceng gondok Sungai Kuin",
        "2.11.09",
        ["63.71.03.1007", "63.71.04.1009"],
        ["sungai-kotor"],
        480,
        Stage.COMPLETED,
        3,
        9,
    ),
    (
        "0011",
        "Pemantauan kualitas air sungai kota",
        "2.11.09",
        ["63.71.05.1003"],
        ["pencemaran"],
        325,
        Stage.PLANNED,
        5,
        12,
    ),
    (
        "0012",
        "Penanaman pohon peneduh dan RTH Teluk Dalam",
        "2.11.09",
        ["63.71.05.1004"],
        ["taman-rusak", "pohon-tumbang"],
        890,
        Stage.BUDGETED,
        4,
        11,
    ),
    (
        "0013",
        "Pemasangan PJU tenaga surya Banjarmasin Selatan",
        "2.15.02",
        ["63.71.01.1003", "63.71.01.1009"],
        ["pju-mati"],
        3650,
        Stage.IN_EXECUTION,
        3,
        12,
    ),
    (
        "0014",
        "Penggantian lampu lalu lintas simpang Antasari",
        "2.15.02",
        ["63.71.05.1008"],
        ["lampu-lalu-lintas"],
        1250,
        Stage.EVALUATED,
        1,
        6,
    ),
    (
        "0015",
        "Penataan parkir tepi jalan Pasar Lama",
        "2.15.02",
        ["63.71.05.1006"],
        ["parkir-liar"],
        420,
        Stage.PLANNED,
        6,
        12,
    ),
    (
        "0016",
        "Rambu dan marka jalan lingkungan sekolah",
        "2.15.02",
        ["63.71.02.1002"],
        ["rambu-rusak"],
        560,
        Stage.IN_EXECUTION,
        3,
        10,
    ),
    (
        "0017",
        "Peningkatan jalan lingkungan dan MCK Pekapuran Raya",
        "1.04.05",
        ["63.71.02.1008"],
        ["psu-permukiman"],
        2150,
        Stage.IN_EXECUTION,
        2,
        11,
    ),
    (
        "0018",
        "Bedah rumah tidak layak huni Basirih",
        "1.04.05",
        ["63.71.03.1009"],
        ["rumah-tidak-layak"],
        1600,
        Stage.BUDGETED,
        4,
        12,
    ),
    (
        "0019",
        "Pengendalian demam berdarah berbasis kelurahan",
        "1.02.02",
        ["63.71.02.1005", "63.71.02.1006"],
        ["demam-berdarah"],
        780,
        Stage.COMPLETED,
        1,
        8,
    ),
    (
        "0020",
        "Peningkatan layanan Puskesmas Pekauman",
        "1.02.02",
        ["63.71.01.1003"],
        ["layanan-puskesmas"],
        1450,
        Stage.PLANNED,
        6,
        12,
    ),
    (
        "0021",
        "Rehabilitasi ruang kelas SD di Alalak",
        "1.01.02",
        ["63.71.04.1001"],
        ["sekolah"],
        2450,
        Stage.IN_EXECUTION,
        3,
        12,
    ),
    (
        "0022",
        "Penjangkauan ODGJ dan orang terlantar",
        "1.06.04",
        ["63.71.05.1003", "63.71.05.1005"],
        ["odgj-terlantar"],
        275,
        Stage.EVALUATED,
        1,
        10,
    ),
    (
        "0023",
        "Pengadaan perahu dan perlengkapan siaga banjir rob",
        "1.05.03",
        ["63.71.01.1001", "63.71.01.1012"],
        ["genangan-banjir", "bencana"],
        1180,
        Stage.PLANNED,
        7,
        12,
    ),
    (
        "0024",
        "Penguatan turap longsor Sungai Andai",
        "1.05.03",
        ["63.71.04.1010"],
        ["bencana"],
        5200,
        Stage.BUDGETED,
        5,
        12,
    ),
]

# What each activity reports, by its code suffix: an output (what it delivers: metres of drain normalised, lights
# installed; from 0) and an outcome (what it changes), each (description, unit, baseline, target, direction). Never
# a count of complaints: the activity page computes those from the reports in its area (service indicators), and a
# typed "complaints per month 12 -> 6" beside the computed 0.7 -> 0.4 disagreed with it while weighing in the score.
UP, DOWN = Indicator.Direction.INCREASE, Indicator.Direction.DECREASE
INDICATORS = {
    "0001": (
        ("Panjang saluran drainase dinormalisasi", "m", 0, 1800, UP),
        ("Lama genangan setelah hujan lebat", "jam", 6, 2, DOWN),
    ),
    "0002": (
        ("Pompa banjir direhabilitasi", "unit", 0, 4, UP),
        ("Kapasitas pompa banjir yang berfungsi", "m³/detik", "1.5", 4, UP),
    ),
    "0003": (
        ("Panjang turap siring terbangun", "m", 0, 350, UP),
        ("Panjang tebing sungai rawan longsor", "m", 600, 250, DOWN),
    ),
    "0004": (
        ("Panjang saluran drainase ditingkatkan", "m", 0, 900, UP),
        ("Luas kawasan tergenang saat hujan", "ha", 12, 5, DOWN),
    ),
    "0005": (
        ("Panjang jalan dipelihara", "m", 0, 4200, UP),
        ("Jalan kota dalam kondisi mantap", "%", 72, 85, UP),
    ),
    "0006": (
        ("Panjang titian ulin diganti", "m", 0, 240, UP),
        ("Titian dalam kondisi baik", "%", 40, 90, UP),
    ),
    "0007": (
        ("Luas trotoar direhabilitasi", "m²", 0, 3600, UP),
        ("Trotoar layak bagi pejalan kaki dan difabel", "%", 35, 80, UP),
    ),
    "0008": (
        ("Armada pengangkut sampah ditambah", "unit", 0, 6, UP),
        ("Sampah terangkut ke TPA per hari", "ton", 95, 120, UP),
    ),
    "0009": (
        ("TPS liar ditertibkan", "titik", 0, 14, UP),
        ("Nasabah bank sampah aktif", "orang", 120, 400, UP),
    ),
    "0010": (
        ("Luas perairan dibersihkan dari eceng gondok", "m²", 0, 25000, UP),
        ("Tutupan eceng gondok di alur sungai", "%", 40, 10, DOWN),
    ),
    "0011": (
        ("Titik pantau kualitas air diuji", "titik", 0, 24, UP),
        ("Titik pantau memenuhi baku mutu air kelas II", "%", 30, 45, UP),
    ),
    "0012": (
        ("Pohon peneduh ditanam", "batang", 0, 600, UP),
        ("Luas RTH publik tertata", "m²", 4000, 9000, UP),
    ),
    "0013": (
        ("Lampu PJU tenaga surya terpasang", "titik", 0, 180, UP),
        ("Ruas jalan lingkungan terang di malam hari", "%", 55, 85, UP),
    ),
    "0014": (
        ("Lampu lalu lintas diganti", "unit", 0, 8, UP),
        ("Waktu tempuh melintasi simpang pada jam sibuk", "menit", 9, 6, DOWN),
    ),
    "0015": (
        ("Ruas parkir tepi jalan ditata", "m", 0, 800, UP),
        ("Kecepatan rata-rata lalu lintas pada jam sibuk", "km/jam", 12, 20, UP),
    ),
    "0016": (
        ("Rambu dan marka terpasang", "unit", 0, 120, UP),
        ("Sekolah dengan zona selamat sekolah lengkap", "sekolah", 4, 16, UP),
    ),
    "0017": (
        ("Panjang jalan lingkungan ditingkatkan", "m", 0, 1500, UP),
        ("Rumah tangga dengan akses MCK layak", "KK", 320, 480, UP),
    ),
    "0018": (
        ("Rumah tidak layak huni direhabilitasi", "unit", 0, 40, UP),
        ("Rumah tidak layak huni di kelurahan", "unit", 130, 90, DOWN),
    ),
    "0019": (
        ("Rumah diperiksa jentik nyamuk", "rumah", 0, 6000, UP),
        ("Angka bebas jentik", "%", 82, 95, UP),
    ),
    "0020": (
        ("Ruang layanan puskesmas direnovasi", "ruang", 0, 6, UP),
        ("Waktu tunggu layanan rawat jalan", "menit", 75, 40, DOWN),
    ),
    "0021": (
        ("Ruang kelas direhabilitasi", "ruang", 0, 12, UP),
        ("Ruang kelas dalam kondisi baik", "%", 60, 90, UP),
    ),
    "0022": (
        ("ODGJ dan orang terlantar dijangkau", "orang", 0, 60, UP),
        ("Orang terjangkau yang dirujuk ke layanan kesehatan atau panti", "%", 50, 80, UP),
    ),
    "0023": (
        ("Perahu siaga banjir disediakan", "unit", 0, 6, UP),
        ("Waktu tanggap evakuasi banjir rob", "menit", 60, 30, DOWN),
    ),
    "0024": (
        ("Panjang turap penahan longsor", "m", 0, 280, UP),
        ("Rumah di zona rawan longsor yang terlindungi", "rumah", 20, 85, UP),
    ),
}
# How far each finished activity's outcome moved from its baseline to its target, by its code suffix modulo 4 (the
# grades then differ, as they did with the old typed outcome).
OUTCOME_SHARE = [Decimal("1"), Decimal("0.95"), Decimal("0.9"), Decimal("0.85")]


def _outcome_value(indicator, suffix: str) -> Decimal:
    share = OUTCOME_SHARE[int(suffix) % 4]
    moved = indicator.baseline + (indicator.target - indicator.baseline) * share
    return moved.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _output_value(indicator, physical) -> Decimal:
    """The output delivered at ``physical`` % of the work, as the head reports it."""
    return (indicator.target * Decimal(physical) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


PROPOSALS = [
    ("musrenbang_kelurahan", "Titian ulin gang Sungai Bilu", "63.71.02.1004", "pupr", 450, ["kelurahan"]),
    (
        "musrenbang_kecamatan",
        "Rumah pompa Banjarmasin Barat",
        "63.71.03.1003",
        "pupr",
        6200,
        ["kelurahan", "kecamatan"],
    ),
    ("department", "Sistem informasi jadwal angkut sampah", "63.71.05.1003", "dlh", 380, []),
    (
        "partner",
        "Pelatihan bank sampah bersama ULM",
        "63.71.04.1006",
        "dlh",
        150,
        ["kelurahan", "kecamatan", "department"],
    ),
    (
        "musrenbang_kelurahan",
        "Lampu jalan gang Kelayan Dalam",
        "63.71.01.1006",
        "dishub",
        210,
        ["kelurahan", "kecamatan!"],
    ),
]


def _at(day: dt.date) -> dt.datetime:
    """When the demo's story does what it does on ``day``: 10:00 in Banjarmasin, or now on the real today (the demo's
    today is the real one: nothing is dated later, and a report filed this afternoon is in the plan's today too)."""
    now = _real_now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@contextmanager
def _on(moment: dt.datetime):
    """Run the product's actions as on ``moment``, as the city did them that day: the rows they write (gates, budget
    history, payments, plan updates on the reports, the evaluation) carry that date, and their date rules (no payment
    after today, no revision after the year) are checked against it. Rows written today and dated back afterwards
    kept today's date wherever one was missed (an original budget dated after January's payments, an evaluation
    recorded in December beside its gate in September)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _demo_tickets(areas, services):
    """Reports that may serve as evidence: public ones (never confidential), duplicates left out."""
    return public_tickets().filter(area__in=areas, service__in=services).exclude(status=Status.DUPLICATE)


def _unanswered(areas, services, *, filed_before: dt.datetime, room: int = MAX_LINKED) -> list[Ticket]:
    """The evidence reports filed before ``filed_before`` that no activity in the plan answers yet (README, Planning: a
    report answered by one activity is not planned again), oldest first, at most ``room``."""
    reports = queries.not_yet_answered(_demo_tickets(areas, services)).filter(created_at__lt=filed_before)
    return list(reports.order_by("created_at", "pk")[: max(room, 0)])


def _link_evidence(activity: Activity, planner, *, filed_before: dt.datetime) -> int:
    """The planner links the reports filed since the activity's last links, as it goes through the plan: only those
    filed before the work was done (a report filed after the hand-over was counted as answered by it) and not
    answered by another activity."""
    reports = _unanswered(
        activity.kelurahans.all(),
        activity.services.all(),
        filed_before=filed_before,
        room=MAX_LINKED - activity.ticket_links.count(),
    )
    return actions.link_tickets(actor=planner, activity=activity, tickets=reports) if reports else 0


def _link_new_tickets(fiscal_year, people) -> int:
    """Link the reports filed since each activity's last gate (on a later run, also demo tickets seeded since) to the
    activities still under way, as on the demo's today: they hear of it at its next gate. Completed work answers no
    report filed after it."""
    linked = 0
    with _on(_at(_plan_today())):
        for activity in Activity.objects.filter(fiscal_year=fiscal_year, stage__in=BEFORE_COMPLETION).order_by("pk"):
            linked += _link_evidence(activity, people["planner"], filed_before=timezone.now())
    return linked


def _evidence_proposal(fiscal_year, people) -> int:
    """One proposal from the complaint cluster with the most reports no activity answers yet, waiting for its
    kecamatan review, proposed as on the demo's today through the evidence page's action."""
    if Proposal.objects.filter(fiscal_year=fiscal_year, source=Proposal.Source.EVIDENCE, activity=None).exists():
        return 0
    with _on(_at(_plan_today())):
        clusters = [
            cluster
            for cluster in queries.evidence_clusters(fiscal_year=fiscal_year)
            if not cluster["proposed"] and cluster["count"] - cluster["answered"] >= 2
        ]
        if not clusters:
            return 0
        cluster = max(clusters, key=lambda cluster: cluster["count"] - cluster["answered"])
        service, area = cluster["service"], cluster["area"]
        proposal = actions.propose_from_evidence(
            actor=people["planner"],
            fiscal_year=fiscal_year,
            service=service,
            area=area,
            estimated_cost=_money(850),
            title=f"{service.name_id} di {area.name}",
        )
        _recommend(proposal, ReviewLevel.KELURAHAN, people, _money(850), note="Masalah berulang, layak ditangani.")
    return 1


def _user(email: str):
    return User.objects.filter(email=email).first()


def _money(millions) -> Decimal:
    return (Decimal(str(millions)) * M).quantize(Decimal("1"))


def _round_thousand(value: Decimal) -> Decimal:
    return (value / 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 1000


def _usual_calendar(year: int) -> dict:
    """Fiscal year ``year``'s usual calendar: Musrenbang from early January of the year before, execution in the
    year, evaluation in the first quarter after."""
    return {
        "musrenbang_start": dt.date(year - 1, 1, 6),
        "musrenbang_end": dt.date(year - 1, 3, 31),
        "rkpd_by": dt.date(year - 1, 6, 30),
        "kuappas_start": dt.date(year - 1, 7, 1),
        "kuappas_end": dt.date(year - 1, 8, 31),
        "apbd_by": dt.date(year - 1, 11, 30),
        "execution_start": dt.date(year, 1, 2),
        "execution_end": dt.date(year, 12, 31),
        "evaluation_start": dt.date(year + 1, 1, 4),
        "evaluation_end": dt.date(year + 1, 3, 31),
    }


def set_up_fiscal_year(year: int = YEAR) -> FiscalYear:
    """The fiscal year ``year`` with the usual calendar (``_usual_calendar``); an existing one is kept. The demo's
    and the benchmark's."""
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=year, defaults=_usual_calendar(year))
    return fiscal_year


def open_community_window(today: dt.date | None = None) -> FiscalYear:
    """The fiscal year citizens send proposals to on ``today`` (WITA; the real one by default), its Musrenbang open.
    A year whose Musrenbang runs then is kept as it is. Else the next year still to plan, the first whose RKPD is
    fixed after the window closes (``COMMUNITY_WINDOW_AFTER``), is set up (``set_up_fiscal_year``) and its Musrenbang
    stretched to run from a week before ``today`` at the latest to a month after it at the earliest. In December
    2026 that is fiscal year 2028, whose Musrenbang would open in January 2027."""
    today = today or queries.today()
    running = community.community_year(today)
    if running is not None:
        return running
    closes = today + COMMUNITY_WINDOW_AFTER
    year = today.year + 1
    while True:
        existing = FiscalYear.objects.filter(year=year).first()
        rkpd_by = existing.rkpd_by if existing else _usual_calendar(year)["rkpd_by"]
        if rkpd_by > closes:
            break
        year += 1
    fiscal_year = existing or set_up_fiscal_year(year)
    fiscal_year.musrenbang_start = min(fiscal_year.musrenbang_start, today - COMMUNITY_WINDOW_BEFORE)
    fiscal_year.musrenbang_end = max(fiscal_year.musrenbang_end, closes)
    fiscal_year.full_clean()  # the stages still in order: the Musrenbang ends before the RKPD is fixed
    fiscal_year.save(update_fields=["musrenbang_start", "musrenbang_end"])
    return fiscal_year


def _month_end(month: int) -> dt.date:
    return (dt.date(YEAR, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


class _Story:
    """One activity's year, step by step: each step is a product action run on its day (``_on``), in the order of
    the days, so each gate, payment and plan update is dated when it happened and passes the product's rules."""

    def __init__(self):
        self.steps: list[tuple[dt.datetime, int, Callable[[], object]]] = []

    def on(self, day: dt.date, step: Callable[[], object]) -> None:
        self.steps.append((_at(day), len(self.steps), step))

    def tell(self) -> None:
        for moment, _order, step in sorted(self.steps, key=lambda item: item[:2]):
            with _on(moment):
                step()


def _propose(name, fiscal_year, people, areas, services, cost, department) -> Proposal:
    """The Musrenbang proposal an activity came from, reviewed at every level (kelurahan, kecamatan, the department,
    Bappeda) during the Musrenbang and the RKPD's drafting, with the reports filed before it as its evidence."""
    with _on(_at(fiscal_year.musrenbang_start + PROPOSED_AFTER)):
        reports = _unanswered(areas, services, filed_before=timezone.now())
        proposal = actions.submit_proposal(
            actor=people["planner"],
            fiscal_year=fiscal_year,
            source=Proposal.Source.EVIDENCE if reports else Proposal.Source.MUSRENBANG_KECAMATAN,
            title=name,
            problem=f"Usulan Musrenbang: {name[:1].lower()}{name[1:]} di {areas[0].name}.",
            area=areas[0],
            department=department,
            service=services[0],
            estimated_cost=cost,
            tickets=reports,
        )
    for level in REVIEWED_AFTER:
        _review(proposal, level, people, cost)
    with _on(_at(fiscal_year.rkpd_by - dt.timedelta(days=14))):
        _recommend(proposal, ReviewLevel.BAPPEDA, people, cost)
    return proposal


def _review(proposal, level: str, people, amount, *, declined: bool = False) -> None:
    """The Musrenbang level ``level`` (or the department) reviews ``proposal`` in its weeks of the Musrenbang."""
    with _on(_at(proposal.fiscal_year.musrenbang_start + REVIEWED_AFTER[level])):
        if not declined:
            _recommend(proposal, level, people, amount)
            return
        actions.review_proposal(
            actor=people["planner"],
            proposal=proposal,
            level=level,
            decision=ProposalReview.Decision.DECLINE,
            note="Sudah tertampung di kegiatan lain.",
        )


def _recommend(proposal, level, people, amount, note: str = "Layak diusulkan."):
    reviewer = people["heads"][proposal.department.code] if level == ReviewLevel.DEPARTMENT else people["planner"]
    return actions.review_proposal(
        actor=reviewer,
        proposal=proposal,
        level=level,
        decision=ProposalReview.Decision.RECOMMEND,
        note=note,
        amount=amount,
    )


def _plan_activity(spec, fiscal_year, programme, people, start, end) -> Activity:
    """Into the plan when the RKPD is fixed: from its proposal, or entered by Bappeda from the department's plan."""
    suffix, name, programme_code, kelurahan_codes, service_codes, ceiling_m, *_ = spec
    areas = list(Area.objects.filter(code__in=kelurahan_codes).order_by("code"))
    services = list(Service.objects.filter(code__in=service_codes).order_by("code"))
    code = f"{programme_code}.2.01.{suffix}"
    planner = people["planner"]
    if suffix in FROM_PROPOSALS and areas and services:
        proposal = _propose(name, fiscal_year, people, areas, services, _money(ceiling_m), programme.department)
        with _on(_at(fiscal_year.rkpd_by)):
            activity = actions.accept_proposal(
                actor=planner,
                proposal=proposal,
                code=code,
                start_date=start,
                end_date=end,
                name=name,
                programme=programme,
            )
    else:
        with _on(_at(fiscal_year.rkpd_by)):
            activity = actions.create_activity(
                actor=planner,
                fiscal_year=fiscal_year,
                code=code,
                name=name,
                department=programme.department,
                start_date=start,
                end_date=end,
                kelurahans=areas,
                services=services,
                programme=programme,
                description=f"{programme.name}: {name}.",
                lat=areas[0].label_lat if areas else None,
                lng=areas[0].label_lng if areas else None,
            )
    with _on(_at(fiscal_year.rkpd_by)):
        # The reports filed before it entered the plan (after its proposal's, for one that had a proposal).
        _link_evidence(activity, planner, filed_before=timezone.now())
        actions.add_partner(actor=planner, activity=activity, name="LPM dan Ketua RT setempat", role="community")
        if int(suffix) % 3 == 0:
            actions.add_partner(actor=planner, activity=activity, name="Universitas Lambung Mangkurat", role="academia")
        if int(suffix) % 4 == 0:
            actions.add_partner(actor=planner, activity=activity, name="Banjarmasin Post", role="media")
        span = (end - start).days
        for label, due in (
            ("Kontrak ditandatangani", start + dt.timedelta(days=30)),
            ("Pekerjaan 50%", start + dt.timedelta(days=span // 2)),
            ("Serah terima pekerjaan (PHO)", end),
        ):
            actions.add_milestone(actor=planner, activity=activity, name=label, due_date=due)
        for level, (description, unit, baseline, target, direction) in zip(
            (Indicator.Level.OUTPUT, Indicator.Level.OUTCOME), INDICATORS[suffix], strict=True
        ):
            actions.add_indicator(
                actor=planner,
                activity=activity,
                level=level,
                description=description,
                unit=unit,
                baseline=Decimal(str(baseline)),
                target=Decimal(str(target)),
                direction=direction,
            )
    return activity


def _build_activity(spec, fiscal_year, programmes, people, today):
    """One activity's year up to its stage, through the product's actions on the days they happened: planned when
    the RKPD is fixed, its ceiling in the KUA-PPAS, its budget approved after the APBD, monthly payments and progress
    (verified the month after), milestones met, a revision in the APBD-P, the hand-over, the evaluation two weeks
    later. The reports linked before each gate hear of it (budgeted, completed, evaluated with its grade)."""
    suffix, name, programme_code, _kelurahans, _services, ceiling_m, stage, start_m, end_m = spec
    programme = programmes[programme_code]
    if Activity.objects.filter(fiscal_year=fiscal_year, code=f"{programme_code}.2.01.{suffix}").exists():
        return None
    finished = stage in (Stage.COMPLETED, Stage.EVALUATED)
    start = dt.date(YEAR, start_m, 1)
    end = _month_end(end_m)
    if finished:
        end = min(end, today - dt.timedelta(days=20))
    end = max(end, start + dt.timedelta(days=60))
    activity = _plan_activity(spec, fiscal_year, programme, people, start, end)
    planner, finance, inspector = people["planner"], people["finance"], people["inspector"]
    head = people["heads"][activity.department.code]
    ceiling = _money(ceiling_m)
    line = {"account_code": "5.1.02.01", "fund_source": "pad"}
    with _on(_at(fiscal_year.kuappas_end)):
        actions.set_ceiling(
            actor=finance, activity=activity, amount=ceiling, description="Pagu indikatif KUA-PPAS", **line
        )
    if stage == Stage.PLANNED:
        return activity

    story = _Story()
    original = _round_thousand(ceiling * Decimal("0.96"))

    def approve_budget():
        _link_evidence(activity, planner, filed_before=timezone.now())
        actions.approve_budget(
            actor=finance, activity=activity, lines=[{**line, "amount": original, "description": "APBD murni"}]
        )

    story.on(BUDGET_APPROVED, approve_budget)
    if stage == Stage.BUDGETED:
        story.tell()
        return activity

    last_day = min(today, end)
    budget = original
    if int(suffix) % 5 == 0 and start < REVISED_ON < last_day:
        budget = _round_thousand(original * Decimal("1.08"))
        revised = {**line, "amount": budget, "description": "APBD perubahan"}
        story.on(
            REVISED_ON,
            lambda: actions.revise_budget(
                actor=finance, activity=activity, lines=[revised], reason="Penambahan volume pekerjaan (APBD-P)."
            ),
        )
    months = queries._month_starts(start, last_day)
    if finished:
        physical_path = [min(100, round(100 * (i + 1) / len(months))) for i in range(len(months))]
        physical_path[-1] = 100
        spend_share = Decimal("0.97")
    else:
        elapsed = float(queries.time_elapsed_pct(activity, today)) / 100
        lag = 0.75 if int(suffix) % 2 else 0.95
        target = max(5, round(100 * elapsed * lag))
        physical_path = [max(1, round(target * (i + 1) / len(months))) for i in range(len(months))]
        spend_share = Decimal(str(round(min(0.9, elapsed * lag * 0.85), 2)))
    total_spend = _round_thousand(budget * spend_share)
    weights = list(range(1, len(months) + 1))
    spent = Decimal("0")
    for index, (month, physical) in enumerate(zip(months, physical_path, strict=True)):
        if index == len(months) - 1:
            amount = total_spend - spent
        else:
            amount = _round_thousand(total_spend * weights[index] / sum(weights))
        paid_on = min(month + dt.timedelta(days=24), last_day)
        if amount > 0:
            story.on(paid_on, _payment(activity, head, paid_on=paid_on, amount=amount, number=index + 1))
            spent += amount
        problems = "" if index % 3 else "Cuaca dan air pasang menghambat pekerjaan."
        story.on(paid_on, _progress(activity, head, month=month, pct=Decimal(physical), problems=problems))
        if index < len(months) - 1:
            story.on(month + dt.timedelta(days=28), _verification(activity, planner, month=month))
    for label, due in activity.milestones.values_list("name", "due_date"):
        if due < today and (finished or due < activity.start_date + dt.timedelta(days=40)):
            late = int(suffix) % 4 == 1 and label.startswith("Pekerjaan")
            met_on = due + dt.timedelta(days=12 if late else -3)
            story.on(met_on, _milestone_met(activity, head, name=label, met_on=met_on))
    output, outcome = activity.indicators.order_by("pk")
    delivered = _output_value(output, physical_path[-1])
    story.on(last_day, _indicator_value(head, output, period=last_day, value=delivered))
    if finished:
        story.on(last_day, _indicator_value(head, outcome, period=last_day, value=_outcome_value(outcome, suffix)))

        def complete():
            _link_evidence(activity, planner, filed_before=timezone.now())
            actions.complete_activity(actor=head, activity=activity, completed_on=end)

        story.on(end, complete)
    if stage == Stage.EVALUATED:
        # The inspector verifies the last month before scoring it, and evaluates two weeks after the hand-over.
        story.on(end + dt.timedelta(days=7), _verification(activity, inspector, month=months[-1]))
        story.on(
            end + dt.timedelta(days=14),
            lambda: actions.evaluate_activity(
                actor=inspector,
                activity=activity,
                findings="Output tercapai sesuai kontrak; indikator hasil mendekati target.",
                recommendations="Anggarkan pemeliharaan rutin dan libatkan LPM dalam pengawasan.",
            ),
        )
    story.tell()
    activity.refresh_from_db()
    return activity


def _payment(activity, head, *, paid_on, amount, number):
    suffix = activity.code.rsplit(".", 1)[-1]
    return lambda: actions.record_realisation(
        actor=head,
        activity=activity,
        date=paid_on,
        amount=amount,
        document_number=f"SP2D/{activity.department.code.upper()}/{YEAR}/{suffix}{number:02d}",
        description=f"Pembayaran termin {number}",
    )


def _progress(activity, head, *, month, pct, problems):
    return lambda: actions.report_progress(
        actor=head, activity=activity, month=month, physical_pct=pct, problems=problems
    )


def _verification(activity, verifier, *, month):
    return lambda: actions.verify_progress(actor=verifier, report=activity.progress_reports.get(month=month))


def _milestone_met(activity, head, *, name, met_on):
    return lambda: actions.mark_milestone(actor=head, milestone=activity.milestones.get(name=name), met_on=met_on)


def _indicator_value(head, indicator, *, period, value):
    return lambda: actions.record_indicator_value(actor=head, indicator=indicator, period=period, value=value)


def _musrenbang_proposals(fiscal_year, people) -> int:
    """The proposals for ``fiscal_year`` from its Musrenbang (held from January of the year before), each reviewed as
    far as it got, one declined at the kecamatan: through the proposal actions, on the days of their reviews."""
    created = 0
    for source, title, area_code, department_code, cost_m, done in PROPOSALS:
        if Proposal.objects.filter(fiscal_year=fiscal_year, title=title).exists():
            continue
        cost = _money(cost_m)
        with _on(_at(fiscal_year.musrenbang_start + PROPOSED_AFTER)):
            proposal = actions.submit_proposal(
                actor=people["planner"],
                fiscal_year=fiscal_year,
                source=source,
                title=title,
                problem=f"Usulan warga: {title.lower()}.",
                area=Area.objects.get(code=area_code),
                department=Department.objects.get(code=department_code),
                estimated_cost=cost,
            )
        for level in done:
            _review(proposal, level.rstrip("!"), people, cost, declined=level.endswith("!"))
        created += 1
    return created


def _plan_today() -> dt.date:
    """The demo year's "today": the real one, kept between November and the year's end of YEAR."""
    return min(max(timezone.localdate(), dt.date(YEAR, 11, 1)), dt.date(YEAR, 12, 31))


def _evidence_days_ago(spec, today: dt.date, rng: random.Random) -> list[float]:
    """When the reports about one activity were filed, in days before now."""
    *_, stage, start_m, _end_m = spec
    start = dt.date(YEAR, start_m, 1)
    now = timezone.localdate()
    moments = [start - dt.timedelta(days=rng.uniform(0, 365)) for _ in range(round(12 * EVIDENCE_PER_MONTH))]
    months_since = max(0, (today - start).days) / 30.4
    since = round(months_since * EVIDENCE_PER_MONTH * EVIDENCE_SINCE_SHARE[stage])
    moments += [start + dt.timedelta(days=rng.uniform(0, (today - start).days)) for _ in range(since)]
    return [(now - moment).days + rng.random() for moment in moments if moment < now]


def seed_demo_evidence() -> str:
    """The reports behind each demo activity, filed and worked through the real actions; once.

    Each keeps the privacy its service's form preselects: public for most, confidential for a person's health,
    welfare or home (a neighbour's mental illness with an exact pin, a poor household), which never become planning
    evidence nor appear on the public pages. Runs before seed_demo_planning, which links the public ones to their
    activities as evidence."""
    citizens = demo_citizens(first=EVIDENCE_FIRST_CITIZEN)
    if Ticket.objects.filter(reporter__in=citizens).exists():
        return "evidence reports already there"
    rng = random.Random(2026)
    today = _plan_today()
    filed = 0
    with demo_emails_in_memory(), transaction.atomic():
        for spec in ACTIVITIES:
            areas = list(Area.objects.filter(code__in=spec[3]))
            services = list(Service.objects.filter(code__in=spec[4], active=True))
            if not areas or not services:
                continue
            for days_ago in _evidence_days_ago(spec, today, rng):
                service = rng.choice(services)
                file_demo_report(
                    service=service,
                    area=rng.choice(areas),
                    reporter=citizens[filed % len(citizens)],
                    days_ago=days_ago,
                    rng=rng,
                    privacy=service.default_privacy,
                )
                filed += 1
    return f"{filed} reports filed in the plan's kelurahan"


def seed_demo_planning() -> str:
    """Fiscal year 2026 with 24 activities across ten departments in every stage, and proposals."""
    with demo_emails_in_memory():  # the plan updates to the linked reports' followers
        return _seed_plan()


@transaction.atomic
def _seed_plan() -> str:
    fiscal_year = set_up_fiscal_year()
    # The next year is set up too, as a city has it by now (its Musrenbang was held early in YEAR): new proposals
    # are for it (planning.queries.proposal_year), and the demo's "New proposal" would otherwise say it is missing.
    next_year = set_up_fiscal_year(YEAR + 1)
    programmes = {}
    for code, name, department_code in PROGRAMMES:
        programmes[code], _ = Programme.objects.get_or_create(
            fiscal_year=fiscal_year,
            code=code,
            defaults={"name": name, "department": Department.objects.get(code=department_code)},
        )
    people = {
        "planner": _user(f"perencana@{DEMO_DOMAIN}"),
        "finance": _user(f"keuangan@{DEMO_DOMAIN}"),
        "inspector": _user(f"inspektur@{DEMO_DOMAIN}"),
        "heads": {d.code: _user(f"kepala.{d.code}@{DEMO_DOMAIN}") for d in Department.objects.all()},
    }
    today = _plan_today()
    made = [a for spec in ACTIVITIES if (a := _build_activity(spec, fiscal_year, programmes, people, today))]
    proposals = Proposal.objects.filter(activity__in=made).count()
    proposals += _musrenbang_proposals(next_year, people)
    linked = _link_new_tickets(fiscal_year, people)
    proposals += _evidence_proposal(next_year, people)
    window = open_community_window()
    total = Activity.objects.filter(fiscal_year=fiscal_year).count()
    return (
        f"fiscal year {YEAR}: {len(made)} activities created ({total} in all), {proposals} proposals, "
        f"{linked} reports filed since linked to the work under way; citizens send proposals for fiscal year "
        f"{window.year} online until {window.musrenbang_end:%d %B %Y}"
    )
