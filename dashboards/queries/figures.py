"""The three dashboards, each as a set of named tables: what the page draws and what the downloads contain.

Ticket scopes:
- department: every ticket of that department (all privacy levels: staff see them anyway);
- city: every ticket (counts only: no ticket details, so no privacy level is revealed);
- public: only ``complaints.queries.public_tickets()``: confidential tickets never enter a public figure,
  even as a count, and no reporter name or contact detail is ever selected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from complaints.models import OPEN_STATUSES, Status, Ticket
from complaints.queries import department_members, public_pin, public_tickets
from services.models import Department

from . import plan, rollup, tickets
from .base import (
    BASE_SUFFIX,
    COUNT_SUFFIX,
    MIN_SAMPLE,
    SAMPLE_SUFFIX,
    WITA,
    Filters,
    Table,
    is_postgres,
    pin,
    pinned,
    plan_generation,
    stamp_of,
)
from .base import snapshot as cached_snapshot

MAP_POINT_LIMIT = 1000


class Computed(NamedTuple):
    """A page's ticket tables, with the moment their counts describe when earlier than now (``at``: the roll-ups'
    refresh time) and what its plan figures take from them (``for_plan``: the city's tickets per kecamatan)."""

    tables: dict
    at: dt.datetime | None = None
    for_plan: dict | None = None


def _status_labels() -> dict[str, str]:
    """Every status's label in the active language, looked up once per page rather than once per map point."""
    return {status.value: str(status.label) for status in Status}


def rate_counts(summary: dict, rate: str, column: str) -> dict:
    """The counts behind ``summary[rate]`` (``tickets.RATE_PARTS``), as the cells beside ``column`` in a row."""
    part, whole = tickets.RATE_PARTS[rate]
    return {f"{column}{COUNT_SUFFIX}": summary[part], f"{column}{BASE_SUFFIX}": summary[whole]}


def _rate_kpi(summary: dict, rate: str, label) -> dict:
    return {"measure": rate, "label": str(label), "value": summary[rate], **rate_counts(summary, rate, "value")}


# A report merged into another: the city answers it with that one (``tickets``, module docstring).
MERGED_LABEL = _("Merged into other reports")
# The files' column of how many ratings an average rating rests on (``SAMPLE_SUFFIX``).
RATINGS_COUNTED = _("Ratings (n)")


def _kpis(summary: dict, extra: dict | None = None) -> Table:
    """The key figures. The reports merged into others stand beside those filed, and the rates leave them out: counted
    as problems never done, a flood's duplicates merged by the duty officer lowered the share resolved."""
    rows = [
        {"measure": "tickets", "label": str(_("Tickets filed")), "value": summary["total"]},
        {"measure": "merged", "label": str(MERGED_LABEL), "value": summary["merged"]},
        {"measure": "open", "label": str(_("Still open")), "value": summary["open"]},
        _rate_kpi(summary, "done_rate", _("Resolved or closed (%)")),
        _rate_kpi(summary, "response_rate", _("Verified on time (%)")),
        _rate_kpi(summary, "resolution_rate", _("Resolved on time (%)")),
        {
            "measure": "median_acknowledge_hours",
            "label": str(_("Median time to verify (hours)")),
            "value": summary["median_acknowledge_hours"],
        },
        {
            "measure": "median_resolve_hours",
            "label": str(_("Median time to resolve (hours)")),
            "value": summary["median_resolve_hours"],
        },
        {
            "measure": "rating_avg",
            "label": str(_("Average rating (1–5)")),
            "value": summary["rating_avg"],
            f"value{SAMPLE_SUFFIX}": summary["rated"],
        },
        _rate_kpi(summary, "reopen_rate", _("Reopened (%)")),
    ]
    for key, (label, value) in (extra or {}).items():
        rows.insert(3, {"measure": key, "label": str(label), "value": value})  # after "Still open"
    note = ""
    if summary["merged"]:
        note = _(
            "A report merged into another is answered with that report: the rates count the %(problems)s reports "
            "not merged, so each problem counts once."
        ) % {"problems": summary["problems"]}
    return Table(
        "summary",
        _("Key figures"),
        [("label", _("Measure")), ("value", _("Value"))],
        rows,
        note=note,
        # Filled on the average rating's row only; a rate's counts are in the JSON (``rate_counts``).
        download_columns=((f"value{SAMPLE_SUFFIX}", RATINGS_COUNTED),),
    )


def partial_week(label: str, days: int) -> str:
    """A week's label with the days the range holds of it, when fewer than 7 (the chart's label, the table's note)."""
    return label if days == 7 else _("%(week)s (%(days)s of 7 days)") % {"week": label, "days": days}


def _weekly(queryset, filters: Filters, rows: list[dict] | None = None) -> Table:
    """Filed, done and merged into other reports per week of the page's range: ``rows`` from the roll-up when given,
    else counted live from ``queryset``. The merged ones are filed and never done: shown apart, they do not read as
    work left undone. A week without tickets is a row of zeros: left out, the chart drew a line straight over it and
    the download read as if the week had not been counted. Each week says how many of its days the range holds
    (``days``): the first and last are usually cut by the range, and their lower counts read as a drop in reports.
    The CSV has no column of days; the note names the partial weeks."""
    counted = {row["week"]: row for row in (tickets.weekly_trend(queryset) if rows is None else rows)}
    monday = filters.date_from - dt.timedelta(days=filters.date_from.weekday())
    weeks = []
    while monday <= filters.date_to:
        sunday = monday + dt.timedelta(days=6)
        days = (min(sunday, filters.date_to) - max(monday, filters.date_from)).days + 1
        weeks.append({**counted.get(monday, {"week": monday, "filed": 0, "merged": 0, "done": 0}), "days": days})
        monday += dt.timedelta(days=7)
    partial = [partial_week(date_format(week["week"]), week["days"]) for week in weeks if week["days"] < 7]
    return Table(
        "weekly",
        _("Tickets per week"),
        # The merged reports last: a reader of the CSV's first three columns (week, filed, done) still finds them.
        [("week", _("Week from")), ("filed", _("Filed")), ("done", _("Resolved or closed")), ("merged", MERGED_LABEL)],
        weeks,
        note=_("Partial weeks, cut by the start or end date: %(weeks)s.") % {"weeks": ", ".join(partial)}
        if partial
        else "",
    )


def _satisfaction(summary: dict) -> Table:
    return Table(
        "satisfaction",
        _("Ratings by citizens"),
        [("score", _("Score")), ("n", _("Ratings"))],
        [{"score": score, "n": summary["ratings"][score - 1]} for score in range(1, 6)],
        note=_("Average shown from %(n)s ratings.") % {"n": MIN_SAMPLE},
    )


def _top_services(queryset, found: list[dict] | None = None) -> Table:
    """The most reported services: ``found`` (as ``tickets.top_services`` returns) when given, else counted."""
    rows = [
        {
            "id": r["service_id"],
            "code": r["service__code"],
            "service": r["service__name_id"],
            "service_en": r["service__name_en"],
            "n": r["n"],
        }
        for r in (tickets.top_services(queryset) if found is None else found)
    ]
    return Table("top_services", _("Most reported services"), [("service", _("Service")), ("n", _("Tickets"))], rows)


def _kelurahan(queryset, counted: list[dict] | None = None) -> Table:
    """Tickets and open tickets per kelurahan: ``counted`` from the roll-up when given, else live."""
    rows = (
        queryset.filter(area__isnull=False)
        .order_by()
        .values("area_id", "area__code", "area__name", "area__parent__name")
        .annotate(**{"n": tickets.Count("id"), "open": tickets.Count("id", filter=tickets.open_condition())})
        .order_by("-n", "area__code")
    )
    return Table(
        "kelurahan",
        _("Tickets per kelurahan"),
        [
            ("code", _("Code")),
            ("kelurahan", _("Kelurahan")),
            ("kecamatan", _("Kecamatan")),
            ("n", _("Tickets")),
            ("open", _("Open")),
        ],
        [
            {
                "id": r["area_id"],
                "code": r["area__code"],
                "kelurahan": r["area__name"],
                "kecamatan": r["area__parent__name"],
                "n": r["n"],
                "open": r["open"],
            }
            for r in rows
        ]
        if counted is None
        else counted,
    )


def _sla_table(windows: dict) -> Table:
    rows = []
    for key, label in (("response", _("Verified on time")), ("resolution", _("Resolved on time"))):
        for days in (30, 90):
            figure = windows[f"{key}_{days}"]
            rows.append(
                {
                    "measure": key,
                    "label": str(label),
                    "days": days,
                    "met": figure["met"],
                    "missed": figure["missed"],
                    "rate": figure["rate"],
                }
            )
    return Table(
        "sla",
        _("SLA compliance (working days)"),
        [
            ("label", _("Measure")),
            ("days", _("Last days")),
            ("met", _("On time")),
            ("missed", _("Late")),
            ("rate", _("On time (%)")),
        ],
        rows,
        note=_("A rate needs at least %(n)s decided tickets.") % {"n": MIN_SAMPLE},
    )


def _open_by_age(snapshot: dict) -> Table:
    rows = []
    for key, label, _limit in tickets.AGE_BUCKETS:
        row = {"bucket": key, "label": str(label)}
        row.update({status: snapshot["grid"][key][status] for status in OPEN_STATUSES})
        row["total"] = sum(snapshot["grid"][key].values())
        rows.append(row)
    columns = [("label", _("Age"))] + [(status, Status(status).label) for status in OPEN_STATUSES]
    return Table("open_by_age", _("Open tickets by age and status"), columns + [("total", _("Total"))], rows)


WORKLOAD_COLUMNS = [
    ("officer", _("Officer")),
    ("open", _("Open now")),
    ("overdue", _("Overdue now")),
    ("oldest_days", _("Oldest open ticket (days)")),
    ("resolved", _("Resolved in the period")),
]


def _workload(department: Department, current, filters: Filters, *, now: dt.datetime) -> Table:
    """Open, overdue and resolved tickets per officer: whom the head reassigns from and chases.

    ``current``: the department's tickets under the place and service filters, whatever their filing date.
    One row per member (``department_members``: the people the queue can assign to), one for the unassigned
    tickets, and one per other person still holding or having resolved the department's tickets (a former member,
    a deactivated account), marked so the head reassigns their tickets. Each row's ``kind`` says which."""
    counted = tickets.workload_by_assignee(current, now=now, resolved_from=filters.start, resolved_to=filters.end)
    members = department_members(department.pk)
    people = (
        User.objects.filter(Q(pk__in=members.values("pk")) | Q(pk__in=[pk for pk in counted if pk is not None]))
        .annotate(member=Exists(members.filter(pk=OuterRef("pk"))))
        .only("id", "full_name", "email")
    )
    today = timezone.localtime(now, WITA).date()

    def row(assignee_id, officer: str, kind: str) -> dict:
        found = counted.get(assignee_id) or {"open": 0, "overdue": 0, "oldest": None, "resolved": 0}
        oldest = found["oldest"]
        return {
            "assignee_id": assignee_id,
            "kind": kind,
            "officer": officer,
            "open": found["open"],
            "overdue": found["overdue"],
            "oldest_days": None if oldest is None else (today - timezone.localtime(oldest, WITA).date()).days,
            "resolved": found["resolved"],
        }

    officers = [
        row(person.pk, str(person), "member")
        if person.member
        else row(person.pk, str(_("%(name)s (not in the department any more)") % {"name": person}), "former")
        for person in people
    ]
    officers.sort(key=lambda r: (-r["overdue"], -r["open"], r["officer"].casefold()))
    # Unassigned tickets are the first thing to hand out; with none, the row stays as a visible zero at the end.
    unassigned = row(None, str(_("Unassigned")), "unassigned")
    rows = [unassigned, *officers] if unassigned["open"] else [*officers, unassigned]
    period = {"start": date_format(filters.date_from, "j M Y"), "end": date_format(filters.date_to, "j M Y")}
    return Table(
        "workload",
        _("Workload per officer"),
        WORKLOAD_COLUMNS,
        rows,
        note=_(
            "Open and overdue count every open ticket now, whenever it was filed; resolved counts the tickets "
            "resolved from %(start)s to %(end)s and not reopened since, whenever they were filed. A ticket counts "
            "for whoever it is assigned to now. The place and service filters apply to every column."
        )
        % period,
    )


def department_dashboard(
    department: Department, filters: Filters, *, now: dt.datetime | None = None, snapshot: str | None = None
) -> dict:
    """Everything on one department's dashboard (cached a few minutes per department and filters); ``snapshot``:
    the figures a page showed, while they are kept (``_snapshot``)."""

    scoped = Ticket.objects.filter(department=department)
    place = Filters(
        filters.date_from, filters.date_to, None, filters.kecamatan_id, filters.kelurahan_id, filters.service_id
    )
    current = scoped.filter(place.where(dates=False))

    def compute():
        moment = now or timezone.now()
        period = scoped.filter(place.where())
        mine = replace(filters, department_id=department.pk)
        at = rollup.usable(mine, now=now, moment=moment)
        snapshot = tickets.open_by_age(
            current, now=at or moment, counted=rollup.open_by_age(department.pk, at) if at else None
        )
        counted = rollup.counts(mine, public=False, by_department=False) if at else None
        window = rollup.medians(replace(filters, department_id=None), public=False) if at else None
        medians = window[0].get(department.pk, dict.fromkeys(tickets.MEDIAN_SPECS)) if window else None
        summary = tickets.period_summary(period, now=at or moment, counted=counted, medians=medians)
        if at:
            services, areas = rollup.department_places(mine)
        elif is_postgres():  # both in one pass over the department's tickets in range
            services, areas = tickets.services_and_kelurahan(period)
        else:
            services, areas = None, None
        tables = [
            _kpis(
                summary,
                {
                    "overdue": (_("Overdue now"), snapshot["overdue"]),
                    "open_now": (_("Open now (all dates)"), snapshot["open"]),
                },
            ),
            _open_by_age(snapshot),
            _sla_table(
                tickets.sla_windows(
                    current,
                    now=at or moment,
                    counted=rollup.sla_windows(department.pk, at, tickets.SLA_WINDOWS) if at else None,
                )
            ),
            _satisfaction(summary),
            _top_services(period, services),
            _kelurahan(period, areas),
            _weekly(period, mine, rollup.weekly(mine, public=False) if at else None),
        ]
        return Computed({t.key: t for t in tables}, at)

    key = f"department:{department.pk}:{filters.cache_key()}"
    # The workload is read live, outside the page's cache and the roll-ups (they hold no assignee): a head who has
    # just handed an officer's tickets on sees it at once, not up to five minutes later. Shown after the ages.
    return _snapshot(
        key,
        compute,
        lambda at: [_workload(department, current, filters, now=at)],
        plan=lambda _computed, moment: plan.department_tables(department, filters, now=moment),
        now=now,
        snapshot=snapshot,
        after="open_by_age",
    )


def _department_names() -> dict[int, dict]:
    return {d["id"]: d for d in Department.objects.values("id", "code", "short_name", "name")}


def rank_departments(summaries: dict[int, dict], names: dict[int, dict]) -> list[dict]:
    """Rank by on-time resolution, then the median time to resolve; below the minimum sample: unranked."""
    rows = []
    for department_id, s in summaries.items():
        info = names.get(department_id, {})
        rows.append(
            {
                "id": department_id,
                "code": info.get("code"),
                "department": info.get("short_name"),
                "total": s["total"],
                "merged": s["merged"],
                "open": s["open"],
                "overdue": s["overdue"],
                "response_rate": s["response_rate"],
                "resolution_rate": s["resolution_rate"],
                "median_acknowledge_hours": s["median_acknowledge_hours"],
                "median_resolve_hours": s["median_resolve_hours"],
                "rating_avg": s["rating_avg"],
                f"rating_avg{SAMPLE_SUFFIX}": s["rated"],
                "reopen_rate": s["reopen_rate"],
                **{
                    key: value
                    for rate in ("response_rate", "resolution_rate", "reopen_rate")
                    for key, value in rate_counts(s, rate, rate).items()
                },
            }
        )
    ranked = [r for r in rows if r["resolution_rate"] is not None]
    unranked = [r for r in rows if r["resolution_rate"] is None]
    ranked.sort(key=lambda r: (-r["resolution_rate"], r["median_resolve_hours"] or float("inf"), r["code"] or ""))
    unranked.sort(key=lambda r: (-r["total"], r["code"] or ""))
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    for row in unranked:
        row["rank"] = None
    return ranked + unranked


COMPARISON_COLUMNS = [
    ("rank", _("Rank")),
    ("department", _("Department")),
    ("total", _("Tickets")),
    ("merged", MERGED_LABEL),
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    ("response_rate", _("Verified on time (%)")),
    ("resolution_rate", _("Resolved on time (%)")),
    ("median_acknowledge_hours", _("Median hours to verify")),
    ("median_resolve_hours", _("Median hours to resolve")),
    ("rating_avg", _("Average rating")),
    ("reopen_rate", _("Reopened (%)")),
]
# The departments' files end with how many ratings each average rests on (the page shows it in the cell).
COMPARISON_FILE_COLUMNS = ((f"rating_avg{SAMPLE_SUFFIX}", RATINGS_COUNTED),)


def _escalations(filters: Filters, names: dict[int, dict] | None = None) -> Table:
    """Open escalated tickets per department and level, now: read live with the page's list of escalated tickets
    (``views._escalated_list``), so that the two agree. Cached with the other figures, right after an escalation
    sweep it still counted level 1 while the list beside it showed level 2."""
    names = _department_names() if names is None else names
    escalations = [
        {
            "department_id": r["department_id"],
            "department_code": names.get(r["department_id"], {}).get("code"),
            "department": names.get(r["department_id"], {}).get("short_name"),
            "level": r["escalation_level"],
            "n": r["n"],
        }
        for r in tickets.escalations_waiting(Ticket.objects.filter(filters.where(dates=False)))
    ]
    return Table(
        "escalations",
        _("Escalations waiting"),
        [("department", _("Department")), ("level", _("Level")), ("n", _("Tickets"))],
        escalations,
        note=_("Counted when the page was opened; the other figures are refreshed every few minutes."),
    )


def city_dashboard(filters: Filters, *, now: dt.datetime | None = None, snapshot: str | None = None) -> dict:
    """Every department side by side, escalations, and the year's plan (cached a few minutes per filters, the
    escalations read live); ``snapshot``: the figures a page showed, while they are kept (``_snapshot``)."""

    def compute():
        moment = now or timezone.now()
        at = rollup.usable(filters, now=now, moment=moment)
        period = Ticket.objects.filter(filters.where())
        names = _department_names()
        counted = rollup.counts(filters, public=False, by_department=True) if at else None
        medians = rollup.medians(filters, public=False) if at else None
        per_department, summary = tickets.by_department(period, now=at or moment, counted=counted, medians=medians)
        departments = rank_departments(per_department, names)
        tables = [
            _kpis(summary),
            Table(
                "departments",
                _("Departments side by side"),
                COMPARISON_COLUMNS,
                departments,
                note=_(
                    "Ranked by tickets resolved on time, then median time to resolve; a department needs at "
                    "least %(n)s decided tickets to be ranked."
                )
                % {"n": MIN_SAMPLE},
                download_columns=COMPARISON_FILE_COLUMNS,
            ),
            _weekly(period, filters, rollup.weekly(filters, public=False) if at else None),
            _kelurahan(period, rollup.kelurahan(filters, public=False) if at else None),
        ]
        # The kecamatan table's tickets, counted with the others: the plan's figures are computed again after each
        # change to the plan, the tickets' are not.
        kecamatan = rollup.kecamatan(filters, public=False) if at else None  # None: not in the roll-up
        if kecamatan is None:
            kecamatan = tickets.by_kecamatan(period)
        return Computed({t.key: t for t in tables}, at, {"kecamatan_counts": kecamatan})

    def plan_tables(computed: Computed, moment):
        counts = computed.for_plan["kecamatan_counts"]
        return plan.city_tables(filters, now=moment, kecamatan_counts=counts)

    key = f"city:{filters.cache_key()}"
    return _snapshot(
        key,
        compute,
        lambda _at: [_escalations(filters)],
        plan=plan_tables,
        now=now,
        snapshot=snapshot,
        after="departments",
    )


def public_dashboard(filters: Filters, *, now: dt.datetime | None = None, snapshot: str | None = None) -> dict:
    """The transparency page: public tickets only, and the plan's money and progress; ``snapshot``: the figures a
    page showed, while they are kept (``_snapshot``)."""

    def compute():
        moment = now or timezone.now()
        at = rollup.usable(filters, now=now, moment=moment)
        period = public_tickets().filter(filters.where())
        names = _department_names()
        counted = rollup.counts(filters, public=True, by_department=True) if at else None
        medians = rollup.medians(filters, public=True) if at else None
        per_department, summary = tickets.by_department(period, now=at or moment, counted=counted, medians=medians)
        departments = rank_departments(per_department, names)
        points = (
            period.filter(lat__isnull=False, lng__isnull=False)
            .order_by("-created_at")
            .values("reference", "status", "privacy", "lat", "lng", "created_at", "service__name_id", "area__name")[
                :MAP_POINT_LIMIT
            ]
        )
        tables = [
            _kpis(summary),
            _weekly(period, filters, rollup.weekly(filters, public=True) if at else None),
            Table(
                "departments",
                _("Departments: resolution and response times"),
                [c for c in COMPARISON_COLUMNS if c[0] not in ("rank", "overdue")],
                departments,
                note=_("A rate or median needs at least %(n)s tickets.") % {"n": MIN_SAMPLE},
                download_columns=COMPARISON_FILE_COLUMNS,
            ),
            _kelurahan(period, rollup.kelurahan(filters, public=True) if at else None),
            Table(
                "map",
                _("Public reports on the map (latest)"),
                [
                    ("reference", _("Reference")),
                    ("service", _("Service")),
                    ("status", _("Status")),
                    ("kelurahan", _("Kelurahan")),
                    ("filed", _("Filed")),
                    ("lat", _("Latitude")),
                    ("lng", _("Longitude")),
                ],
                [
                    {
                        "reference": p["reference"],
                        "service": p["service__name_id"],
                        "status": p["status"],
                        "status_label": labels[p["status"]],
                        "kelurahan": p["area__name"],
                        # A date: the map writes it in the page's language, CSV/JSON as ISO.
                        "filed": p["created_at"].astimezone(wita).date(),
                        # An anonymous report's pin to about 100 m, as on every public output: its exact pin is
                        # often the filer's door.
                        "lat": round(lat, 5),
                        "lng": round(lng, 5),
                    }
                    for labels, wita in [(_status_labels(), timezone.get_current_timezone())]
                    for p in points
                    for lat, lng in [public_pin(p["privacy"], p["lat"], p["lng"])]
                ],
                note=_("The latest %(n)s public reports in the filter.") % {"n": MAP_POINT_LIMIT},
            ),
        ]
        return Computed({t.key: t for t in tables}, at)

    key = f"public:{filters.cache_key()}"
    return _snapshot(
        key, compute, plan=lambda _computed, moment: plan.public_tables(filters, now=moment), now=now, snapshot=snapshot
    )


def _computed(result) -> tuple[Computed, dt.datetime]:
    """A cached ``compute()``'s tables, and when their figures were computed (the roll-ups' time, when read there)."""
    computed, computed_at = result
    if not isinstance(computed, Computed):  # kept by a version whose pages held plain dicts of tables
        computed = Computed(computed)
    return computed, computed.at or computed_at


def _plan_part(key: str, computed: Computed, ticket_stamp: str, plan, *, now, stamp: str):
    """``(tables, computed_at)`` of the page's plan: cached apart from the tickets, under the plan's generation
    (``base.plan_generation``), so that a planning action shows on the next page read while the tickets keep their
    cache; and under the tickets' stamp, since the city's kecamatan table puts the two side by side. Its snapshots
    are kept under one key (``key:plan``) whatever the generation, as the page's download links name them."""
    if now is not None:
        return plan(computed, now), now
    return cached_snapshot(
        f"{key}:plan:{plan_generation()}:{ticket_stamp}",
        lambda: plan(computed, timezone.now()),
        stamp,
        pinned_as=f"{key}:plan",
    )


def computed_at_of(dashboard: dict, key: str) -> dt.datetime:
    """When the figures of the table ``key`` were computed: live, the plan's or the tickets' (``_snapshot``)."""
    for part in ("live", "plan"):
        if key in dashboard.get(part, ()):
            return dashboard[f"{part}_at"]
    return dashboard["computed_at"]


def _snapshot(key: str, compute, live=None, *, plan=None, now, snapshot: str | None, after: str = "") -> dict:
    """A page's figures: ``compute()``'s ticket tables, cached, then its plan's tables ``plan(computed, moment)``,
    cached apart (``_plan_part``), then the tables ``live(moment)`` reads at each request, placed after the table
    ``after``. ``snapshot`` names the figures a page showed (its ``"snapshot"``, which its download links carry:
    ``<tickets>-<live>-<plan>``): while they are kept (``base.SNAPSHOT_SECONDS``) they are given again, live and plan
    tables included, so that a file holds what its page showed; after that, the figures of now.

    Returns ``{"tables", "computed_at", "snapshot"}``, with the plan's tables ``"plan"`` (their keys) and
    ``"plan_at"``, and with live tables ``"live"`` and ``"live_at"`` (when they were read): a file says when its
    figures were computed (``computed_at_of``)."""
    cached_stamp, live_stamp, plan_stamp = [*(snapshot or "").split("-", 2), "", ""][:3]
    result = cached_snapshot(key, compute, cached_stamp) if now is None else (compute(), now)
    computed, computed_at = _computed(result)
    ticket_stamp = stamp_of(result[1])
    page = {"tables": computed.tables, "computed_at": computed_at, "snapshot": ticket_stamp}
    if plan is not None:
        plan_tables, plan_at = _plan_part(key, computed, ticket_stamp, plan, now=now, stamp=plan_stamp)
        page["tables"] = {**page["tables"], **{table.key: table for table in plan_tables}}
        page.update(plan=frozenset(table.key for table in plan_tables), plan_at=plan_at)
        page["snapshot"] = f"{ticket_stamp}--{stamp_of(plan_at)}"
    if live is None:
        return page
    read = pinned(f"{key}:live", live_stamp) if live_stamp and now is None else None
    if read is None:
        live_at = now or timezone.now()
        read = (live(live_at), live_at)
        if now is None:
            pin(f"{key}:live", stamp_of(live_at), read)
    live_tables, live_at = read
    tables = {}
    for table_key, table in page["tables"].items():
        tables[table_key] = table
        if table_key == after:
            tables.update((table.key, table) for table in live_tables)
    for table in live_tables:
        tables.setdefault(table.key, table)
    plan_stamp = stamp_of(page["plan_at"]) if plan is not None else ""
    return {
        **page,
        "tables": tables,
        "live": frozenset(table.key for table in live_tables),
        "live_at": live_at,
        "snapshot": "-".join((ticket_stamp, stamp_of(live_at), plan_stamp)).rstrip("-"),
    }
