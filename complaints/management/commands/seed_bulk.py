"""Seed many tickets with their events, fast, for benchmarks: PostgreSQL COPY (psycopg2 ``copy_expert``).

    python manage.py seed_bulk                              # 1,000,000 tickets
    python manage.py seed_bulk --count 200000 --department-share dlh:100000
    python manage.py seed_bulk --reset                      # remove seeded tickets first (and only them)

Seeded tickets carry ``attributes = {"seed_bulk": 1}``; ``--reset`` deletes exactly those and every
row that points at them. Tickets spread over services, kelurahan, departments, statuses and the
last two years; ``--department-share CODE:N`` puts N of them in one department and keeps the rest
out of it, so that department's queue has a known size.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from complaints.models import EventType, Privacy, Status, Ticket, TicketEvent
from services.models import Area, Department, Service

SEED_MARK = {"seed_bulk": 1}
# Roughly a city's mix after two years: most tickets closed, a working set open.
STATUS_WEIGHTS = [
    (Status.ROUTED, 8),
    (Status.ACKNOWLEDGED, 6),
    (Status.IN_PROGRESS, 10),
    (Status.RESOLVED, 8),
    (Status.CLOSED, 58),
    (Status.REJECTED, 5),
    (Status.DUPLICATE, 5),
]
PRIVACY_WEIGHTS = [(Privacy.PUBLIC, 85), (Privacy.ANONYMOUS, 10), (Privacy.CONFIDENTIAL, 5)]
WORDS = (
    "sampah menumpuk jalan rusak berlubang lampu mati banjir genangan drainase tersumbat pohon tumbang "
    "bau siring sungai kotor trotoar jembatan titian parkir liar pasar gang depan rumah sekolah masjid"
).split()


def _escape(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


class Command(BaseCommand):
    help = "Seed N tickets (default 1,000,000) with events using PostgreSQL COPY, for the queue benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument(
            "--department-share", default="", help="CODE:N, e.g. dlh:100000 — N tickets in that department only."
        )
        parser.add_argument("--reset", action="store_true", help="Delete previously seeded tickets first.")
        parser.add_argument("--batch", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_bulk needs PostgreSQL (COPY).")
        if not Service.objects.exists() or not Area.objects.filter(level=Area.Level.KELURAHAN).exists():
            raise CommandError("Seed the city first: python manage.py seed_city")
        started = time.monotonic()
        if options["reset"]:
            removed = self.reset()
            self.stdout.write(f"removed {removed} seeded tickets")
        count = options["count"]
        if count <= 0:
            return
        share_department, share_count = None, 0
        if options["department_share"]:
            code, _, number = options["department_share"].partition(":")
            share_department = Department.objects.filter(code=code).first()
            if share_department is None or not number.isdigit():
                raise CommandError("--department-share wants CODE:N with an existing department code.")
            share_count = min(int(number), count)
        self.prepare(share_department)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM complaints_ticket")
            next_id = cursor.fetchone()[0] + 1
        # Reproducible for a given start, different on every top-up (tokens are unique).
        self.rng = random.Random(f"{options['seed']}-{next_id}")
        done = 0
        while done < count:
            size = min(options["batch"], count - done)
            in_share = max(0, min(size, share_count - done))
            with transaction.atomic():
                self.copy_batch(next_id, size, in_share, share_department)
            next_id += size
            done += size
            self.stdout.write(f"  {done:>9,} tickets  ({time.monotonic() - started:5.1f} s)")
        with connection.cursor() as cursor:
            for table in ("complaints_ticket", "complaints_ticketevent"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            # VACUUM sets the visibility map, so counts and queue pages read indexes without the heap.
            cursor.execute("VACUUM ANALYZE complaints_ticket")
            cursor.execute("VACUUM ANALYZE complaints_ticketevent")
        self.stdout.write(self.style.SUCCESS(f"seeded {count:,} tickets in {time.monotonic() - started:.1f} s"))

    # --- set-up -------------------------------------------------------------------------------

    def prepare(self, share_department):
        services = list(Service.objects.select_related("default_department"))
        self.share_services = []
        if share_department is not None:
            self.share_services = [s for s in services if s.default_department_id == share_department.pk] or services
            services = [s for s in services if s.default_department_id != share_department.pk]
        self.services = services
        self.areas = list(Area.objects.filter(level=Area.Level.KELURAHAN).values("id", "label_lat", "label_lng"))
        self.statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
        self.privacies = [p for p, w in PRIVACY_WEIGHTS for _ in range(w)]
        self.now = timezone.now()
        self.fields = [f for f in Ticket._meta.concrete_fields if f.name != "id"]
        self.event_fields = [f for f in TicketEvent._meta.concrete_fields if f.name != "id"]

    def ticket_values(self, pk: int, service: Service) -> dict:
        rng = self.rng
        created = self.now - dt.timedelta(seconds=rng.randint(0, 730 * 86400))
        status = rng.choice(self.statuses)
        area = rng.choice(self.areas)
        routed = created + dt.timedelta(minutes=rng.randint(1, 30))
        response_due = routed + dt.timedelta(days=service.response_sla_days + 1)
        resolution_due = routed + dt.timedelta(days=service.resolution_sla_days + 2)
        title = " ".join(rng.choices(WORDS, k=4)).capitalize()
        values = {
            "reference": f"BJM-{timezone.localtime(created).year}-{pk:06d}",
            "kind": service.kind,
            "service": service.pk,
            "channel": "web",
            "title": title,
            "description": title + ". " + " ".join(rng.choices(WORDS, k=12)) + ".",
            "attributes": json.dumps(SEED_MARK),
            "status": status,
            "priority": rng.choice((1, 2, 2, 2, 3, 4)),
            "privacy": rng.choice(self.privacies),
            "show_name": False,
            "reporter_name": "Warga",
            "reporter_email": f"warga{pk}@example.id",
            "reporter_phone": "",
            "email_confirmed": True,
            "confirmation_token": uuid.UUID(int=rng.getrandbits(128), version=4),
            "notify_reporter": False,
            "lat": area["label_lat"] + rng.uniform(-0.002, 0.002),
            "lng": area["label_lng"] + rng.uniform(-0.002, 0.002),
            "address": "",
            "area": area["id"],
            "department": service.default_department_id,
            "support_count": rng.choice((0, 0, 0, 1, 2, 5)),
            "escalation_level": 0,
            "created_at": created,
            "updated_at": routed,
            "routed_at": routed,
            "response_due_at": response_due,
            "resolution_due_at": resolution_due,
        }
        if status not in (Status.ROUTED,):
            values["acknowledged_at"] = routed + dt.timedelta(hours=rng.randint(1, 72))
        if status in (Status.RESOLVED, Status.CLOSED):
            values["resolved_at"] = routed + dt.timedelta(days=rng.randint(1, 12))
        if status in (Status.CLOSED, Status.REJECTED, Status.DUPLICATE):
            values["closed_at"] = routed + dt.timedelta(days=rng.randint(2, 20))
        return values

    def copy_batch(self, first_id: int, size: int, in_share: int, share_department) -> None:
        tickets = io.StringIO()
        events = io.StringIO()
        columns = ["id"] + [f.column for f in self.fields]
        event_columns = [f.column for f in self.event_fields]
        for offset in range(size):
            pk = first_id + offset
            pool = self.share_services if offset < in_share else self.services
            service = self.rng.choice(pool)
            values = self.ticket_values(pk, service)
            if offset < in_share:
                values["department"] = share_department.pk
            row = [str(pk)]
            for field in self.fields:
                if field.name in values:
                    row.append(_escape(values[field.name]))
                elif field.null:
                    row.append(r"\N")
                else:
                    default = field.get_default()
                    row.append(_escape(json.dumps(default) if isinstance(default, dict | list) else default))
            tickets.write("\t".join(row) + "\n")
            for kind, moment in self.events_for(values):
                event = {
                    "ticket": pk,
                    "type": kind,
                    "payload": "{}",
                    "actor": None,
                    "public": True,
                    "created_at": moment,
                }
                events.write("\t".join(_escape(event.get(f.name)) for f in self.event_fields) + "\n")
        tickets.seek(0)
        events.seek(0)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            raw.copy_expert(f"COPY complaints_ticket ({', '.join(columns)}) FROM STDIN", tickets)
            raw.copy_expert(f"COPY complaints_ticketevent ({', '.join(event_columns)}) FROM STDIN", events)

    def events_for(self, values: dict):
        yield EventType.SUBMITTED, values["created_at"]
        yield EventType.ROUTED, values["routed_at"]
        if values.get("acknowledged_at"):
            yield EventType.ACKNOWLEDGED, values["acknowledged_at"]
        if values.get("resolved_at"):
            yield EventType.RESOLVED, values["resolved_at"]
        status = values["status"]
        if status in (Status.CLOSED, Status.REJECTED, Status.DUPLICATE):
            kind = {Status.CLOSED: EventType.CLOSED, Status.REJECTED: EventType.REJECTED}.get(status, EventType.MERGED)
            yield kind, values["closed_at"]

    # --- reset --------------------------------------------------------------------------------

    def reset(self) -> int:
        """Delete seeded tickets and every row that references them (found from the catalogue's foreign keys)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE seeded ON COMMIT DROP AS "
                "SELECT id FROM complaints_ticket WHERE attributes @> %s::jsonb",
                [json.dumps(SEED_MARK)],
            )
            cursor.execute("SELECT COUNT(*) FROM seeded")
            removed = cursor.fetchone()[0]
            if not removed:
                return 0
            cursor.execute("CREATE INDEX ON seeded (id)")
            cursor.execute(
                """
                SELECT cl.relname, att.attname
                FROM pg_constraint con
                JOIN pg_class cl ON cl.oid = con.conrelid
                JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY (con.conkey)
                WHERE con.contype = 'f' AND con.confrelid = 'complaints_ticket'::regclass
                """
            )
            for table, column in cursor.fetchall():
                if table == "complaints_ticket":
                    cursor.execute(
                        f'UPDATE complaints_ticket SET "{column}" = NULL WHERE "{column}" IN (SELECT id FROM seeded)'
                    )
                else:
                    cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" IN (SELECT id FROM seeded)')
            cursor.execute("DELETE FROM complaints_ticket WHERE id IN (SELECT id FROM seeded)")
        return removed
