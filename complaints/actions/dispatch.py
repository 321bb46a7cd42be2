"""Routing a ticket to its department, forwarding it (disposisi), escalating overdue tickets and
closing resolved ones after the citizen's window. See complaints/actions/__init__.py.

``complaints.routing`` decides; these functions fetch the facts, apply the decision in one
transaction on a locked row, record one event per ticket and queue the notifications. Each is safe
to run twice: a second run finds nothing to do and records nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.geo import locate_id
from services.models import Area, Department, Service, StaffMembership
from services.rules import active_rules, most_specific
from smartcity.taskqueue import enqueue

from .. import classifier, routing, workflow
from ..events import new_event, record_event
from ..models import OPEN_STATUSES, DuplicateCandidate, EventType, Status, Ticket, TicketEvent
from ..notifications import notify_followers, notify_staff, sent_together
from .deadlines import end_citizen_wait, resume_expired_waits

log = logging.getLogger(__name__)

__all__ = [
    "route_ticket",
    "forward_ticket",
    "escalate_overdue",
    "close_expired_resolutions",
    "route_pending",
    "route_batch",
]

# As the staff page's and the REST API's reason fields (4000): a forwarder who wrote 3000 characters there was
# refused here, after the page had accepted them.
MAX_REASON = 4000
# A forward of a report without a service (filed as "Not sure", at the triage desk) must name one: the staff page's
# forward form and the REST API say the same.
SERVICE_REQUIRED = _("This report has no service yet: choose the one it is about.")
MAX_DUPLICATE_LINKS = 20


# --- facts -------------------------------------------------------------------------------------


class _Facts:
    """What routing reads that does not change from one ticket to the next, fetched once per batch.

    Lives for one transaction only (one ``route_batch`` run), so nothing is ever stale for longer
    than the batch: a new routing rule, member or day off counts from the next batch on. The batch's
    decisions are all taken before anything is written, so the counts that earlier tickets of the
    batch change (clusters, assignees' loads) are kept up to date here as each decision is taken.
    """

    def __init__(self):
        self.areas: dict[int, Area] = {}
        self.rules: dict[int, dict] | None = None  # service → area (None: city-wide) → applicable rule
        self.services: dict[str, Service | None] = {}
        self.members: dict[int, list] = {}
        self.loads: dict[int, dict[int, int]] = {}  # department → member → open tickets assigned
        self.users: dict[int, object] = {}
        self.triage: list = []
        self.calendar = None
        self.clusters: dict[tuple[int, int], int] = {}  # (service, area) → open tickets when the batch began
        self.cluster_moves: dict[tuple[int, int], int] = {}  # … plus the batch's own tickets moved in or out
        self.followers: dict[int, list] | None = None  # a batch fetches every ticket's subscriptions at once
        self.department_heads: dict[int, list] = {}

    def load_areas(self, area_ids) -> None:
        """The kelurahan of many pins in one query (polygons are in the in-memory geo index already)."""
        wanted = set(area_ids) - set(self.areas)
        if wanted:
            self.areas.update(Area.objects.defer("boundary").in_bulk(wanted))

    def area(self, area_id: int) -> Area:
        if area_id not in self.areas:
            self.areas[area_id] = Area.objects.defer("boundary").get(pk=area_id)
        return self.areas[area_id]

    def department_for(self, service: Service, area: Area | None):
        if self.rules is None:  # a handful of rules in a city: all of them at once
            self.rules = active_rules()
        return most_specific(service=service, area=area, rules=self.rules.get(service.pk, {}))

    def load_clusters(self, keys) -> None:
        """Open-ticket counts of many (service, kelurahan) pairs in one query."""
        wanted = {key for key in keys if None not in key and key not in self.clusters}
        if not wanted:
            return
        rows = (
            Ticket.objects.filter(
                service_id__in={s for s, _a in wanted}, area_id__in={a for _s, a in wanted}, status__in=OPEN_STATUSES
            )
            .order_by()
            .values_list("service_id", "area_id")
            .annotate(open=Count("pk"))
        )
        found = {(service_id, area_id): count for service_id, area_id, count in rows}
        for key in wanted:
            self.clusters[key] = found.get(key, 0)

    def open_in_cluster(self, ticket: Ticket, service: Service | None, area: Area | None) -> int:
        """Open tickets of the service in the kelurahan as a fresh count would see them with the batch's
        earlier tickets written and this one not yet (a pin in another kelurahan, a classified service)."""
        if service is None or area is None:
            return 0
        key = (service.pk, area.pk)
        if key not in self.clusters:
            self.clusters[key] = _open_in_cluster(service, area)
        return self.clusters[key] + self.cluster_moves.get(key, 0)

    def join_cluster(self, ticket: Ticket, service: Service | None, area: Area | None) -> None:
        """Count the routed ticket in its (service, kelurahan) from now on, and no longer in its old one."""
        new = (service.pk if service else None, area.pk if area else None)
        old = (ticket.service_id, ticket.area_id)
        if new != old:
            self.cluster_moves[new] = self.cluster_moves.get(new, 0) + 1
            self.cluster_moves[old] = self.cluster_moves.get(old, 0) - 1

    def service(self, code: str) -> Service | None:
        if code not in self.services:
            self.services[code] = (
                Service.objects.select_related("default_department").filter(code=code, active=True).first()
            )
        return self.services[code]

    def triage_department(self) -> Department | None:
        if not self.triage:
            self.triage.append(_triage_department())
        return self.triage[0]

    def load_members(self, department_ids) -> None:
        """Active members of many departments in one query (what ``_members`` returns for each)."""
        wanted = set(department_ids) - set(self.members)
        if not wanted:
            return
        for department_id in wanted:
            self.members[department_id] = []
        seen = set()
        memberships = StaffMembership.objects.filter(
            department_id__in=wanted, active=True, user__is_active=True
        ).select_related("user")
        for membership in memberships.order_by("department_id", "user_id"):
            if (membership.department_id, membership.user_id) not in seen:
                seen.add((membership.department_id, membership.user_id))
                self.members[membership.department_id].append(membership.user)

    def department_members(self, department: Department) -> list:
        if department.pk not in self.members:
            self.members[department.pk] = list(_members(department))
        return self.members[department.pk]

    def assignee(self, department: Department):
        """``_auto_assignee`` with the members' loads read once and counted on as the batch assigns."""
        if not department.auto_assign:
            return None
        if department.pk not in self.loads:
            users = list(_member_loads(department))
            self.loads[department.pk] = {user.pk: user.load for user in users}
            self.users.update((user.pk, user) for user in users)
        loads = self.loads[department.pk]
        user_id = routing.pick_assignee(loads)
        if user_id is None:
            return None
        loads[user_id] += 1
        return self.users[user_id]

    def due_dates(self, *, start, response_days, resolution_days, priority=None):
        if self.calendar is None:
            self.calendar = routing.WorkingCalendar(start)
        return self.calendar.due_dates(
            start=start, response_days=response_days, resolution_days=resolution_days, priority=priority
        )

    def heads(self, department_id: int) -> list:
        """The department's heads, read once per batch (an urgent ticket's emails go to them too)."""
        if department_id not in self.department_heads:
            self.department_heads[department_id] = list(_heads(department_id))
        return self.department_heads[department_id]


_NOT_LOCATED = object()


def _pin_area_id(ticket: Ticket) -> int | None:
    return locate_id(ticket.lat, ticket.lng) if ticket.lat is not None and ticket.lng is not None else None


def _area_for(ticket: Ticket, facts: _Facts | None = None, pin_area_id=_NOT_LOCATED) -> tuple[Area | None, str]:
    """The kelurahan from the pin when it lies in the city, else the one the citizen chose.

    ``pin_area_id``: the pin's kelurahan (``_pin_area_id``) when the caller has located it already.
    """
    area_id = _pin_area_id(ticket) if pin_area_id is _NOT_LOCATED else pin_area_id
    if area_id is not None:
        if area_id == ticket.area_id:
            return ticket.area, "pin"
        if facts is not None:
            return facts.area(area_id), "pin"
        return Area.objects.defer("boundary").get(pk=area_id), "pin"
    if ticket.area_id:
        return ticket.area, "chosen"
    return None, ""


def _triage_department() -> Department | None:
    return Department.objects.filter(is_triage=True, active=True).order_by("pk").first()


def _classify(ticket: Ticket, facts: _Facts | None = None) -> tuple[Service | None, classifier.Classification]:
    """The classifier's service for a "not sure" ticket, or None when it is not confident enough."""
    result = classifier.classify(f"{ticket.title}. {ticket.description}")
    if result.service_code is None or result.score < classifier.threshold():
        return None, result
    if facts is not None:
        return facts.service(result.service_code), result
    service = Service.objects.select_related("default_department").filter(code=result.service_code, active=True).first()
    return service, result


def _open_in_cluster(service: Service | None, area: Area | None) -> int:
    if service is None or area is None:
        return 0
    return Ticket.objects.filter(service=service, area=area, status__in=OPEN_STATUSES).count()


# Candidates taken nearest first in SQL (flat-earth distance, exact enough at 250 m to rank) before the
# exact (haversine) check in Python; twice MAX_DUPLICATE_LINKS, so ranking errors (< 1 mm) cannot matter.
DUPLICATE_SHORTLIST = 2 * MAX_DUPLICATE_LINKS
_TICKET = Ticket._meta.db_table
# One raw expression: cheap to build per ticket (an F()/Value() tree costs more CPU than the query itself).
_NEAREST = (
    f'("{_TICKET}"."lat" - %s) * ("{_TICKET}"."lat" - %s) + ("{_TICKET}"."lng" - %s) * ("{_TICKET}"."lng" - %s) * %s'
)
# The same shortlist for many tickets in one statement (PostgreSQL): one LATERAL subquery per ticket.
_NEAREST_MANY = f"""
SELECT u.id, c.id, c.lat, c.lng
FROM unnest(%s::bigint[], %s::bigint[], %s::float8[], %s::float8[], %s::float8[], %s::float8[], %s::float8[],
            %s::float8[], %s::float8[], %s::timestamptz[])
     AS u(id, service_id, lat, lng, min_lat, max_lat, min_lng, max_lng, scale, since)
CROSS JOIN LATERAL (
    SELECT t.id, t.lat, t.lng FROM "{_TICKET}" t
    WHERE t.service_id = u.service_id AND t.status IN %s AND t.created_at >= u.since
      AND t.lat BETWEEN u.min_lat AND u.max_lat AND t.lng BETWEEN u.min_lng AND u.max_lng AND t.id <> u.id
    ORDER BY (t.lat - u.lat) * (t.lat - u.lat) + (t.lng - u.lng) * (t.lng - u.lng) * u.scale, t.id
    LIMIT %s
) AS c
"""


def _duplicates(ticket: Ticket, service: Service | None, now: dt.datetime) -> list[tuple[int, int]]:
    """Open tickets of the same service within the radius, filed in the last N days (bounding box in SQL)."""
    if service is None or ticket.lat is None or ticket.lng is None:
        return []
    min_lat, max_lat, min_lng, max_lng = routing.duplicate_box(ticket.lat, ticket.lng)
    scale = math.cos(math.radians(ticket.lat))
    rows = (
        Ticket.objects.filter(
            service=service,
            status__in=OPEN_STATUSES,
            created_at__gte=now - dt.timedelta(days=routing.duplicate_days()),
            lat__range=(min_lat, max_lat),
            lng__range=(min_lng, max_lng),
        )
        .exclude(pk=ticket.pk)
        .order_by(RawSQL(_NEAREST, (ticket.lat, ticket.lat, ticket.lng, ticket.lng, scale * scale)).asc(), "pk")
        .values_list("pk", "lat", "lng")[:DUPLICATE_SHORTLIST]
    )
    # The nearest few are what staff compare; hundreds of links on a busy corner help nobody.
    return routing.duplicate_matches(lat=ticket.lat, lng=ticket.lng, candidates=rows)[:MAX_DUPLICATE_LINKS]


def _numbers_array(values) -> str:
    """A PostgreSQL array literal of numbers ("{1,2.5,NULL}"); for thousands of values it costs a fraction
    of psycopg2's ARRAY[...] adaptation. ``repr`` of a float is its shortest exact form, so nothing is rounded."""
    return "{" + ",".join("NULL" if value is None else repr(value) for value in values) + "}"


def _duplicates_of_many(tickets: list[tuple[Ticket, Service | None, dt.datetime]]) -> dict[int, list[tuple[int, int]]]:
    """``_duplicates`` for each (ticket, service, now), by ticket id: one statement on PostgreSQL."""
    found: dict[int, list] = {ticket.pk: [] for ticket, _s, _n in tickets}
    wanted = [(t, s, n) for t, s, n in tickets if s is not None and t.lat is not None and t.lng is not None]
    if connection.vendor != "postgresql":
        for ticket, service, now in wanted:
            found[ticket.pk] = _duplicates(ticket, service, now)
        return found
    if not wanted:
        return found
    columns: list[list] = [[] for _ in range(10)]
    days = dt.timedelta(days=routing.duplicate_days())
    for ticket, service, now in wanted:
        box = routing.duplicate_box(ticket.lat, ticket.lng)
        scale = math.cos(math.radians(ticket.lat))
        row = (ticket.pk, service.pk, ticket.lat, ticket.lng, *box, scale * scale, now - days)
        for column, value in zip(columns, row):
            column.append(value)
    candidates: dict[int, list] = {ticket.pk: [] for ticket, _s, _n in wanted}
    with connection.cursor() as cursor:
        numbers = [_numbers_array(column) for column in columns[:-1]]
        cursor.execute(_NEAREST_MANY, [*numbers, columns[-1], tuple(OPEN_STATUSES), DUPLICATE_SHORTLIST])
        for ticket_id, *candidate in cursor.fetchall():
            candidates[ticket_id].append(candidate)
    for ticket, _service, _now in wanted:
        matches = routing.duplicate_matches(lat=ticket.lat, lng=ticket.lng, candidates=candidates[ticket.pk])
        found[ticket.pk] = matches[:MAX_DUPLICATE_LINKS]
    return found


def _duplicate_links(ticket: Ticket, matches: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(ticket, candidate, metres) both ways, so each ticket's page lists the other; never merged automatically."""
    links = []
    for other_id, metres in matches:
        links.append((ticket.pk, other_id, metres))
        links.append((other_id, ticket.pk, metres))
    return links


def _insert_links(links: list[tuple[int, int, int]]) -> None:
    """One INSERT per transaction, in key order: two workers linking each other's tickets (the same
    pairs, both ways) then wait for one another in the same order and never deadlock. A pair found
    from both of its tickets in one batch is inserted once (each row costs two foreign-key checks)."""
    if not links:
        return
    links = sorted({(t, c): (t, c, d) for t, c, d in links}.values())
    if connection.vendor != "postgresql":
        DuplicateCandidate.objects.bulk_create(
            [DuplicateCandidate(ticket_id=t, candidate_id=c, distance_m=d) for t, c, d in links],
            ignore_conflicts=True,
        )
        return
    table = DuplicateCandidate._meta.db_table
    with connection.cursor() as cursor:  # thousands of rows on a busy corner: no model instances
        cursor.execute(
            f"INSERT INTO {table} (ticket_id, candidate_id, distance_m, created_at) "
            "SELECT t, c, d, now() FROM unnest(%s::bigint[], %s::bigint[], %s::integer[]) AS u(t, c, d) "
            "ORDER BY t, c ON CONFLICT DO NOTHING",
            [_numbers_array(column) for column in zip(*links)],
        )


def _members(department: Department):
    User = get_user_model()
    return User.objects.filter(
        is_active=True,
        memberships__department=department,
        memberships__active=True,
    ).distinct()


def _member_loads(department: Department):
    """The department's active members, each with ``load``: their open tickets of this department."""
    return _members(department).annotate(
        load=Count(
            "assigned_tickets",
            filter=Q(assigned_tickets__status__in=OPEN_STATUSES, assigned_tickets__department=department),
        )
    )


def _auto_assignee(department: Department):
    """The active member with the fewest open tickets of this department, when auto-assignment is on."""
    if not department.auto_assign:
        return None
    users = {user.pk: user for user in _member_loads(department)}
    user_id = routing.pick_assignee({pk: user.load for pk, user in users.items()})
    return users[user_id] if user_id else None


def _notify_department(ticket: Ticket, event, facts: _Facts | None = None) -> None:
    """The assignee if there is one, else every active member; plus the department's address. An urgent ticket's
    email goes to the department's heads too, whoever is assigned (one email each: ``notify_staff`` counts each
    address once): on a Saturday night the assignee may not read it before Monday."""
    if ticket.assignee_id:
        users = [ticket.assignee]
    elif facts is not None:
        users = facts.department_members(ticket.department)
    else:
        users = list(_members(ticket.department))
    if ticket.priority == routing.PRIORITY_URGENT:
        users = [*users, *(facts.heads(ticket.department_id) if facts is not None else _heads(ticket.department_id))]
    notify_staff(ticket=ticket, event=event, users=users)


def _event_dates(ticket: Ticket) -> dict:
    return {
        "response_due_at": ticket.response_due_at.isoformat() if ticket.response_due_at else None,
        "resolution_due_at": ticket.resolution_due_at.isoformat() if ticket.resolution_due_at else None,
    }


# --- routing -------------------------------------------------------------------------------------


def _relax_commit_durability() -> None:
    """Let PostgreSQL acknowledge this transaction's commit before its WAL reaches the disk.

    Routing is derived data: if the database crashed within the next fraction of a second and lost
    the commit, the ticket would simply be ``submitted`` again and the sweep would route it anew. The
    filing itself (the citizen's ticket) keeps full durability. This takes the disk flush (several
    milliseconds) off every routed ticket.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# The lock queries run for every routing task, most of which find their ticket routed already (a batch
# took it): written out once rather than built by the ORM each time (that cost more than the query).
_WAITING = f'"{_TICKET}"."status" = %s AND "{_TICKET}"."email_confirmed"'
_WAITING_ONE = f'SELECT "{_TICKET}"."id" FROM "{_TICKET}" WHERE "{_TICKET}"."id" = %s AND {_WAITING}'
_WAITING_OLDEST = (
    f'SELECT "{_TICKET}"."id" FROM "{_TICKET}" WHERE {_WAITING} AND "{_TICKET}"."id" <> %s '
    f'ORDER BY "{_TICKET}"."created_at" LIMIT %s'
)


def _lock_clause(skip_locked: bool) -> str:
    """``FOR NO KEY UPDATE`` (not ``FOR UPDATE``): routing never changes the key, and the weaker lock does
    not block another worker inserting a duplicate link or an event that references this row. SQLite
    has no row locks (it locks the whole database for the transaction)."""
    features = connection.features
    if not features.has_select_for_update:
        return ""
    clause = " FOR NO KEY UPDATE" if features.has_select_for_no_key_update else " FOR UPDATE"
    if skip_locked and features.has_select_for_update_skip_locked:
        clause += " SKIP LOCKED"
    return clause


def _lock_waiting(ticket_id: int, *, skip_locked: bool = False) -> list[int]:
    """[ticket_id] when it is submitted and confirmed, locked for this transaction; else []."""
    with connection.cursor() as cursor:
        cursor.execute(_WAITING_ONE + _lock_clause(skip_locked), [ticket_id, Status.SUBMITTED.value])
        return [row[0] for row in cursor.fetchall()]


def _lock_oldest_waiting(limit: int, *, besides: int | None = None) -> list[int]:
    """Ids of up to ``limit`` submitted, confirmed tickets, oldest first, that no other transaction has
    locked (``SKIP LOCKED``), locked for this one."""
    with connection.cursor() as cursor:
        cursor.execute(
            _WAITING_OLDEST + _lock_clause(skip_locked=True),
            [Status.SUBMITTED.value, besides if besides is not None else 0, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def is_waiting(ticket_id: int) -> bool:
    """Whether the ticket is (as last committed) submitted and confirmed; no lock, one cheap query."""
    with connection.cursor() as cursor:
        cursor.execute(_WAITING_ONE, [ticket_id, Status.SUBMITTED.value])
        return cursor.fetchone() is not None


def _load_locked(ids: list[int]) -> list[Ticket]:
    """The tickets (with what routing reads) whose rows this transaction has locked, in the order given."""
    found = {
        ticket.pk: ticket
        for ticket in Ticket.objects.select_related("service__default_department", "area")
        .defer("area__boundary")  # polygons are in the in-memory geo index already
        .filter(pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found]


@dataclass
class _Decision:
    """Steps 1–7 decided for one locked ``submitted`` ticket, already set on ``ticket`` but not written."""

    ticket: Ticket
    now: dt.datetime
    area_source: str
    classification: classifier.Classification | None
    rule: object
    priority: routing.PriorityDecision
    # The service's department when it is inactive and no rule gave an active one: why the triage desk has it.
    inactive_department: Department | None = None


def _decide(ticket: Ticket, facts: _Facts, pin_area_id=_NOT_LOCATED) -> _Decision | None:
    """Area, service, department, priority, due dates and assignee for one ticket whose row this
    transaction has locked (and found ``submitted``); nothing is written. None: it cannot be routed now."""
    now = timezone.now()
    area, area_source = _area_for(ticket, facts, pin_area_id)

    classification = None
    service = ticket.service
    if service is None:
        service, classification = _classify(ticket, facts)

    rule = department = inactive_department = None
    if service is not None:
        department, rule = facts.department_for(service, area)
        if department is None:  # its department is inactive and no rule names an active one: as "not sure"
            inactive_department = service.default_department
    if department is None:
        department = facts.triage_department()
        if department is None:
            log.error("ticket %s needs the triage desk but no active department has is_triage set", ticket.pk)
            return None

    priority = routing.decide_priority(
        default=service.default_priority if service else ticket.priority,
        text=f"{ticket.title} {ticket.description}",
        open_in_cluster=facts.open_in_cluster(ticket, service, area),
    )
    response_due, resolution_due = facts.due_dates(
        start=now,
        response_days=service.response_sla_days if service else None,
        resolution_days=service.resolution_sla_days if service else None,
        priority=priority.priority,
    )
    assignee = facts.assignee(department)
    # Nothing below can fail: the batch's running counts move only for a ticket that will be written.
    facts.join_cluster(ticket, service, area)

    ticket.area = area
    if service is not None and ticket.service_id is None:
        ticket.service = service
        ticket.kind = service.kind
    if classification is not None:
        ticket.classifier_score = classification.score
    ticket.department = department
    ticket.priority = priority.priority
    ticket.status = Status.ROUTED
    ticket.routed_at = now
    ticket.response_due_at = response_due
    ticket.resolution_due_at = resolution_due
    ticket.assignee = assignee
    return _Decision(ticket, now, area_source, classification, rule, priority, inactive_department)


ROUTED_FIELDS = (
    "area",
    "service",
    "kind",
    "classifier_score",
    "department",
    "priority",
    "status",
    "routed_at",
    "response_due_at",
    "resolution_due_at",
    "assignee",
    "updated_at",
)


def _save_routed(tickets: list[Ticket]) -> None:
    """Write the decided fields of many tickets: one UPDATE … FROM unnest(…) on PostgreSQL."""
    if connection.vendor != "postgresql":
        for ticket in tickets:
            ticket.save(update_fields=ROUTED_FIELDS)
        return
    fields = [Ticket._meta.get_field(name) for name in ROUTED_FIELDS]
    pk = Ticket._meta.pk
    columns = [[pk.get_db_prep_save(ticket.pk, connection) for ticket in tickets]]
    for field in fields:
        values = []
        for ticket in tickets:
            field.pre_save(ticket, add=False)  # updated_at (auto_now), as save() sets it
            values.append(field.get_db_prep_save(getattr(ticket, field.attname), connection))
        columns.append(values)
    quote = connection.ops.quote_name
    names = [quote(pk.column)] + [quote(field.column) for field in fields]
    arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in [pk, *fields])
    assignments = ", ".join(f"{name} = u.{name}" for name in names[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Ticket._meta.db_table)} AS t SET {assignments} "
            f"FROM unnest({arrays}) AS u({', '.join(names)}) WHERE t.{names[0]} = u.{names[0]}",
            columns,
        )


def _apply(decisions: list[_Decision], facts: _Facts) -> None:
    """Write the decisions: the tickets, their duplicate links (step 5, which sees every ticket of the
    batch already moved), one ``routed`` event each with its reasons, and the notifications (step 8)."""
    tickets = [decision.ticket for decision in decisions]
    _save_routed(tickets)
    matches = _duplicates_of_many([(ticket, ticket.service, d.now) for ticket, d in zip(tickets, decisions)])
    _insert_links([link for ticket in tickets for link in _duplicate_links(ticket, matches[ticket.pk])])
    events = TicketEvent.objects.bulk_create(
        [
            new_event(
                ticket=ticket,
                type=EventType.ROUTED,
                payload={
                    "department": ticket.department.short_name,
                    "department_id": ticket.department_id,
                    "service": ticket.service.code if ticket.service_id else "",
                    "priority": ticket.priority,
                    **_event_dates(ticket),
                    "reasons": routing.routed_reasons(
                        rule=decision.rule,
                        classification=decision.classification,
                        triage=ticket.service_id is None or decision.inactive_department is not None,
                        inactive_department=decision.inactive_department,
                        priority=decision.priority,
                        duplicates=len(matches[ticket.pk]),
                        area_source=decision.area_source,
                    ),
                },
            )
            for ticket, decision in zip(tickets, decisions)
        ]
    )
    facts.load_members({t.department_id for t in tickets if not t.assignee_id} - set(facts.members))
    for ticket, event in zip(tickets, events):
        followers = facts.followers.get(ticket.pk) if facts.followers is not None else None
        notify_followers(ticket=ticket, event=event, subscriptions=followers)
        _notify_department(ticket, event, facts)


def route_ticket(*, ticket_id: int) -> Ticket | None:
    """Route a submitted (and email-confirmed) ticket: area, service, department, priority, duplicates,
    due dates, assignment, a ``routed`` event with its reasons, notifications.

    At most once per ticket: the row is locked and must still be ``submitted``; otherwise nothing
    happens and None is returned. Runs in one transaction.
    """
    with transaction.atomic():
        routed = _route_locked_ids(_lock_waiting(ticket_id), own=ticket_id)
    return routed[0] if routed else None


# Errors that break the whole transaction (or the connection): the batch is retried as a whole.
_BATCH_FATAL = (OperationalError, InterfaceError)


def route_batch(*, ticket_id: int | None = None, limit: int = 50) -> list[int]:
    """Route ``ticket_id`` (when still waiting and not locked by another worker) and up to ``limit``
    other waiting tickets, oldest first, in one transaction. Returns the ids routed.

    Tickets another worker has locked are skipped (``SKIP LOCKED``), so concurrent batches never
    wait for each other nor route a ticket twice; each ticket is still locked and checked ``submitted``
    exactly as ``route_ticket`` does. Shared facts (rules, services, members, days off, cluster counts)
    are read once; every ticket is decided first, then all are written with one statement per table.
    A ticket whose decision fails is logged and left ``submitted`` for its own task or the sweep; if
    the writing fails, each ticket is written again in its own savepoint so only the bad one stays.
    Notification rows are written with one INSERT and sent by one ``send_notifications`` task per
    chunk after commit.
    """
    with transaction.atomic():
        ids = _lock_waiting(ticket_id, skip_locked=True) if ticket_id is not None else []
        if limit > len(ids):
            ids += _lock_oldest_waiting(limit - len(ids), besides=ticket_id)
        return [ticket.pk for ticket in _route_locked_ids(ids, own=ticket_id)]


def _route_locked_ids(ids: list[int], *, own: int | None) -> list[Ticket]:
    """Decide and write routing for the tickets this transaction has locked (see ``route_batch``).
    A failure of ``own`` (the task's own ticket) is raised: the task retries, then the sweep."""
    from ..notifications import NotificationBatch, followers_of

    if not ids:
        return []
    tickets = _load_locked(ids)
    _relax_commit_durability()
    facts = _Facts()
    facts.followers = followers_of(ids)
    located = {ticket.pk: _pin_area_id(ticket) for ticket in tickets}
    facts.load_areas(area_id for area_id in located.values() if area_id is not None)
    # The clusters each ticket leaves and most likely joins (its service, its pin's kelurahan).
    facts.load_clusters([(t.service_id, t.area_id) for t in tickets] + [(t.service_id, located[t.pk]) for t in tickets])
    decisions = []
    for ticket in tickets:
        try:
            decision = _decide(ticket, facts, located[ticket.pk])
        except _BATCH_FATAL:
            raise
        except Exception:
            if ticket.pk == own:
                raise
            log.exception("routing ticket %s failed in a batch; it stays submitted", ticket.pk)
            continue
        if decision is not None:
            decisions.append(decision)
    batch = NotificationBatch()
    try:
        with transaction.atomic(), batch.collecting():
            _apply(decisions, facts)
        written = decisions
    except _BATCH_FATAL:
        raise
    except Exception:
        if len(decisions) == 1 and decisions[0].ticket.pk == own:
            raise
        log.warning("writing a routing batch failed; writing its tickets one by one", exc_info=True)
        written = []
        for decision in decisions:
            try:
                with transaction.atomic(), batch.collecting():
                    _apply([decision], facts)
            except _BATCH_FATAL:
                raise
            except Exception:
                if decision.ticket.pk == own:
                    raise
                log.exception("routing ticket %s failed in a batch; it stays submitted", decision.ticket.pk)
                continue
            written.append(decision)
    batch.write_and_send_on_commit()
    return [decision.ticket for decision in written]


def route_pending(*, grace_seconds: int = 120) -> int:
    """The sweep: enqueue routing again for tickets still submitted (and confirmed) after the grace period.

    The database is the source of truth; this catches filings whose task was never published (broker
    down) or was lost (worker killed, broker restarted without persistence). Returns how many were sent.
    """
    from ..tasks import route_ticket as route_task

    cutoff = timezone.now() - dt.timedelta(seconds=grace_seconds)
    ids = list(
        Ticket.objects.filter(status=Status.SUBMITTED, email_confirmed=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
    sent = 0
    for ticket_id in ids:
        if not enqueue(route_task, ticket_id):
            break  # the broker is still away; the next sweep tries again
        sent += 1
    return sent


# --- forwarding (disposisi) ----------------------------------------------------------------------


def handles_service(department: Department, service: Service) -> bool:
    """Whether ``department`` handles ``service``: it is the service's default department, or an active routing
    rule sends the service's reports there (in some area)."""
    if service.default_department_id == department.pk:
        return True
    return service.routing_rules.filter(department=department, active=True).exists()


@transaction.atomic
def forward_ticket(
    *, ticket: Ticket, actor, department: Department, reason: str, service: Service | None = None
) -> Ticket:
    """Send a ticket that is not this department's to ``department``, with a reason the citizen sees.

    Routing runs again for the new department: priority (never lowered by forwarding), duplicates,
    due dates from now, assignment, notifications. Verification starts over.

    ``service``: the ticket's service from now on (one ``department`` handles), when the forwarder names it: a report
    filed as "Not sure" reaches the triage desk without one, and without it the new department's due dates were the
    triage defaults and its duplicates were never looked for. None keeps the ticket's service, and is refused
    (``SERVICE_REQUIRED``) for a ticket that has none.
    """
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("service__default_department", "area", "department")
        .get(pk=ticket.pk)
    )
    transition = workflow.TRANSITIONS["forward"]
    if ticket.status not in transition.sources:
        raise ValidationError(
            _("A ticket that is %(status)s cannot be forwarded."),
            code="invalid_transition",
            params={"status": ticket.get_status_display().lower()},
        )
    if not workflow.can(actor, "forward", ticket):
        raise PermissionDenied(_("You may not forward this ticket."))
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Give the reason for forwarding it.")}, code="required")
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": _("Keep it under 4000 characters.")}, code="max_length")
    if department is None or not department.active:
        raise ValidationError({"department": _("Choose an active department.")}, code="invalid_choice")
    if department.pk == ticket.department_id:
        raise ValidationError({"department": _("The ticket is already with this department.")}, code="same")

    if service is None and not ticket.service_id:
        raise ValidationError({"service": ValidationError(SERVICE_REQUIRED, code="required")})
    if service is not None and not (service.active and handles_service(department, service)):
        refusal = _("%(service)s is not a service of %(department)s.")
        params = {"service": service.name, "department": department.short_name}
        raise ValidationError({"service": ValidationError(refusal, code="invalid_choice", params=params)})

    now = timezone.now()
    service_named = service is not None and service.pk != ticket.service_id
    service = service or ticket.service
    area = ticket.area
    previous = ticket.department
    priority = routing.decide_priority(
        default=service.default_priority if service else ticket.priority,
        text=f"{ticket.title} {ticket.description}",
        open_in_cluster=_open_in_cluster(service, area),
    )
    matches = _duplicates(ticket, service, now)
    response_due, resolution_due = routing.due_dates(
        start=now,
        response_days=service.response_sla_days if service else None,
        resolution_days=service.resolution_sla_days if service else None,
        priority=max(priority.priority, ticket.priority),
    )
    ticket.department = department
    ticket.service = service
    ticket.priority = max(priority.priority, ticket.priority)
    ticket.status = Status.ROUTED
    ticket.routed_at = now
    ticket.acknowledged_at = None
    ticket.response_due_at = response_due
    ticket.resolution_due_at = resolution_due
    ticket.escalation_level = 0
    ticket.escalated_deadline = ""
    ticket.assignee = _auto_assignee(department)
    # A wait for the citizen's answer to the old department's question ends: the new department's due dates count
    # from now, so there is nothing to move.
    waited, _clock = end_citizen_wait(ticket, now=now, reason="staff", shift=False)
    ticket.save(
        update_fields=[
            *waited,
            "department",
            "service",
            "priority",
            "status",
            "routed_at",
            "acknowledged_at",
            "response_due_at",
            "resolution_due_at",
            "escalation_level",
            "escalated_deadline",
            "assignee",
            "updated_at",
        ]
    )
    _insert_links(_duplicate_links(ticket, matches))
    event = record_event(
        ticket=ticket,
        type=EventType.FORWARDED,
        actor=actor,
        payload={
            "from": previous.short_name if previous else "",
            "from_id": previous.pk if previous else None,
            "to": department.short_name,
            "to_id": department.pk,
            "department": department.short_name,
            "reason": text,
            "priority": ticket.priority,
            **_event_dates(ticket),
            # The service the forward gave the ticket, in both languages: the citizen's timeline names it.
            **(
                {"service": service.code, "service_names": {"id": service.name_id, "en": service.name_en}}
                if service_named
                else {}
            ),
            "reasons": routing.routed_reasons(priority=priority, duplicates=len(matches)),
        },
    )
    notify_followers(ticket=ticket, event=event)
    _notify_department(ticket, event)
    return ticket


# --- escalation ------------------------------------------------------------------------------------


def _heads(department_id: int):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__department_id=department_id,
            memberships__active=True,
            memberships__role=StaffMembership.Role.HEAD,
        )
        .distinct()
    )


def _inspectors():
    from accounts.roles import INSPECTOR

    return get_user_model().objects.filter(is_active=True, groups__name=INSPECTOR).distinct()


def _escalate_one(ticket_id: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("department", "service")
            .filter(pk=ticket_id, status__in=workflow.WORKING, waiting_for_citizen_since__isnull=True)
            .first()
        )
        if ticket is None:
            return False
        decision = routing.escalation_due(
            level=ticket.escalation_level,
            escalated_deadline=ticket.escalated_deadline,
            response_due_at=ticket.response_due_at,
            resolution_due_at=ticket.resolution_due_at,
            awaiting_response=ticket.status == Status.ROUTED,
            now=now,
        )
        if decision is None:
            return False
        level, deadline, due = decision
        # The guard: only the run that moves the escalation on (a level up, or a new deadline at the head) records
        # and notifies.
        moved = Ticket.objects.filter(
            pk=ticket.pk, escalation_level=ticket.escalation_level, escalated_deadline=ticket.escalated_deadline
        ).update(escalation_level=level, escalated_deadline=deadline)
        if not moved:
            return False
        ticket.escalation_level, ticket.escalated_deadline = level, deadline
        event = record_event(
            ticket=ticket,
            type=EventType.ESCALATED,
            payload={
                "level": level,
                "deadline": deadline,
                "due_at": timezone.localtime(due).isoformat(),  # in WITA, as every other time the API gives
                "to": "head" if level == 1 else "inspectorate",
            },
            public=False,
        )
        users = list(_heads(ticket.department_id)) if level == 1 else list(_inspectors())
        notify_staff(ticket=ticket, event=event, users=users, include_department_email=level == 1)
        return True


def escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate open tickets past their response or resolution due date, once per level of each deadline.

    Level 1 tells the department head(s); level 2, when the ticket is still overdue
    ``ESCALATION_LEVEL2_WORKING_DAYS`` working days after the date it missed, tells the inspectorate. The ticket
    records which deadline its escalation is for: verifying ends the escalation of a missed response date
    (``Ticket.end_answered_escalation``), and a resolution date missed then is a new escalation, to the head first.
    A ticket whose department waits for the citizen's answer is left alone: its clock is paused. Waits longer than
    ``INFO_WAIT_WORKING_DAYS`` end first (``deadlines.resume_expired_waits``), so their tickets count again.
    Each ticket in its own transaction; returns how many escalations happened.
    """
    now = now or timezone.now()
    resume_expired_waits(now=now)

    def overdue(at):
        return Q(resolution_due_at__lt=at) | Q(status=Status.ROUTED, response_due_at__lt=at)

    # N working days after a due date (counted by calendar date) are at least N - 1 whole days later:
    # level-1 tickets that missed their date more recently cannot be due for level 2 yet.
    level2_cutoff = now - dt.timedelta(days=max(routing.level2_working_days() - 1, 0))
    candidates = Q(escalation_level=0) & overdue(now) | Q(escalation_level=1) & overdue(level2_cutoff)
    ids = list(
        Ticket.objects.filter(candidates, status__in=workflow.WORKING, waiting_for_citizen_since__isnull=True)
        .order_by("resolution_due_at")
        .values_list("pk", flat=True)
    )
    with sent_together():  # one email per head or inspector for the sweep's escalations
        return sum(1 for ticket_id in ids if _escalate_one(ticket_id, now))


# --- closing after the window ----------------------------------------------------------------------


def _close_one(ticket_id: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("department")
            .filter(pk=ticket_id, status=Status.RESOLVED)
            .first()
        )
        if ticket is None or not workflow.can(None, "close", ticket, system=True):
            return False
        window_end = ticket.close_window_ends_at
        if window_end is None and ticket.resolved_at is not None:
            window_end = routing.close_window_end(ticket.resolved_at)
        if window_end is None or window_end > now:
            return False
        ticket.status = Status.CLOSED
        ticket.closed_at = now
        ticket.save(update_fields=["status", "closed_at", "updated_at"])
        event = record_event(ticket=ticket, type=EventType.CLOSED, payload={"by": "system", "reason": "window"})
        notify_followers(ticket=ticket, event=event)
        return True


def close_expired_resolutions(*, now: dt.datetime | None = None) -> int:
    """Close resolved tickets whose closing window (10 working days) has passed without the citizen's answer.

    The window ends at ``close_window_ends_at`` (set when resolving), or 10 working days after
    ``resolved_at`` when it was not set. Once per ticket; returns how many were closed.
    """
    now = now or timezone.now()
    # Ten working days span at least 11 calendar days: a cheap prefilter for rows without the end stored.
    window = Q(close_window_ends_at__lte=now) | Q(
        close_window_ends_at__isnull=True, resolved_at__lte=now - dt.timedelta(days=10)
    )
    ids = list(Ticket.objects.filter(window, status=Status.RESOLVED).order_by("pk").values_list("pk", flat=True))
    return sum(1 for ticket_id in ids if _close_one(ticket_id, now))
