"""Demo tickets for ``manage.py seed_demo``: a few hundred reports spread over Banjarmasin's kelurahan,
filed, routed and worked through the real actions, then spread back over the last months. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from services.calendar import add_working_days
from services.demo import DEMO_DOMAIN
from services.geo import locate_id
from services.models import Area, Service, StaffMembership

from . import queries, references
from .models import Channel, EventType, Privacy, Rating, Status, Ticket, TicketEvent
from .routing import close_window_end

DEMO_TICKETS = 300
DEMO_CITIZENS = 45  # web filings are limited per account per hour: spread them over many citizens

# (service code, title, description) in the words citizens use.
REPORTS = [
    (
        "sampah-menumpuk",
        "Sampah menumpuk di depan rumah",
        "Sudah empat hari sampah di TPS gang tidak diangkut, bau dan banyak lalat.",
    ),
    (
        "sampah-menumpuk",
        "Sampah tidak diangkut",
        "Gerobak sampah tidak lewat seminggu ini, warga terpaksa membakar sampah.",
    ),
    (
        "jalan-rusak",
        "Jalan berlubang dalam",
        "Lubang besar di tengah jalan, sudah dua pengendara motor jatuh malam hari.",
    ),
    ("jalan-rusak", "Aspal mengelupas", "Aspal jalan mengelupas sepanjang 20 meter setelah hujan deras."),
    (
        "drainase-tersumbat",
        "Got tersumbat sampah",
        "Saluran di depan sekolah tersumbat, air meluap ke jalan setiap hujan.",
    ),
    (
        "genangan-banjir",
        "Jalan tergenang saat pasang",
        "Air pasang naik sampai 30 cm di jalan, kendaraan tidak bisa lewat.",
    ),
    ("pju-mati", "Lampu jalan mati", "Tiga lampu jalan mati, jalan gelap dan rawan begal."),
    (
        "pohon-tumbang",
        "Dahan pohon hampir patah",
        "Dahan besar menjuntai di atas jalan, khawatir jatuh saat angin kencang.",
    ),
    ("air-mati", "Air PDAM tidak mengalir", "Sejak kemarin pagi air tidak mengalir sama sekali di RT kami."),
    ("pipa-bocor", "Pipa bocor di pinggir jalan", "Air bersih terbuang dari pipa bocor di dekat jembatan."),
    ("parkir-liar", "Parkir liar di bahu jalan", "Mobil parkir di bahu jalan depan pasar sehingga macet setiap sore."),
    ("jembatan-rusak", "Titian ulin lapuk", "Papan titian ulin banyak yang patah, anak sekolah takut menyeberang."),
    (
        "sungai-kotor",
        "Eceng gondok menutup sungai",
        "Eceng gondok dan sampah menutup aliran sungai kecil di belakang rumah.",
    ),
    ("ktp-el", "KTP-el belum jadi", "Sudah tiga bulan rekam KTP-el tetapi belum dicetak."),
    (
        "layanan-puskesmas",
        "Antrean puskesmas terlalu lama",
        "Menunggu lebih dari tiga jam untuk diperiksa di puskesmas.",
    ),
    ("demam-berdarah", "Permintaan fogging", "Dua anak di RT kami terkena DBD bulan ini, mohon fogging."),
    ("bansos", "Bansos tidak diterima", "Keluarga kami terdaftar di DTKS tetapi tidak menerima bantuan tahun ini."),
    ("kebisingan", "Balap liar tiap malam", "Balap liar setiap malam minggu sampai jam dua pagi."),
    ("hewan-liar", "Anjing liar berkeliaran", "Beberapa anjing liar mengejar anak-anak di gang."),
    ("trotoar-rusak", "Trotoar amblas", "Trotoar amblas dan berlubang, berbahaya bagi pejalan kaki."),
]

# How long a working step takes after the step before it, as a share of the service's deadline (which deadline,
# shortest share, longest share), drawn per ticket: verified within the response deadline, work started and the
# problem resolved within the resolution deadline for most tickets, some after it.
STEP_SHARES = {
    EventType.ACKNOWLEDGED: ("response_sla_days", 0.05, 1.3),
    EventType.STARTED: ("resolution_sla_days", 0.02, 0.4),
    EventType.RESOLVED: ("resolution_sla_days", 0.1, 1.2),
}
# The citizen rates and confirms a few days after the resolution (shortest, longest days).
RATING_DAYS = (0.25, 5)
# Some reports stay where they are, whatever their age: the backlog every city has.
STUCK_SHARE = 0.1
TICK = dt.timedelta(microseconds=1)

RESOLUTION_NOTES = [
    "Petugas sudah turun ke lokasi dan pekerjaan selesai dilaksanakan.",
    "Sudah ditangani bersama ketua RT; mohon konfirmasi bila masih ada masalah.",
    "Perbaikan selesai hari ini. Terima kasih atas laporannya.",
]


def _point_in(area: Area, rng: random.Random) -> tuple[float, float]:
    """A point near the kelurahan's label point that still lies inside it."""
    for _ in range(20):
        lat = area.label_lat + rng.uniform(-0.002, 0.002)
        lng = area.label_lng + rng.uniform(-0.002, 0.002)
        if locate_id(lat, lng) == area.pk:
            return lat, lng
    return area.label_lat, area.label_lng


def _worker_of(ticket: Ticket) -> User | None:
    membership = (
        StaffMembership.objects.filter(department_id=ticket.department_id, active=True)
        .select_related("user")
        .order_by("role")
        .first()
    )
    return membership.user if membership else None


def _work(ticket: Ticket, stage: int, rng: random.Random) -> None:
    """Move a routed ticket along: 1 verified, 2 in progress, 3 resolved, 4 closed and rated."""
    from . import actions

    staff = _worker_of(ticket)
    if staff is None or stage == 0:
        return
    ticket = actions.acknowledge_ticket(ticket=ticket, actor=staff)
    # Verified tickets go to an officer, as a head would hand them out, so the queue's "mine" and the department
    # dashboard's workload per officer have something to show. Drawn from the ticket's own seed: the main draw
    # (and so every other demo figure) stays as it was.
    members = list(queries.department_members(ticket.department_id).order_by("pk"))
    if members:
        officer = random.Random(ticket.pk).choice(members)
        ticket = actions.assign_ticket(ticket=ticket, actor=staff, assignee=officer)
        staff = officer
    if stage >= 2:
        ticket = actions.start_work(ticket=ticket, actor=staff)
        actions.reply_publicly(
            ticket=ticket, actor=staff, message="Laporan sudah kami terima dan sedang ditindaklanjuti."
        )
    if stage >= 3:
        ticket = actions.resolve_ticket(ticket=ticket, actor=staff, note=rng.choice(RESOLUTION_NOTES))
    if stage >= 4 and ticket.reporter_id:
        reporter = ticket.reporter
        actions.rate_ticket(ticket=ticket, actor=reporter, score=rng.choice([3, 4, 4, 5, 5]), comment="")
        actions.confirm_resolution(ticket=ticket, actor=reporter)


def _step_delays(ticket: Ticket, events, rng: random.Random) -> dict[int, dt.timedelta]:
    """How long after the step before it each working step of this ticket took (event pk → delay)."""
    delays = {}
    for event in events:
        # Squared: most steps come early, a few late (those are the late answers on the dashboards).
        draw = rng.random() ** 2
        if event.type in STEP_SHARES:
            deadline, shortest, longest = STEP_SHARES[event.type]
            days = getattr(ticket.service, deadline) if ticket.service_id else Service._meta.get_field(deadline).default
            delays[event.pk] = dt.timedelta(days=days * (shortest + (longest - shortest) * draw))
        elif event.type == EventType.RATED:
            delays[event.pk] = dt.timedelta(days=RATING_DAYS[0] + (RATING_DAYS[1] - RATING_DAYS[0]) * draw)
    return delays


def _spread_back(ticket: Ticket, days_ago: float, rng: random.Random) -> None:
    """Move a freshly worked ticket into the past: filed ``days_ago``, each working step after a delay of its
    own, all before now. The actions ran within the same second; left like that, every demo dashboard
    showed zero hours to verify and to resolve.

    Each working step (``STEP_SHARES``, the rating) is an anchor: it moves to its demo time, and what followed
    it in the same second (routing after filing, the reply after starting, closing after the rating) keeps its
    place right after it. Due dates are counted again from the demo filing time, in working days, and the
    reference names the demo filing year.
    """
    ticket.refresh_from_db()
    filed = timezone.now() - dt.timedelta(days=days_ago)
    events = list(TicketEvent.objects.filter(ticket=ticket).order_by("created_at", "pk"))
    delays = _step_delays(ticket, events, rng)
    # The last step happens before now, whatever was drawn.
    room = dt.timedelta(days=days_ago) * 0.9
    total = sum(delays.values(), dt.timedelta())
    scale = min(1.0, room / total) if total else 1.0
    # (from when, the demo time of that moment): a step starts right after the event before it, so the clock the
    # action set on the ticket (acknowledged_at, resolved_at) or the rating it saved moves with its event.
    anchors = [(ticket.created_at, filed)]
    for previous, event in zip(events, events[1:], strict=False):
        if event.pk in delays:
            anchors.append((previous.created_at + TICK, anchors[-1][1] + delays[event.pk] * scale))

    def moved(moment):
        if moment is None:
            return None
        real, demo = max((a for a in anchors if a[0] <= moment), key=lambda a: a[0], default=anchors[0])
        return demo + (moment - real)

    fields = {"created_at": filed, "updated_at": moved(max((e.created_at for e in events), default=None)) or filed}
    for name in ("routed_at", "acknowledged_at", "resolved_at", "closed_at"):
        fields[name] = moved(getattr(ticket, name))
    if ticket.close_window_ends_at and ticket.resolved_at:
        # Counted again from the moved resolution, as resolving counts it: shifting the old end by the same
        # amount put it at midday on a Sunday instead of the end of a working day.
        fields["close_window_ends_at"] = close_window_end(fields["resolved_at"])
    # The reference names the year filed: a report moved back into last year gets that year's.
    fields["reference"] = references.reference_for(Ticket(pk=ticket.pk, created_at=filed))
    if ticket.service_id:
        fields["response_due_at"] = add_working_days(filed, ticket.service.response_sla_days)
        fields["resolution_due_at"] = add_working_days(filed, ticket.service.resolution_sla_days)
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    for event in events:
        TicketEvent.objects.filter(pk=event.pk).update(created_at=moved(event.created_at))
    for rating in Rating.objects.filter(ticket=ticket):
        Rating.objects.filter(pk=rating.pk).update(created_at=moved(rating.created_at))


def demo_emails_in_memory():
    """Emails the demo's actions send stay in memory: nobody needs hundreds of them on the console or a relay.
    Hold it until the transaction commits, since emails go out then."""
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def demo_citizens(first: int = 1, count: int | None = None) -> list[User]:
    """``count`` (default DEMO_CITIZENS) demo citizens ``wargaNN@…`` from NN = ``first``, without a usable
    password: they only own demo reports."""
    citizens = []
    for number in range(first, first + (count or DEMO_CITIZENS)):
        user, created = User.objects.get_or_create(
            email=f"warga{number:02d}@{DEMO_DOMAIN}", defaults={"full_name": f"Warga Demo {number:02d}"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        citizens.append(user)
    return citizens


def file_demo_report(
    *,
    service: Service | None,
    area: Area,
    reporter: User,
    days_ago: float,
    rng: random.Random,
    privacy: str | None = None,
    words: tuple[str, str] | None = None,
) -> Ticket:
    """One report filed, routed and worked through the real actions, then moved ``days_ago`` into the past.

    Older reports are further along, as in a city that answers its citizens (some stay waiting: STUCK_SHARE).
    ``words`` is (title, description); without it, the citizens' words for the service (REPORTS), else its name
    (a report without a service needs ``words``)."""
    from . import actions

    if words is None:
        if service is None:
            raise ValueError("a demo report without a service needs its words")
        said = [(title, text) for code, title, text in REPORTS if code == service.code]
        words = rng.choice(said) if said else (service.name_id, f"Mohon ditindaklanjuti di sekitar {area.name}.")
    lat, lng = _point_in(area, rng)
    if privacy is None:
        privacy = rng.choices([Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL], weights=[80, 15, 5])[0]
        if service is not None and service.default_privacy != Privacy.PUBLIC:
            # As most citizens do, keep what the form preselects for a person's health, welfare or civil records
            # (the draw above still happens, so the rest of the demo stays the same).
            privacy = service.default_privacy
    with transaction.atomic():
        ticket = actions.file_ticket(
            title=words[0],
            description=words[1],
            service=service,
            lat=lat,
            lng=lng,
            address=f"Dekat {area.name}",
            privacy=privacy,
            show_name=rng.random() < 0.3,
            reporter=reporter,
            reporter_name=reporter.full_name,
            channel=rng.choices([Channel.WEB, Channel.ASSISTED, Channel.PHONE], weights=[80, 12, 8])[0],
            attributes=_answers(service) if service else {},
        )
    ticket = actions.route_ticket(ticket_id=ticket.pk) or Ticket.objects.get(pk=ticket.pk)
    stage = min(4, int(days_ago / 10 + rng.random() * 2)) if ticket.status == Status.ROUTED else 0
    if rng.random() < STUCK_SHARE:
        stage = min(stage, rng.randint(0, 2))
    _work(ticket, stage, rng)
    _spread_back(ticket, days_ago, rng)
    return ticket


def seed_demo_tickets() -> str:
    """File, route and work ``DEMO_TICKETS`` reports once; later runs leave them alone."""
    from . import actions

    citizens = demo_citizens()
    existing = Ticket.objects.filter(reporter__in=citizens).count()
    if existing >= DEMO_TICKETS:
        return f"{existing} demo reports already there"
    rng = random.Random(6371)
    kelurahan = list(Area.objects.filter(level=Area.Level.KELURAHAN))
    services = {s.code: s for s in Service.objects.filter(code__in={code for code, _, _ in REPORTS})}
    with demo_emails_in_memory():
        for number in range(existing, DEMO_TICKETS):
            code, title, description = REPORTS[number % len(REPORTS)]
            file_demo_report(
                service=None if number % 10 == 0 else services[code],  # some "not sure" reports
                area=rng.choice(kelurahan),
                reporter=citizens[number % len(citizens)],
                days_ago=rng.uniform(0, 150),
                rng=rng,
                words=(title, description),
            )
    supported = 0
    for ticket in Ticket.objects.filter(privacy=Privacy.PUBLIC, status__in=(Status.ROUTED, Status.IN_PROGRESS))[:40]:
        try:
            actions.support_ticket(ticket=ticket, user=citizens[(ticket.pk * 7) % len(citizens)])
        except ValidationError:
            continue  # e.g. the citizen picked is the reporter
        supported += 1
    return f"{DEMO_TICKETS - existing} demo reports filed and worked, {supported} supported"


def _answers(service: Service) -> dict:
    """Answers to the service's required extra questions, so filing accepts them."""
    answers = {}
    for attribute in service.attributes.filter(required=True):
        if attribute.values:
            key = attribute.values[0]["key"]
            answers[attribute.code] = [key] if attribute.datatype == "multivaluelist" else key
        else:
            answers[attribute.code] = "1"
    return answers


# When the replayed sweeps run: each morning, as staff would first read the beat's emails.
SWEEP_HOUR_WITA = 8


def _sweep_moments(now: dt.datetime) -> list[dt.datetime]:
    """Each morning from the earliest date an open or resolved demo report could be swept (a due date, a closing
    window's end) up to ``now``, then ``now``."""
    from django.db.models import Min

    from . import workflow

    earliest = [
        *Ticket.objects.filter(status__in=workflow.WORKING)
        .aggregate(Min("response_due_at"), Min("resolution_due_at"))
        .values(),
        Ticket.objects.filter(status=Status.RESOLVED).aggregate(Min("close_window_ends_at"))[
            "close_window_ends_at__min"
        ],
    ]
    earliest = [moment for moment in earliest if moment is not None and moment < now]
    moments = []
    if earliest:
        day = timezone.localtime(min(earliest)).date()
        while True:
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(SWEEP_HOUR_WITA)))
            if moment >= now:
                break
            moments.append(moment)
            day += dt.timedelta(days=1)
    return [*moments, now]


def _swept_at(moment: dt.datetime, sweep) -> int:
    """Run ``sweep(moment)`` and date what it recorded at ``moment``: the actions stamp their events with the clock,
    which in the demo is months after the sweep they stand for."""
    started = timezone.now()
    done = sweep(moment)
    TicketEvent.objects.filter(created_at__gte=started, type__in=(EventType.ESCALATED, EventType.CLOSED)).update(
        created_at=moment
    )
    return done


def catch_up_deadlines(*, now: dt.datetime | None = None) -> str:
    """Escalate what went overdue during the demo's five months and close what its citizens left resolved, as
    the beat would have done meanwhile: the sweeps are replayed each morning from the first due date, so a head is
    told the morning after a deadline passed and the inspectorate days later, not all of them on the day the demo
    was seeded (an auditor read "the head was told 8 months late"). Emails are kept in memory; afterwards the beat,
    or ``run_periodic`` on a bare machine, keeps doing it."""
    from .actions.dispatch import close_expired_resolutions, escalate_overdue

    now = now or timezone.now()
    escalated = closed = 0
    with demo_emails_in_memory():
        for moment in _sweep_moments(now):
            escalated += _swept_at(moment, lambda at: escalate_overdue(now=at))
            closed += _swept_at(moment, lambda at: close_expired_resolutions(now=at))
    return f"{escalated} escalations of overdue reports, {closed} resolved reports closed"
