"""Reads of tickets. The one definition of who may see which ticket lives here.

- public: privacy public or anonymous, past submission (routed or later), not a rejected spam;
  confidential tickets are never public.
- a citizen: the public ones, plus the ones they filed or follow (a confidential one only if they filed it).
- a reporter without an account: the public ones, plus the ones whose personal follow link they opened
  (a reporter grant in their session, see ``complaints.follow``), seen as a signed-in reporter sees their own.
- staff who filed a report for someone else (a phone caller; ``Ticket.filed_by``): its citizen page, a confidential
  one too, as a visitor sees a public report: not the reporter, nor what the reporter adds later (``filed_ticket``).
- an Open311 key: the public ones, plus the ones filed with that key (a confidential one: only its status); the
  key's REST account relays its citizens' answers to those it may see, and sees nothing more (``relays_for``).
- staff/head: their departments' tickets (all privacy levels).
- inspector: every ticket.
- administrator: every ticket except confidential ones of other departments.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery

from accounts.roles import ADMINISTRATOR, INSPECTOR, roles_of

from . import follow
from .models import OPEN_STATUSES, EventType, Privacy, Status, Subscription, Ticket, next_due_at, work_order_group
from .redaction import number_on_its_own

PUBLIC_STATUSES = (
    Status.ROUTED,
    Status.ACKNOWLEDGED,
    Status.IN_PROGRESS,
    Status.RESOLVED,
    Status.CLOSED,
    Status.DUPLICATE,
)


PUBLIC_PRIVACY = (Privacy.PUBLIC, Privacy.ANONYMOUS)


def public_ticket_filter() -> Q:
    return Q(privacy__in=PUBLIC_PRIVACY, status__in=PUBLIC_STATUSES)


def is_public(ticket: Ticket) -> bool:
    """``public_ticket_filter`` for a ticket already read."""
    return ticket.privacy in PUBLIC_PRIVACY and ticket.status in PUBLIC_STATUSES


def public_tickets() -> QuerySet[Ticket]:
    """Tickets anyone may see, without login."""
    return Ticket.objects.filter(public_ticket_filter())


def tickets_visible_to_key(api_key) -> QuerySet[Ticket]:
    """What an Open311 client sees: the public tickets, plus every ticket filed with its own key (``api_key``, None
    for a request without one) in any status, so the system that filed a report learns its outcome, a rejection
    included. A confidential one among its own too, but the key is shown only its status (``open311.serializers``
    leaves out its text, place, photos and timeline): the outcome, nothing a bridge could leak."""
    if api_key is None:
        return public_tickets()
    return Ticket.objects.filter(public_ticket_filter() | Q(api_key_id=api_key.pk))


def department_ids_of(user) -> list[int]:
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_department_ids", None)
    if cached is None:
        from services.models import StaffMembership

        cached = list(StaffMembership.objects.filter(user=user, active=True).values_list("department_id", flat=True))
        user._department_ids = cached
    return cached


def headed_department_ids(user) -> set[int]:
    """The departments ``user`` is an active head of."""
    if not user or not user.is_authenticated:
        return set()
    from services.models import StaffMembership

    heads = StaffMembership.objects.filter(user=user, role=StaffMembership.Role.HEAD, active=True)
    return set(heads.values_list("department_id", flat=True))


def staff_ticket_filter(user) -> Q | None:
    """The tickets a user sees in staff pages (queue, staff ticket page, exports, staff API); None = none."""
    roles = roles_of(user)
    if INSPECTOR in roles:
        return Q()
    department_ids = department_ids_of(user)
    own = Q(department_id__in=department_ids) if department_ids else None
    if ADMINISTRATOR in roles:
        not_confidential = ~Q(privacy=Privacy.CONFIDENTIAL)
        return not_confidential | own if own is not None else not_confidential
    return own


def staff_tickets(user) -> QuerySet[Ticket]:
    condition = staff_ticket_filter(user)
    if condition is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(condition)


def is_staff_for(user, ticket: Ticket) -> bool:
    condition = staff_ticket_filter(user)
    return condition is not None and staff_tickets(user).filter(pk=ticket.pk).exists()


def _reporter_grants(user) -> dict[int, str]:
    return getattr(user, follow.USER_ATTRIBUTE, None) or {}


def reporter_grant_filter(user) -> Q | None:
    """The guest tickets whose follow link ``user`` opened, while the ticket's reporter address is still the one
    the link was signed for; None = none."""
    grants = _reporter_grants(user)
    if not grants:
        return None
    condition = Q()
    for ticket_id, email in grants.items():
        condition |= Q(pk=ticket_id, reporter_email__iexact=email)
    return condition & Q(reporter__isnull=True)


def is_reporter(user, ticket: Ticket) -> bool:
    """Whether ``user`` is the ticket's reporter: its signed-in reporter, or the holder of its guest reporter's
    follow link. The one definition the ticket page, the workflow (``relations_of``) and the actions ask."""
    if user is None:
        return False
    if ticket.reporter_id:
        return user.is_authenticated and ticket.reporter_id == user.pk
    email = _reporter_grants(user).get(ticket.pk)
    return email is not None and follow.has_follow_link(ticket) and email == ticket.reporter_email.lower()


def followers_may_see(ticket: Ticket) -> bool:
    """Whether following ``ticket`` lets a follower who did not file it open it and read its updates: every ticket
    but a confidential one, which only its reporter, the handling department and inspectors see. A "me too" is only
    possible on a public report; a merge moves no followers into a confidential one (``actions.merge_ticket``), and
    a follower an older merge moved there gets neither the page nor the emails."""
    return ticket.privacy != Privacy.CONFIDENTIAL


FOLLOWERS_MAY_SEE = ~Q(privacy=Privacy.CONFIDENTIAL)  # ``followers_may_see`` as a filter


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """Every ticket ``user`` may open: public ones, their own and followed ones, and their staff scope."""
    condition = public_ticket_filter()
    if (granted := reporter_grant_filter(user)) is not None:
        condition |= granted
    if user is not None and user.is_authenticated:
        condition |= Q(reporter_id=user.pk)
        following = Q(Exists(Subscription.objects.filter(ticket=OuterRef("pk"), user_id=user.pk)))
        condition |= following & FOLLOWERS_MAY_SEE
        staff = staff_ticket_filter(user)
        if staff is not None:
            if not staff:  # Q() = every ticket (inspector); ``cond | Q()`` would silently drop it
                return Ticket.objects.all()
            condition |= staff
    return Ticket.objects.filter(condition)


def merged_anonymous_reporter_ids(ticket: Ticket) -> set[int]:
    """The accounts that filed an anonymous report merged into ``ticket``, directly or into a report merged into it:
    they follow ``ticket`` since (``actions.merge_ticket``), and the promise their report made, that nobody, not
    even the department, sees who they are, came with them. One query per level of merges (one or two)."""
    hidden: set[int] = set()
    seen, level = {ticket.pk}, [ticket.pk]
    while level:
        rows = list(
            Ticket.objects.filter(duplicate_of_id__in=level)
            .exclude(pk__in=seen)
            .values_list("pk", "privacy", "reporter_id")
        )
        level = [pk for pk, _privacy, _reporter_id in rows]
        seen.update(level)
        hidden.update(reporter_id for _pk, privacy, reporter_id in rows if privacy == Privacy.ANONYMOUS and reporter_id)
    return hidden


def merged_report_of(user, ticket: Ticket) -> Ticket | None:
    """The report ``user`` filed that was merged into ``ticket``, directly or into a report merged into it; None when
    there is none. Its reporter, signed in or holding its guest reporter's follow link (``reporter_grant_filter``),
    was moved onto ``ticket`` and counted in its support (``actions.merge_ticket``): they may add information to it,
    as its followers do (``actions.add_citizen_info``), and are not asked for a "me too". Nothing more: confirming,
    reopening and rating stay its own reporter's. None too when ``ticket``'s followers may not open it (a
    confidential report: nobody moved there). One query per level of merges (one or two), and one to match."""
    if user is None or not followers_may_see(ticket):
        return None
    theirs = reporter_grant_filter(user)
    if user.is_authenticated:
        own = Q(reporter_id=user.pk)
        theirs = own if theirs is None else theirs | own
    if theirs is None:
        return None
    seen, level = {ticket.pk}, [ticket.pk]
    while level:
        level = list(Ticket.objects.filter(duplicate_of_id__in=level).exclude(pk__in=seen).values_list("pk", flat=True))
        seen.update(level)
    merged = seen - {ticket.pk}
    if not merged:
        return None
    return Ticket.objects.filter(theirs, pk__in=merged).only("reference", "reporter_id").order_by("pk").first()


def acts_anonymously(user, ticket: Ticket) -> bool:
    """Whether what ``user`` does on ``ticket`` is recorded, and shown to staff, without their identity: they are
    the reporter of an anonymous ticket, or the reporter of an anonymous report merged into it (whom the merge made
    a follower). The one rule the actions ask before naming a citizen as an event's actor (``citizen_actor``) and
    the staff timeline before showing one (``staff_ticket_timeline``). A confidential report's reporter is not
    hidden: it promises only that nobody but the department and the inspectorate sees the report."""
    if ticket.privacy == Privacy.ANONYMOUS and is_reporter(user, ticket):
        return True
    if user is None or not user.is_authenticated:
        return False
    return user.pk in merged_anonymous_reporter_ids(ticket)


def citizen_actor(user, ticket: Ticket):
    """The account to record as the actor of what the citizen ``user`` does on ``ticket`` (adds information,
    confirms, reopens, rates): none when they act anonymously (``acts_anonymously``) or have no account (a guest
    reporter's follow link)."""
    if user is None or not user.is_authenticated or acts_anonymously(user, ticket):
        return None
    return user


def can_see_reporter(user, ticket: Ticket) -> bool:
    """Who may see the reporter's identity and contact details.

    The reporter always; staff in scope unless the ticket is anonymous. Never the public.
    """
    if is_reporter(user, ticket):
        return True
    if user is None or not user.is_authenticated:
        return False
    if ticket.privacy == Privacy.ANONYMOUS:
        return False
    return staff_ticket_filter(user) is not None and is_staff_for(user, ticket)


# --- Where a report is, as each reader sees it ------------------------------------------------------------

# An anonymous report's pin is often the reporter's own door. Everyone but its reporter and the staff who see it in
# their scope reads it rounded to 3 decimals: about 110 m in Banjarmasin (3° from the equator), the street and the
# block, not the house. A public report's pin stays exact (its reporter may be named on it anyway), and a confidential
# report is never public.
PUBLIC_PIN_DECIMALS = 3


def public_pin(privacy: str, lat: float | None, lng: float | None) -> tuple[float | None, float | None]:
    """The pin (``lat``, ``lng``) of a report with ``privacy`` as every public output shows it: the public reports'
    map, the "similar reports nearby" of the filing form, Open311, the REST API and the report's page for the
    public."""
    if privacy != Privacy.ANONYMOUS or lat is None or lng is None:
        return lat, lng
    return round(lat, PUBLIC_PIN_DECIMALS), round(lng, PUBLIC_PIN_DECIMALS)


def public_pin_box(lat: float, lng: float, radius_m: float) -> Q:
    """The tickets whose public pin may lie within ``radius_m`` of (``lat``, ``lng``): a box around the circle, for
    the database's indexes; ``public_distance_m`` decides. A rounded pin lies up to half the last decimal from the
    exact one in each direction, so the box reaches that much further."""
    from services.geo import bbox_around

    margin = 0.5 * 10**-PUBLIC_PIN_DECIMALS
    min_lat, max_lat, min_lng, max_lng = bbox_around(lat, lng, radius_m)
    return Q(lat__range=(min_lat - margin, max_lat + margin), lng__range=(min_lng - margin, max_lng + margin))


def public_distance_m(privacy: str, ticket_lat: float, ticket_lng: float, lat: float, lng: float) -> int:
    """Metres from (``lat``, ``lng``) to a ticket's public pin (``public_pin``), never to an anonymous report's exact
    one: distances from a few chosen points would find the reporter's house."""
    from services.geo import distance_m

    return round(distance_m(lat, lng, *public_pin(privacy, ticket_lat, ticket_lng)))


def public_address(privacy: str, address: str) -> str:
    """The typed address or landmark of a report with ``privacy`` as every public output shows it: none for an
    anonymous report, for the reason its pin is rounded (``public_pin``): "the house with the green fence, RT 12"
    would tell the neighbours who reported."""
    return "" if privacy == Privacy.ANONYMOUS else address


def sees_exact_pin(user, ticket: Ticket) -> bool:
    """Whether ``user`` reads the ticket's exact pin: every ticket's but an anonymous one's, which its reporter and
    the staff who see it in their scope read exactly (``public_pin`` for everyone else)."""
    return ticket.privacy != Privacy.ANONYMOUS or is_reporter(user, ticket) or is_staff_for(user, ticket)


def pin_for(user, ticket: Ticket) -> tuple[float | None, float | None]:
    """The ticket's pin as ``user`` reads it (``sees_exact_pin``, else ``public_pin``)."""
    if sees_exact_pin(user, ticket):
        return ticket.lat, ticket.lng
    return public_pin(ticket.privacy, ticket.lat, ticket.lng)


def address_for(user, ticket: Ticket) -> str:
    """The ticket's typed address as ``user`` reads it: whoever reads the exact pin reads it (``public_address``)."""
    return ticket.address if sees_exact_pin(user, ticket) else public_address(ticket.privacy, ticket.address)


# --- Staff queue and staff ticket page ------------------------------------------------------------
# (the listing reads below never widen visibility: they start from ``staff_tickets``)

# "next", the default: open urgent tickets first, then the date due next (``models.work_order_group``,
# ``models.next_due_at``, read off ``ticket_work_order_idx``). "due" stays the resolution due date, as saved filters
# that chose it meant.
QUEUE_DEFAULT_SORT = "next"
QUEUE_SORTS = {
    "next": (work_order_group(), next_due_at(), "id"),
    "due": ("resolution_due_at", "id"),
    "-due": ("-resolution_due_at", "-id"),
    "priority": ("-priority", "resolution_due_at", "id"),
    "-priority": ("priority", "resolution_due_at", "id"),
    "age": ("created_at", "id"),  # oldest first
    "-age": ("-created_at", "-id"),
}
QUEUE_COUNT_CAP = 10_000
# A text search counts fewer: a common word matches tens of thousands of tickets, and each one counted
# costs a word match on the row (about 30 µs in PostgreSQL); a search that wide is narrowed, not counted.
QUEUE_SEARCH_COUNT_CAP = 200


def open_tickets_assigned_to(user, department=None) -> QuerySet[Ticket]:
    """The open tickets assigned to ``user`` (of ``department`` only, when given): what someone who leaves still
    holds, the admin's warning counts and the reassign page moves."""
    tickets = Ticket.objects.filter(assignee=user, status__in=OPEN_STATUSES)
    return tickets if department is None else tickets.filter(department=department)


def overdue_filter(now) -> Q:
    """Open tickets past a due date they still had to meet: the resolution due date, or the response due date
    while nobody has verified the ticket (still 'routed'; verifying is the response). The queue's "Overdue only";
    ``missed_deadlines`` is the same rule for a ticket in hand, and the two must change together.

    While the department waits for the citizen's answer its clock is paused: such a ticket is overdue only for a
    date it had already missed when the wait began (the wait's end moves the dates by the days waited)."""
    from .models import OPEN_STATUSES

    def missed_by(moment) -> Q:
        return Q(resolution_due_at__lt=moment) | Q(status=Status.ROUTED, response_due_at__lt=moment)

    # "Missed by now, and not one of the waiting tickets still on time when their wait began" (a wait began before
    # now: what was missed then is missed now). That small set is read through its partial index, so the queue's
    # due-date indexes still answer the rest; comparing each row's wait instead read every overdue row of the
    # department from the table (the queue's "Overdue only" 38 -> 92 ms p95 at 1M tickets).
    on_time_when_paused = (
        Ticket.objects.filter(waiting_for_citizen_since__isnull=False)
        .exclude(missed_by(F("waiting_for_citizen_since")))
        .values("pk")
    )
    return Q(status__in=OPEN_STATUSES) & missed_by(now) & ~Q(pk__in=on_time_when_paused)


def missed_deadlines(ticket: Ticket, now) -> list[str]:
    """Which of ``overdue_filter``'s due dates an open ticket has missed: "response", "resolution", both or none
    (the queue's red rows, the ticket page's "Overdue" and the due date it highlights, the exports' column). A paused
    clock (waiting for the citizen) stopped when the wait began."""
    if not ticket.is_open:
        return []
    now = ticket.waiting_for_citizen_since or now
    missed = []
    if ticket.status == Status.ROUTED and ticket.response_due_at is not None and ticket.response_due_at < now:
        missed.append("response")
    if ticket.resolution_due_at is not None and ticket.resolution_due_at < now:
        missed.append("resolution")
    return missed


def next_deadline(ticket: Ticket) -> tuple[str, object] | None:
    """The due date the department must meet next, as ``models.next_due_at`` orders the queue: ("response", the
    response due date) while nobody has verified the ticket, else ("resolution", the resolution due date); None
    when it has neither."""
    if ticket.status == Status.ROUTED and ticket.response_due_at is not None:
        return "response", ticket.response_due_at
    if ticket.resolution_due_at is not None:
        return "resolution", ticket.resolution_due_at
    return None


def queue_tickets(
    user,
    *,
    status: list[str] | str | None = "open",
    service=None,
    department=None,
    kecamatan=None,
    kelurahan=None,
    priority=None,
    assignee=None,
    overdue: bool = False,
    escalated: int | None = None,
    escalated_ever: bool = False,
    escalated_from=None,
    escalated_to=None,
    date_from=None,
    date_to=None,
    q: str = "",
    sort: str = QUEUE_DEFAULT_SORT,
) -> QuerySet[Ticket]:
    """The staff queue: the user's staff scope narrowed by the queue's filters, sorted.

    ``status``: "open" (default), "all" or a list of statuses. ``assignee``: "mine", "unassigned"
    or a user id. ``overdue``: ``overdue_filter``. ``escalated``: the lowest ``escalation_level`` listed now (1 = told
    the head, 2 = told the inspectorate). ``escalated_ever``, ``escalated_from``, ``escalated_to`` (dates, WITA): the
    tickets that were escalated to the inspectorate (in that period), whatever happened since (``escalated_to_
    inspectorate``).
    """
    import datetime as dt

    from django.utils import timezone

    from .models import OPEN_STATUSES

    tickets = staff_tickets(user)
    if status == "open" or not status:
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        tickets = tickets.filter(status__in=list(status) if not isinstance(status, str) else [status])
    if service:
        tickets = tickets.filter(service_id=getattr(service, "pk", service))
    if department:
        tickets = tickets.filter(department_id=getattr(department, "pk", department))
    if kelurahan:
        tickets = tickets.filter(area_id=getattr(kelurahan, "pk", kelurahan))
    elif kecamatan:
        tickets = tickets.filter(area__parent_id=getattr(kecamatan, "pk", kecamatan))
    if priority:
        tickets = tickets.filter(priority=int(priority))
    if assignee == "mine":
        tickets = tickets.filter(assignee_id=user.pk)
    elif assignee == "unassigned":
        tickets = tickets.filter(assignee__isnull=True)
    elif assignee:
        tickets = tickets.filter(assignee_id=getattr(assignee, "pk", assignee))
    if overdue:
        tickets = tickets.filter(overdue_filter(timezone.now()))
    if escalated:
        tickets = tickets.filter(escalation_level__gte=int(escalated))
    if escalated_ever or escalated_from or escalated_to:
        tickets = escalated_to_inspectorate(tickets, since=escalated_from, until=escalated_to)
    if date_from:
        start = dt.datetime.combine(date_from, dt.time.min, tzinfo=timezone.get_current_timezone())
        tickets = tickets.filter(created_at__gte=start)
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
        tickets = tickets.filter(created_at__lt=end)
    q = (q or "").strip()
    if q:
        if q.upper().startswith(("BJM-", "#")) or q.replace("-", "").isdigit():
            tickets = tickets.filter(_reference_match(q))
        else:
            tickets = matching_words(tickets, q)
    return tickets.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS[QUEUE_DEFAULT_SORT]))


def _day_start(day):
    import datetime as dt

    from django.utils import timezone

    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def inspectorate_escalations(*, since=None, until=None) -> QuerySet:
    """The ``ESCALATED`` events that told the inspectorate (payload level 2) on the days ``since`` … ``until`` (dates,
    WITA, both included; open-ended without them), read through ``event_escalated_idx``."""
    import datetime as dt

    from .models import TicketEvent

    events = TicketEvent.objects.filter(type=EventType.ESCALATED, payload__level=2)
    if since:
        events = events.filter(created_at__gte=_day_start(since))
    if until:
        events = events.filter(created_at__lt=_day_start(until + dt.timedelta(days=1)))
    return events


def escalated_to_inspectorate(tickets: QuerySet[Ticket], *, since=None, until=None) -> QuerySet[Ticket]:
    """``tickets`` that were escalated to the inspectorate (on the days ``since`` … ``until``), whether they are
    still escalated or not: ``Ticket.escalation_level`` is only the state now, and answering the deadline ends it
    (``Ticket.end_answered_escalation``), so a department that answered late dropped off the inspectorate's list.
    Each with ``inspectorate_escalated_at``, its latest such escalation, which the queue's rows show."""
    events = inspectorate_escalations(since=since, until=until)
    latest = events.filter(ticket_id=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    return tickets.filter(pk__in=events.values("ticket_id")).annotate(inspectorate_escalated_at=Subquery(latest))


# Columns the queue's rows never show: the kelurahan's boundary polygon alone is kilobytes of JSON per row.
QUEUE_ROW_UNUSED = (
    "description",
    "attributes",
    "area__boundary",
    "service__description_id",
    "service__description_en",
    "service__keywords",
)


def _reference_match(text: str) -> Q:
    """A reference typed whole or in part (``BJM-2026-000123``, ``2026-123``, ``#123``) as an index lookup.

    The reference ends in the ticket's id (``complaints.references``), so the number finds the row by
    primary key and the rest is checked on that one row.
    """
    text = text.strip().lstrip("#").upper()
    head, _, number = text.rpartition("-")
    if not number.isdigit():
        return Q(reference=text)
    suffix = f"{head}-{number.zfill(6)}" if head else number.zfill(6)
    return Q(pk=int(number)) & (Q(reference=text) | Q(reference__endswith="-" + suffix))


def search_document():
    """The words a text search looks in, as PostgreSQL indexes them (migration 0011, ``ticket_search_idx``).

    'simple': no stemming or stop words, lower-cased, so Indonesian words and references match as typed.
    The SQL Django writes for this must stay the index's expression, or the index is not used.
    """
    from django.contrib.postgres.search import SearchVector

    return SearchVector("reference", "title", "description", config="simple")


def search_words(text: str) -> list[str]:
    """The words of a typed search, as ``matching_words`` looks for them: runs of letters and digits, lower-cased."""
    import re

    return re.findall(r"[^\W_]+", text.lower())


def matching_words(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """Tickets whose reference, title or description hold every word of ``text``, in any case.

    PostgreSQL: whole words through the full-text index; a rare word is an index lookup, a common one
    is found while walking the queue's own sort order. SQLite (development, tests): a substring match.
    """
    from django.db import connection

    words = search_words(text)
    if not words:
        return tickets
    if connection.vendor != "postgresql":
        for word in words:
            tickets = tickets.filter(
                Q(reference__icontains=word) | Q(title__icontains=word) | Q(description__icontains=word)
            )
        return tickets
    from django.contrib.postgres.search import SearchQuery

    # Only letters and digits reach to_tsquery, so its operators cannot be injected.
    query = SearchQuery(" & ".join(words), config="simple", search_type="raw")
    return tickets.alias(search_words=search_document()).filter(search_words=query)


def matching_public_words(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """``matching_words`` for the public search, which looks only in what the public pages show: a number of the
    search (two digits or more) must stand on its own in the title or the description, not only as a group of a row
    of numbers ("3456" finds no report for its "0812 3456 7890", which its page hides), so nobody learns whose report
    holds a number by searching its pieces. A whole phone number, email or NIK finds nothing
    (``views._public_tickets``).

    Why a pattern and not the masked text: the index holds the words as stored, and masking every candidate in
    Python would read thousands of rows for a common number ("12"). The pattern (``redaction.number_on_its_own``,
    a regular expression PostgreSQL evaluates) is checked only on the rows the full-text index found, in the same
    query, so the search stays one indexed query on a million reports. It is a little stricter than the pages: a
    number that only stands next to another ("12-03-2026", "... 7890 12 orang") is not found by it; such pieces are
    what a hidden number is made of, and missing one is the safe side."""
    tickets = matching_words(tickets, text)
    numbers = {word for word in search_words(text) if word.isascii() and word.isdigit() and len(word) > 1}
    for number in sorted(numbers):
        pattern = number_on_its_own(number)
        tickets = tickets.filter(Q(title__regex=pattern) | Q(description__regex=pattern))
    return tickets


def queue_page(
    tickets: QuerySet[Ticket], *, page: int = 1, page_size: int = 50, count_cap: int = QUEUE_COUNT_CAP
) -> dict:
    """One page of a queue in three queries whatever the page size: a capped count, the rows, candidates.

    The count stops at ``count_cap`` (shown as "10,000+"): counting 100,000 rows to print a
    number nobody reads is what made the page slow. A page past the end (an old link, a typed number) is
    the last page, not an empty one that says "Page 9999 of 1".
    """
    from django.db.models import Count

    from .models import DuplicateCandidate

    def rows_of(number: int) -> list[Ticket]:
        offset = (number - 1) * page_size
        listed = tickets.select_related("service", "area", "assignee", "department").defer(*QUEUE_ROW_UNUSED)
        return list(listed[offset : offset + page_size])

    page = max(1, int(page or 1))
    total = tickets.order_by()[: count_cap + 1].count()
    capped = total > count_cap
    total = min(total, count_cap)
    pages = max(1, -(-total // page_size))
    if not capped:
        page = min(page, pages)
    rows = rows_of(page)
    if not rows and page > pages:  # past a capped count's pages and past the tickets too
        page = pages
        rows = rows_of(page)
    if rows:
        counts = dict(
            # Only the candidates still open: one merged (or closed) meanwhile is no duplicate left to handle.
            DuplicateCandidate.objects.filter(ticket_id__in=[t.pk for t in rows], candidate__status__in=OPEN_STATUSES)
            .values("ticket_id")
            .annotate(n=Count("id"))
            .values_list("ticket_id", "n")
        )
    else:
        counts = {}
    for ticket in rows:
        ticket.duplicate_candidate_count = counts.get(ticket.pk, 0)
    return {
        "rows": rows,
        "page": page,
        "page_size": page_size,
        "total": total,
        "total_capped": capped,
        "pages": pages,
        "has_previous": page > 1,
        "has_next": page < pages or (capped and len(rows) == page_size),
    }


def staff_ticket(user, reference: str) -> Ticket | None:
    """The ticket behind a staff page, with everything the page shows joined in; None when out of scope."""
    return (
        staff_tickets(user)
        .select_related("service", "area", "area__parent", "department", "assignee", "reporter", "duplicate_of")
        .filter(reference=reference)
        .first()
    )


# What a citizen does on a ticket: the events whose actor, if any, is a citizen, never staff handling it.
CITIZEN_EVENTS = (
    EventType.CITIZEN_INFO,
    EventType.CONFIRMED,
    EventType.REOPENED,
    EventType.RATED,
    EventType.SUPPORTED,
)


# What only the reporter does, with no actor recorded when they file anonymously or without an account.
REPORTER_EVENTS = (EventType.SUBMITTED, EventType.EMAIL_CONFIRMED)


def staff_ticket_timeline(ticket: Ticket) -> list:
    """Every event, internal notes included, oldest first, with actors and photos (two queries, and one per level of
    merges into the ticket). A citizen who acts anonymously (``acts_anonymously``) is no actor: the actions record
    none since, and an event recorded before with one (by the reporter of an anonymous report merged into this one)
    is shown without it, as from a follower (its payload's ``by``)."""
    from django.db.models import Prefetch

    from .models import Attachment, TicketEvent

    events = list(
        TicketEvent.objects.filter(ticket=ticket)
        .select_related("actor")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.filter(state=Attachment.State.READY)))
        .order_by("created_at", "id")
    )
    hidden = merged_anonymous_reporter_ids(ticket)
    anonymous = ticket.privacy == Privacy.ANONYMOUS
    if anonymous and ticket.reporter_id:
        hidden.add(ticket.reporter_id)
    for event in events:
        if event.actor_id in hidden and (event.type in CITIZEN_EVENTS or event.type in REPORTER_EVENTS):
            event.actor = None  # this page's copy only: the stored row stays as it was recorded
            # This ticket's own anonymous reporter is "Anonymous reporter"; one of a report merged into it stays
            # a follower (its payload's ``by``).
            event.by_anonymous_reporter = anonymous and event.payload.get("by") != "follower"
        elif event.actor_id is None and event.type in REPORTER_EVENTS:
            # Filed (or its address confirmed) by the reporter, who is no actor when anonymous or without an account:
            # it said "System", as if the portal had filed the report.
            event.by_anonymous_reporter = anonymous
            event.by_reporter = not anonymous
        elif event.actor_id is None and anonymous and event.type in CITIZEN_EVENTS:
            event.by_anonymous_reporter = event.payload.get("by") == "reporter"
    return events


def ticket_photos(ticket: Ticket) -> list:
    from .models import Attachment

    return list(
        Attachment.objects.filter(ticket=ticket, state=Attachment.State.READY)
        .exclude(purpose=Attachment.Purpose.RESOLUTION)
        .order_by("created_at")
    )


def _open_duplicate_candidates(user, ticket: Ticket) -> QuerySet[Ticket]:
    """The candidates routing linked to ``ticket`` that are still open (one merged meanwhile is handled), among the
    ones ``user`` may see."""
    from .models import DuplicateCandidate

    ids = DuplicateCandidate.objects.filter(ticket=ticket).values("candidate_id")
    return staff_tickets(user).filter(pk__in=ids, status__in=OPEN_STATUSES)


# How many possible duplicates the staff ticket page lists (the newest); it says so when there are more.
DUPLICATES_SHOWN = 20


def duplicate_candidates_for(user, ticket: Ticket, limit: int = DUPLICATES_SHOWN) -> list[Ticket]:
    """The newest ``limit`` open candidates (``_open_duplicate_candidates``); ``duplicate_candidate_total`` says
    how many there are, for the page to say when it lists fewer."""
    return list(
        _open_duplicate_candidates(user, ticket).select_related("service", "area").order_by("-created_at")[:limit]
    )


def duplicate_candidate_total(user, ticket: Ticket) -> int:
    return _open_duplicate_candidates(user, ticket).count()


def nearby_tickets(user, ticket: Ticket, *, radius_m: int = 500, limit: int = 20) -> list[Ticket]:
    """Open tickets in the user's scope within ``radius_m`` of the pin (a bounding box; good enough for a map)."""
    import math

    from .models import OPEN_STATUSES

    if ticket.lat is None or ticket.lng is None:
        return []
    dlat = radius_m / 111_320
    dlng = radius_m / (111_320 * max(math.cos(math.radians(ticket.lat)), 0.1))
    return list(
        staff_tickets(user)
        .filter(
            status__in=OPEN_STATUSES,
            lat__range=(ticket.lat - dlat, ticket.lat + dlat),
            lng__range=(ticket.lng - dlng, ticket.lng + dlng),
        )
        .exclude(pk=ticket.pk)
        .select_related("service")
        .order_by("-created_at")[:limit]
    )


def department_members(department_id: int | None):
    """Active members of a department (for assigning), by name."""
    from accounts.models import User

    if not department_id:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True, memberships__department_id=department_id, memberships__active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def saved_filters_for(user):
    """The user's own saved filters and the ones colleagues shared with their departments."""
    from .models import SavedFilter

    return (
        SavedFilter.objects.filter(Q(owner=user) | Q(shared=True, department_id__in=department_ids_of(user)))
        .select_related("owner")
        .order_by("name")
    )


# --- Citizen side: filing helpers, my reports, public list and map ---------------------------------
# (each starts from ``public_tickets`` or ``tickets_visible_to``: never a wider set)

SIMILAR_RADIUS_M = 250
SIMILAR_DAYS = 90
SIMILAR_LIMIT = 5


def _similar_open_tickets(*, service, days: int, viewer=None) -> QuerySet[Ticket]:
    """The reports a new report of ``service`` may be the twin of: public, still open, of that service, filed in the
    last ``days``, not filed by ``viewer`` (their own report is no twin to support; left out before the limit, so it
    does not take the place of one). The filing form offers them for "me too" (near the pin, or in the kelurahan)."""
    import datetime as dt

    from django.utils import timezone

    chosen = public_tickets().filter(
        service=service, status__in=OPEN_STATUSES, created_at__gte=timezone.now() - dt.timedelta(days=days)
    )
    if viewer is not None and viewer.is_authenticated:
        chosen = chosen.exclude(reporter=viewer)
    return chosen


def similar_open_tickets_nearby(
    *,
    service,
    lat: float,
    lng: float,
    radius_m: int = SIMILAR_RADIUS_M,
    days: int = SIMILAR_DAYS,
    limit: int = SIMILAR_LIMIT,
    viewer=None,
) -> list[Ticket]:
    """Public open tickets of the same service within ``radius_m`` filed in the last ``days``, nearest first.

    Offered before filing so the citizen can say "me too" instead of filing a twin.
    Each ticket carries ``distance_m``, measured to its public pin (``public_pin``): the form takes any point, and
    distances to an anonymous report's exact pin from a few points would find the reporter's house.
    """
    if service is None or lat is None or lng is None:
        return []
    # The suggestion shows the ticket's own fields only: no join (a kelurahan row carries its whole boundary).
    candidates = (
        _similar_open_tickets(service=service, days=days, viewer=viewer)
        .filter(public_pin_box(lat, lng, radius_m))
        .order_by("-created_at")[:200]
    )
    nearby = []
    for ticket in candidates:
        ticket.distance_m = public_distance_m(ticket.privacy, ticket.lat, ticket.lng, lat, lng)
        if ticket.distance_m <= radius_m:
            nearby.append(ticket)
    nearby.sort(key=lambda t: t.distance_m)
    return nearby[:limit]


def other_ticket_holders(user, department_id: int, members: list, *, chosen: str) -> list:
    """Who else holds open tickets of ``department_id`` in ``user``'s queue: people who left the department or whose
    account was switched off (the workload table's "not in the department any more"). The queue's assignee filter
    offers them, so a head finds exactly the tickets to hand on; they are never offered as assignees. ``chosen``,
    the assignee the request filters on, stays offered while they hold any of those tickets, closed ones too: once
    their last one is handed on, the same filter lists nothing instead of being refused and showing everything.
    One query, whatever the number of people."""
    from accounts.models import User

    tickets = staff_tickets(user).filter(department_id=department_id)
    others = User.objects.exclude(pk__in=[member.pk for member in members]).only("id", "full_name", "email")
    # A semi-join on the department's open tickets (their assignees are in ``ticket_open_age_idx``); the chosen person
    # is a second SELECT of the same query, as an OR would make PostgreSQL test every account against the tickets.
    holding = others.filter(pk__in=tickets.filter(status__in=OPEN_STATUSES).values("assignee_id"))
    if chosen.isdigit():
        holding = holding.union(others.filter(Exists(tickets.filter(assignee_id=OuterRef("pk"))), pk=int(chosen)))
    return list(holding.order_by("full_name", "email"))


def similar_open_tickets_in_kelurahan(
    *, service, kelurahan, days: int = SIMILAR_DAYS, limit: int = SIMILAR_LIMIT, viewer=None
) -> list[Ticket]:
    """Public open tickets of the same service in ``kelurahan`` filed in the last ``days``: what the filing form
    offers for "me too" when there is no pin (a call-centre operator filing for a caller, a citizen who picks the
    kelurahan from the list). The most supported first, the one the neighbours already back, then the newest."""
    if service is None or kelurahan is None:
        return []
    return list(
        _similar_open_tickets(service=service, days=days, viewer=viewer)
        .filter(area=kelurahan)
        .order_by("-support_count", "-created_at", "-id")[:limit]
    )


def my_tickets(user, *, status: str = "", role: str = "") -> QuerySet[Ticket]:
    """What a citizen filed or follows ("me too"), newest activity first.

    ``status``: "open", "resolved", "closed" (closed, rejected, duplicate) or empty; ``role``: "filed", "following" or
    "for_others" (filed for someone else).
    """
    from .models import FINAL_STATUSES, OPEN_STATUSES

    if user is None or not user.is_authenticated:
        return Ticket.objects.none()
    following = Q(Exists(Subscription.objects.filter(ticket=OuterRef("pk"), user_id=user.pk)))
    if role == "for_others":  # staff filing for a caller: what they may follow up on (``filed_for_others``)
        tickets = filed_for_others(user)
    elif role == "filed":
        tickets = tickets_visible_to(user).filter(reporter_id=user.pk)
    elif role == "following":
        tickets = tickets_visible_to(user).filter(following & ~Q(reporter_id=user.pk))
    else:
        tickets = tickets_visible_to(user).filter(Q(reporter_id=user.pk) | following)
    if status == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status == "resolved":
        tickets = tickets.filter(status=Status.RESOLVED)
    elif status == "closed":
        tickets = tickets.filter(status__in=FINAL_STATUSES)
    return tickets.select_related("service", "department", "area").order_by("-updated_at", "-id")


def public_ticket_list(
    *, q: str = "", service=None, status: str = "", kecamatan=None, kelurahan=None, date_from=None, date_to=None
) -> QuerySet[Ticket]:
    """Public tickets narrowed by the public page's filters (never confidential, never before routing). ``q``: the
    staff queue's text search in what the public pages show (``matching_public_words``), which never reads the typed
    address (an anonymous report's is nobody's to search, ``public_address``)."""
    import datetime as dt

    from django.utils import timezone

    from .models import FINAL_STATUSES, OPEN_STATUSES

    tickets = public_tickets()
    if q and q.strip():
        tickets = matching_public_words(tickets, q)
    if service:
        tickets = tickets.filter(service_id=getattr(service, "pk", service))
    if status == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status == "resolved":
        tickets = tickets.filter(status=Status.RESOLVED)
    elif status == "closed":
        tickets = tickets.filter(status__in=FINAL_STATUSES)
    if kelurahan:
        tickets = tickets.filter(area_id=getattr(kelurahan, "pk", kelurahan))
    elif kecamatan:
        tickets = tickets.filter(area__parent_id=getattr(kecamatan, "pk", kecamatan))
    zone = timezone.get_current_timezone()
    if date_from:
        tickets = tickets.filter(created_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=zone))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        tickets = tickets.filter(created_at__lt=end)
    return tickets.select_related("service", "department", "area", "area__parent").order_by("-created_at", "-id")


def reference_to_open(user, text: str) -> str | None:
    """The reference of the report ``text`` names, when ``text`` is a whole reference as the site prints it
    (``BJM-2026-000129``, any case; ``#129``) and ``user`` may open that report's page (``views.ticket_detail``: a
    public report, their own or one they follow, one they filed for a caller, their staff scope); else None. A report
    they may not see answers as one that does not exist, so the public search box tells nobody which confidential
    references there are. A primary-key look-up (``_reference_match``).

    Unlike the staff queue, a bare number ("12", "2026") is no reference here: the public search reads it as a word
    (an RT number, a year), and a report one happened to open instead would be a surprise."""
    from django.conf import settings

    text = (text or "").strip()
    if not text.upper().startswith((f"{settings.REFERENCE_PREFIX}-", "#")):
        return None
    named = _reference_match(text)
    reference = tickets_visible_to(user).filter(named).values_list("reference", flat=True).first()
    if reference is None:
        reference = filed_for_others(user).filter(named).values_list("reference", flat=True).first()
    return reference


# The public map colours each pin by what a passer-by asks of it (static/css/public-map.css, the legend under the
# map): is it waiting for the department, is the department on it, is it done, or is it a duplicate of another
# report. The public sees no other status (``PUBLIC_STATUSES``).
MAP_STATES = {
    Status.ROUTED: "waiting",
    Status.ACKNOWLEDGED: "handled",
    Status.IN_PROGRESS: "handled",
    Status.RESOLVED: "done",
    Status.CLOSED: "done",
    Status.DUPLICATE: "duplicate",
}


def public_map_points(tickets: QuerySet[Ticket], *, limit: int = 1000) -> list[dict]:
    """Pins for the public map: reference, title, status, service, kelurahan; no names, no contact details; an
    anonymous report's pin rounded (``public_pin``)."""
    rows = tickets.filter(lat__isnull=False, lng__isnull=False).values(
        "reference", "title", "status", "privacy", "lat", "lng", "service__name_id", "service__name_en", "area__name"
    )[:limit]
    points = []
    for row in rows:
        row["lat"], row["lng"] = public_pin(row.pop("privacy"), row["lat"], row["lng"])
        points.append(row)
    return points


def visible_ticket(user, reference: str) -> Ticket | None:
    """The ticket behind a citizen-facing page if ``user`` may see it (else None: the page answers 404)."""
    return (
        tickets_visible_to(user)
        .select_related("service", "department", "area", "area__parent", "reporter", "rating")
        .filter(reference=reference)
        .first()
    )


# --- Reports filed for someone else ---------------------------------------------------------------------------
# Staff filing for a phone caller or a visitor at the counter (``Ticket.filed_by``) may follow up on it for them: they
# typed it, so its text, place and photos are no secret to them. They see what its page shows any visitor of a
# public report (status, department, the public timeline), a confidential one included, but not the reporter's
# identity, private answers nor what the reporter adds later (``FILER_HIDDEN_EVENTS``), nor any internal event.
# Only through its citizen page (``views.ticket_detail``) and its photos (``visible_photo``): the staff pages, the
# API and the emails still go by the rules above.

FILER_HIDDEN_EVENTS = (EventType.CITIZEN_INFO,)


def filed_for_others(user) -> QuerySet[Ticket]:
    """The reports ``user`` filed for someone else (not for themself)."""
    if user is None or not user.is_authenticated:
        return Ticket.objects.none()
    return Ticket.objects.filter(filed_by_id=user.pk).exclude(reporter_id=user.pk)


def filed_ticket(user, reference: str) -> Ticket | None:
    """The report ``reference`` if ``user`` filed it for someone else, else None."""
    return (
        filed_for_others(user)
        .select_related("service", "department", "area", "area__parent", "reporter", "rating")
        .filter(reference=reference)
        .first()
    )


# --- Reports a system filed for citizens -------------------------------------------------------------------
# A bridge (SP4N-LAPOR!) files its citizens' reports with its Open311 key, and Open311 has no way to send back their
# answers. The REST account the administrator gave that key (``ApiKey.account``) relays them: it may add information
# or answer the department's question on the reports filed with the key (``actions.add_citizen_info``), as their
# reporter would. Only that: it is not their reporter (no confirming, reopening or rating, nor the reporter's
# details), and it sees the reports as before (a public one through the API; a confidential one, its status only,
# through Open311, so the API's add-info does not find it). Staff who filed for a caller relay nothing (above).


def relays_for(user, ticket: Ticket) -> bool:
    """Whether ``user`` is the REST account of the system whose Open311 key filed ``ticket``."""
    if user is None or not user.is_authenticated or not ticket.api_key_id:
        return False
    return Ticket.objects.filter(pk=ticket.pk, api_key__account_id=user.pk).exists()


# What staff do to a ticket they handle (not what a citizen does: file, support, answer, confirm, rate).
HANDLING_EVENTS = (
    EventType.ASSIGNED,
    EventType.PRIORITY_CHANGED,
    EventType.ACKNOWLEDGED,
    EventType.STARTED,
    EventType.REPLY,
    EventType.INFO_REQUESTED,
    EventType.NOTE,
    EventType.RESOLVED,
    EventType.REJECTED,
)


def forwarded_away(user, reference: str) -> str | None:
    """The department that has ticket ``reference`` now, when one of ``user``'s departments forwarded it, or they
    acted on it before a forward: what the page they open from an old link may tell them, and only that. None for
    anyone else (their 404 says nothing about the ticket)."""
    from .models import TicketEvent

    if not user or not user.is_authenticated:
        return None
    # A reorganisation's move (``actions.transfer``) takes a ticket out of the old department's queue as a forward does.
    forwards = TicketEvent.objects.filter(
        ticket__reference=reference, type__in=(EventType.FORWARDED, EventType.TRANSFERRED)
    )
    from_theirs = forwards.filter(payload__from_id__in=department_ids_of(user))
    handled = TicketEvent.objects.filter(ticket__reference=reference, actor_id=user.pk, type__in=HANDLING_EVENTS)
    if not (from_theirs.exists() or (forwards.exists() and handled.exists())):
        return None
    ticket = Ticket.objects.select_related("department").only("department__short_name").get(reference=reference)
    return ticket.department.short_name if ticket.department_id else ""


def merged_into(user, ticket: Ticket) -> Ticket | None:
    """The ticket ``ticket`` was merged into, if ``user`` may open it; None also when the viewer may not (a
    confidential report), whose page then says it went into a report that is not public, without naming it."""
    if not ticket.duplicate_of_id:
        return None
    return tickets_visible_to(user).filter(pk=ticket.duplicate_of_id).only("reference").first()


def public_timeline(ticket: Ticket) -> list:
    """The public events of a ticket, oldest first, with their ready photos (two queries)."""
    from django.db.models import Prefetch

    from .models import Attachment, TicketEvent

    return list(
        TicketEvent.objects.filter(ticket=ticket, public=True)
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.filter(state=Attachment.State.READY)))
        .order_by("created_at", "id")
    )


def ready_report_photos(ticket: Ticket) -> list:
    """The citizen's own photos that finished processing (pending ones are never shown)."""
    from .models import Attachment

    return list(
        Attachment.objects.filter(
            ticket=ticket, state=Attachment.State.READY, purpose=Attachment.Purpose.REPORT
        ).order_by("created_at")
    )


def subscription_of(user, ticket: Ticket):
    """The subscription behind ``user``'s emails about ``ticket``: a guest reporter's is the one of their address."""
    if follow.has_follow_link(ticket) and is_reporter(user, ticket):
        return Subscription.objects.filter(ticket=ticket, user__isnull=True, email=ticket.reporter_email).first()
    if user is None or not user.is_authenticated:
        return None
    return Subscription.objects.filter(ticket=ticket, user=user).first()


def ticket_for_follow_link(reference: str, token: str) -> Ticket | None:
    """The ticket a personal follow link opens, or None (unknown ticket, forged or foreign token: the page 404s)."""
    ticket = Ticket.objects.filter(reference=reference).first()
    if ticket is None or not follow.token_is_valid(ticket, token):
        return None
    return ticket


def is_assisting_staff(user) -> bool:
    """Staff of any department may file on a citizen's behalf (kelurahan office, call centre 112)."""
    return bool(department_ids_of(user))


# --- photos (complaints.photo_views serves them) ---------------------------------------------------------


def _shown_on_citizen_page() -> Q:
    """The photos the citizen ticket page shows (``views._ticket_page``): the report's own photos at the top
    (``ready_report_photos``: purpose "report", whatever their event) and the photos of the public events in
    the timeline (``public_timeline``). A photo of an internal event, or on no event, is not on that page."""
    from .models import Attachment

    return Q(purpose=Attachment.Purpose.REPORT) | Q(event__public=True)


def _among(tickets) -> Exists:
    # A correlated EXISTS on the photo's own ticket: PostgreSQL looks that one ticket up by primary key, however many
    # tickets the rules let through (about 0.04 ms with 300,000 tickets).
    return Exists(tickets.filter(pk=OuterRef("ticket_id")))


def visible_photo(user, pk: int):
    """The ready photo ``pk`` if ``user`` (carrying their session's reporter grants) may see it, else None. One query
    once the user's roles are known. Whoever opens the ticket's staff page sees all its ready photos; anyone else
    the ones the citizen ticket page shows them."""
    from .models import Attachment

    condition = _among(tickets_visible_to(user)) & _shown_on_citizen_page()
    if user is not None and user.is_authenticated:
        # What a report's filer sees on its page (``FILER_HIDDEN_EVENTS``): not the photos its reporter adds later.
        condition |= _among(filed_for_others(user)) & _shown_on_citizen_page() & ~Q(event__type__in=FILER_HIDDEN_EVENTS)
    if staff_ticket_filter(user) is not None:
        condition |= _among(staff_tickets(user))
    return Attachment.objects.filter(condition, pk=pk, state=Attachment.State.READY).first()


def waiting_tickets() -> tuple[int, int, object]:
    """(confirmed tickets waiting to be routed, unconfirmed ones, since when the longest-waiting confirmed one has
    waited): the operator's ``routing_status`` and ``/healthz``. Waiting starts at the last change of a ticket still
    submitted: its filing, or the confirmation of its filer's email, which may come hours after the filing."""
    submitted = Ticket.objects.filter(status=Status.SUBMITTED)
    figures = submitted.aggregate(
        confirmed=Count("pk", filter=Q(email_confirmed=True)),
        unconfirmed=Count("pk", filter=Q(email_confirmed=False)),
        oldest=Min("updated_at", filter=Q(email_confirmed=True)),
    )
    return figures["confirmed"], figures["unconfirmed"], figures["oldest"]
