"""Demo plan for ``manage.py seed_demo``: fiscal year 2026 with activities in every stage (idempotent).

Rows are written directly (the demo tells a year's story at once), but every gate still gets its
``StageChange`` row and every budget line its ``BudgetChange``, as the actions would write them; the
demo tickets in an activity's area are linked as evidence and their followers see the plan updates.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from complaints.actions.plan_updates import tell_followers_about_plan
from complaints.demo import demo_citizens, demo_emails_in_memory, file_demo_report
from complaints.models import Status, Ticket
from complaints.queries import public_tickets
from services.models import Area, Department, Service

from . import queries
from .models import (
    STAGE_ORDER,
    Activity,
    ActivityTicket,
    BudgetChange,
    BudgetLine,
    BudgetVersion,
    Evaluation,
    FiscalYear,
    Indicator,
    IndicatorValue,
    Milestone,
    Partner,
    Programme,
    ProgressReport,
    Proposal,
    ProposalReview,
    Realisation,
    Stage,
    StageChange,
)

YEAR = 2026
MAX_LINKED = 40

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


def _demo_tickets(areas, services):
    """Reports that may serve as evidence: public ones (never confidential), duplicates left out."""
    return public_tickets().filter(area__in=areas, service__in=services).exclude(status=Status.DUPLICATE)


def _link_new_tickets(fiscal_year, people) -> int:
    """Link reports filed since the last run (e.g. demo tickets seeded later) and tell their followers."""
    linked = 0
    for activity in Activity.objects.filter(fiscal_year=fiscal_year).select_related("department"):
        room = MAX_LINKED - activity.ticket_links.count()
        if room <= 0:
            continue
        tickets = list(
            _demo_tickets(activity.kelurahans.all(), activity.services.all()).exclude(
                activity_links__activity=activity
            )[:room]
        )
        if not tickets:
            continue
        ActivityTicket.objects.bulk_create(
            [ActivityTicket(activity=activity, ticket=t, added_by=people["planner"]) for t in tickets],
            ignore_conflicts=True,
        )
        linked += len(tickets)
        for stage in (Stage.BUDGETED, Stage.COMPLETED):
            if activity.stage_index >= STAGE_ORDER.index(stage):
                tell_followers_about_plan(tickets=tickets, activity=activity, stage=stage)
    return linked


def _evidence_proposal(fiscal_year, people) -> int:
    """One proposal from the largest complaint cluster not yet proposed, waiting for its kecamatan review."""
    if Proposal.objects.filter(fiscal_year=fiscal_year, source=Proposal.Source.EVIDENCE, activity=None).exists():
        return 0
    for cluster in queries.evidence_clusters(fiscal_year=fiscal_year, limit=5):
        if cluster["proposed"]:
            continue
        service, area = cluster["service"], cluster["area"]
        proposal = Proposal.objects.create(
            fiscal_year=fiscal_year,
            source=Proposal.Source.EVIDENCE,
            title=f"{service.name_id} di {area.name}",
            problem=f"{cluster['count']} laporan warga tentang {service.name_id.lower()} di {area.name} "
            f"dalam 12 bulan terakhir.",
            area=area,
            department=service.default_department,
            service=service,
            estimated_cost=_money(850),
            proposer=people["planner"],
        )
        proposal.tickets.set(queries.cluster_tickets(service=service, area=area))
        ProposalReview.objects.create(
            proposal=proposal,
            level="kelurahan",
            decision="recommend",
            note="Masalah berulang, layak ditangani.",
            amount=_money(850),
            reviewer=people["planner"],
        )
        return 1
    return 0


def _user(email: str):
    return User.objects.filter(email=email).first()


def _money(millions) -> Decimal:
    return (Decimal(str(millions)) * M).quantize(Decimal("1"))


def _round_thousand(value: Decimal) -> Decimal:
    return (value / 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 1000


def set_up_fiscal_year(year: int = YEAR) -> FiscalYear:
    """The fiscal year ``year`` with the usual calendar (Musrenbang from early January of the year before, execution
    in the year, evaluation in the first quarter after); an existing one is kept. The demo's and the benchmark's."""
    fiscal_year, _ = FiscalYear.objects.get_or_create(
        year=year,
        defaults={
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
        },
    )
    return fiscal_year


def _gate(activity, stage, actor, when):
    change = StageChange.objects.create(activity=activity, from_stage=activity.stage, to_stage=stage, actor=actor)
    StageChange.objects.filter(pk=change.pk).update(created_at=when)
    activity.stage = stage
    activity.stage_changed_at = when
    activity.save(update_fields=["stage", "stage_changed_at"])


def _line(activity, version, amount, actor, fund="pad", account="5.1.02.01", description="Belanja barang dan jasa"):
    line = BudgetLine.objects.create(
        activity=activity,
        version=version,
        account_code=account,
        fund_source=fund,
        amount=amount,
        description=description,
    )
    BudgetChange.objects.create(line=line, old_amount=None, new_amount=amount, actor=actor)
    return line


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _build_activity(spec, fiscal_year, programmes, people, today):
    suffix, name, programme_code, kelurahan_codes, service_codes, ceiling_m, stage, start_m, end_m = spec
    programme = programmes[programme_code]
    code = f"{programme_code}.2.01.{suffix}"
    if Activity.objects.filter(fiscal_year=fiscal_year, code=code).exists():
        return None
    finished = stage in (Stage.COMPLETED, Stage.EVALUATED)
    start = dt.date(YEAR, start_m, 1)
    end = (dt.date(YEAR, end_m, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    if finished:
        end = min(end, today - dt.timedelta(days=20))
    activity = Activity.objects.create(
        fiscal_year=fiscal_year,
        programme=programme,
        code=code,
        name=name,
        department=programme.department,
        start_date=start,
        end_date=max(end, start + dt.timedelta(days=60)),
        description=f"{programme.name}: {name}.",
        stage=Stage.PLANNED,
    )
    areas = list(Area.objects.filter(code__in=kelurahan_codes))
    activity.kelurahans.set(areas)
    services = list(Service.objects.filter(code__in=service_codes))
    activity.services.set(services)
    if areas:
        activity.lat, activity.lng = areas[0].label_lat, areas[0].label_lng
        activity.save(update_fields=["lat", "lng"])
    Partner.objects.create(activity=activity, name="LPM dan Ketua RT setempat", role=Partner.Role.COMMUNITY)
    if int(suffix) % 3 == 0:
        Partner.objects.create(activity=activity, name="Universitas Lambung Mangkurat", role=Partner.Role.ACADEMIA)
    if int(suffix) % 4 == 0:
        Partner.objects.create(activity=activity, name="Banjarmasin Post", role=Partner.Role.MEDIA)
    tickets = list(_demo_tickets(areas, services)[:MAX_LINKED])
    ActivityTicket.objects.bulk_create(
        [ActivityTicket(activity=activity, ticket=t, added_by=people["planner"]) for t in tickets],
        ignore_conflicts=True,
    )
    planned = StageChange.objects.create(
        activity=activity, from_stage="", to_stage=Stage.PLANNED, actor=people["planner"]
    )
    StageChange.objects.filter(pk=planned.pk).update(created_at=_at(fiscal_year.rkpd_by))

    ceiling = _money(ceiling_m)
    _line(activity, BudgetVersion.INDICATIVE, ceiling, people["finance"], description="Pagu indikatif KUA-PPAS")
    span = (activity.end_date - activity.start_date).days
    milestones = [
        ("Kontrak ditandatangani", activity.start_date + dt.timedelta(days=30)),
        ("Pekerjaan 50%", activity.start_date + dt.timedelta(days=span // 2)),
        ("Serah terima pekerjaan (PHO)", activity.end_date),
    ]
    for label, due in milestones:
        Milestone.objects.create(activity=activity, name=label, due_date=due)
    output = Indicator.objects.create(
        activity=activity,
        level=Indicator.Level.OUTPUT,
        # Only the first letter lowered: the name's proper nouns (TPS 3R, Sungai Kuin, RTH) keep their case.
        description=f"Volume pekerjaan {name[:1].lower()}{name[1:]}",
        unit="%",
        baseline=Decimal("0"),
        target=Decimal("100"),
    )
    outcome = Indicator.objects.create(
        activity=activity,
        level=Indicator.Level.OUTCOME,
        description="Pengaduan warga terkait per bulan",
        unit="laporan",
        baseline=Decimal("12"),
        target=Decimal("6"),
        direction=Indicator.Direction.DECREASE,
    )
    if stage == Stage.PLANNED:
        return activity

    original = _round_thousand(ceiling * Decimal("0.96"))
    _line(activity, BudgetVersion.ORIGINAL, original, people["finance"], description="APBD murni")
    _gate(activity, Stage.BUDGETED, people["finance"], _at(dt.date(YEAR - 1, 12, 15)))
    if tickets:
        tell_followers_about_plan(tickets=tickets, activity=activity, stage=Stage.BUDGETED, actor=people["finance"])
    if stage == Stage.BUDGETED:
        return activity

    budget = original
    if int(suffix) % 5 == 0:
        budget = _round_thousand(original * Decimal("1.08"))
        _line(activity, BudgetVersion.REVISED, budget, people["finance"], description="APBD perubahan")
    head = people["heads"].get(activity.department.code)
    last_day = min(today, activity.end_date)
    months = [m for m in queries._month_starts(activity.start_date, last_day)]
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
        if amount > 0:
            Realisation.objects.create(
                activity=activity,
                date=min(month + dt.timedelta(days=24), last_day),
                amount=amount,
                document_number=f"SP2D/{activity.department.code.upper()}/{YEAR}/{suffix}{index + 1:02d}",
                description=f"Pembayaran termin {index + 1}",
                recorded_by=head,
            )
            spent += amount
        ProgressReport.objects.create(
            activity=activity,
            month=month,
            physical_pct=Decimal(physical),
            problems="" if index % 3 else "Cuaca dan air pasang menghambat pekerjaan.",
            reported_by=head,
            verified_by=people["planner"] if index < len(months) - 1 else None,
            verified_at=_at(month + dt.timedelta(days=28)) if index < len(months) - 1 else None,
        )
    _gate(activity, Stage.IN_EXECUTION, head, _at(months[0] + dt.timedelta(days=24)) if months else timezone.now())
    for milestone in activity.milestones.all():
        if milestone.due_date < today and (
            finished or milestone.due_date < activity.start_date + dt.timedelta(days=40)
        ):
            late = int(suffix) % 4 == 1 and milestone.name.startswith("Pekerjaan")
            milestone.met_on = milestone.due_date + dt.timedelta(days=12 if late else -3)
            milestone.status = Milestone.Status.MET
            milestone.save(update_fields=["met_on", "status"])
    IndicatorValue.objects.create(indicator=output, period=last_day, value=Decimal(physical_path[-1] if months else 0))
    if stage == Stage.IN_EXECUTION:
        return activity

    IndicatorValue.objects.update_or_create(
        indicator=outcome, period=last_day, defaults={"value": Decimal(5 + int(suffix) % 4)}
    )
    _gate(activity, Stage.COMPLETED, head, _at(activity.end_date))
    Activity.objects.filter(pk=activity.pk).update(completed_on=activity.end_date)
    activity.completed_on = activity.end_date
    if tickets:
        tell_followers_about_plan(tickets=tickets, activity=activity, stage=Stage.COMPLETED, actor=head)
    if stage == Stage.COMPLETED:
        return activity

    scores = queries.activity_scores(activity)
    Evaluation.objects.create(
        fiscal_year=fiscal_year,
        activity=activity,
        department=activity.department,
        findings="Output tercapai sesuai kontrak; pengaduan warga di wilayah kegiatan menurun.",
        recommendations="Anggarkan pemeliharaan rutin dan libatkan LPM dalam pengawasan.",
        evaluator=people["inspector"],
        **scores,
    )
    _gate(activity, Stage.EVALUATED, people["inspector"], _at(activity.end_date + dt.timedelta(days=14)))
    return activity


def _proposals(fiscal_year, people):
    created = 0
    levels = ["kelurahan", "kecamatan", "department", "bappeda"]
    for source, title, area_code, department_code, cost_m, done in PROPOSALS:
        if Proposal.objects.filter(fiscal_year=fiscal_year, title=title).exists():
            continue
        department = Department.objects.get(code=department_code)
        proposal = Proposal.objects.create(
            fiscal_year=fiscal_year,
            source=source,
            title=title,
            problem=f"Usulan warga: {title.lower()}.",
            area=Area.objects.get(code=area_code),
            department=department,
            estimated_cost=_money(cost_m),
            proposer=people["planner"],
        )
        for level in done:
            declined = level.endswith("!")
            ProposalReview.objects.create(
                proposal=proposal,
                level=level.rstrip("!"),
                decision="decline" if declined else "recommend",
                note="Sudah tertampung di kegiatan lain." if declined else "Layak diusulkan.",
                amount=_money(cost_m),
                reviewer=people["heads"].get(department_code) if level == "department" else people["planner"],
            )
            if declined:
                proposal.status = Proposal.Status.DECLINED
                proposal.decided_at = timezone.now()
                proposal.save(update_fields=["status", "decided_at"])
        created += 1
    # Proposals that became activities, with their full review chain.
    for activity in Activity.objects.filter(fiscal_year=fiscal_year, proposal__isnull=True).order_by("code")[:6]:
        area = activity.kelurahans.first()
        if area is None:
            continue
        proposal = Proposal.objects.create(
            fiscal_year=fiscal_year,
            source="evidence" if activity.ticket_links.exists() else "musrenbang_kecamatan",
            title=activity.name,
            problem=activity.description,
            area=area,
            department=activity.department,
            service=activity.services.first(),
            estimated_cost=queries.budget_total(activity, BudgetVersion.INDICATIVE) or 0,
            proposer=people["planner"],
            status=Proposal.Status.ACCEPTED,
            activity=activity,
            decided_at=timezone.now(),
        )
        proposal.tickets.set(activity.tickets.all())
        for level in levels:
            ProposalReview.objects.create(
                proposal=proposal,
                level=level,
                decision="recommend",
                amount=proposal.estimated_cost,
                reviewer=people["heads"].get(activity.department.code) if level == "department" else people["planner"],
            )
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
    set_up_fiscal_year(YEAR + 1)
    programmes = {}
    for code, name, department_code in PROGRAMMES:
        programmes[code], _ = Programme.objects.get_or_create(
            fiscal_year=fiscal_year,
            code=code,
            defaults={"name": name, "department": Department.objects.get(code=department_code)},
        )
    domain = "demo.banjarmasin.id"
    people = {
        "planner": _user(f"perencana@{domain}"),
        "finance": _user(f"keuangan@{domain}"),
        "inspector": _user(f"inspektur@{domain}"),
        "heads": {code: _user(f"kepala.{code}@{domain}") for code in ("pupr", "dlh")},
    }
    today = _plan_today()
    made = [a for spec in ACTIVITIES if (a := _build_activity(spec, fiscal_year, programmes, people, today))]
    proposals = _proposals(fiscal_year, people) if made else 0
    linked = _link_new_tickets(fiscal_year, people)
    proposals += _evidence_proposal(fiscal_year, people)
    total = Activity.objects.filter(fiscal_year=fiscal_year).count()
    return (
        f"fiscal year {YEAR}: {len(made)} activities created ({total} in all), {proposals} proposals, "
        f"{linked} more reports linked"
    )
