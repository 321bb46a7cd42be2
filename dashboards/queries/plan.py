"""Planning figures: activities with budget absorption vs physical progress vs time elapsed, overdue milestones,
indicator achievement, the year's plan by stage, absorption by department and kecamatan, evaluation grades,
and "you asked, we did".

The budget of an activity is its revised version once there is one, else the original (as in
``planning.queries``); absorption = realised / budget. Each page reads every activity's money once, in three
grouped queries (budget lines, realisations, latest progress report), and sums it per stage, department,
programme or kecamatan in Python: per-activity subqueries in each grouped query cost a page ~60-90 ms of SQL
at 2,000 activities. Money stays ``Decimal``. An activity that spans several kelurahan is split evenly between
them for the per-kecamatan map, so the kecamatan add up to the city total.

Every figure here is for one fiscal year: the one chosen in the filters, else ``default_fiscal_year``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from smartcity.site_links import absolute_url

from .base import Table

ZERO = Decimal("0")
# The page's filters the plan's tables follow: its year and department. Not the dates (a budget is the year's), nor a
# place (an activity's kelurahan hold no share of its budget a filter could take: the city's kecamatan map splits it
# evenly, as an estimate, and city-wide activities have none), nor a service (no activity is planned by service).
PLAN_FILTERS = ("tahun", "department")
PLAN_NOTE = _(
    "Plan figures cover the whole fiscal year and every place: the dates, kecamatan, kelurahan and service chosen do "
    "not apply to them."
)
ACTIVITY_CHART_LIMIT = 25
LIST_LIMIT = 200


def pct(part, whole) -> Decimal | None:
    """Percentage with one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def available() -> bool:
    from django.apps import apps

    try:
        apps.get_model("planning", "Activity")
    except LookupError:
        return False
    return True


def default_fiscal_year(today: dt.date):
    """The fiscal year the dashboards show unless another is chosen: the newest year whose execution has ended and
    whose evaluation has not (its stage calendar's ``execution_end`` < today <= ``evaluation_end``), else the
    current one. On 2 January the city still reports and evaluates the year just ended: switching on the calendar
    year emptied "You asked, we did" and showed a new year with nothing done yet. Reading from the end of execution
    rather than ``evaluation_start`` keeps the days between the two (the demo's evaluation starts on 4 January)."""
    from planning.models import FiscalYear
    from planning.queries import current_fiscal_year

    closing = FiscalYear.objects.filter(execution_end__lt=today, evaluation_end__gte=today).order_by("-year").first()
    return closing or current_fiscal_year(today)


def _fiscal_year(filters, now: dt.datetime):
    """The fiscal year the page's filters ask for, or the default one on the day of ``now``."""
    from planning.models import FiscalYear

    if filters.fiscal_year:
        return FiscalYear.objects.filter(year=filters.fiscal_year).first()
    return default_fiscal_year(timezone.localtime(now).date())


@dataclass(frozen=True)
class ActivityMoney:
    budget: Decimal = ZERO
    realised: Decimal = ZERO
    # The latest progress report's %, None without any; and whether someone verified it (None without a report).
    physical: Decimal | None = None
    physical_verified: bool | None = None
    ceiling: Decimal = ZERO  # the indicative ceiling (pagu indikatif), read with ``ceiling=True``


NO_MONEY = ActivityMoney()


def money_per_activity(activities, *, physical: bool = False, ceiling: bool = False) -> dict[int, ActivityMoney]:
    """Budget (revised, else original, else 0), realised and, with ``physical``, the latest physical % (and whether it
    is verified) of each activity in ``activities`` (a queryset or a list of ids), with ``ceiling`` its indicative
    ceiling too (in the same query as the budget); activities with none of these are left out."""
    from planning.models import BudgetLine, BudgetVersion, ProgressReport, Realisation, budget_in_force

    budgets: dict[int, dict[str, Decimal]] = {}
    versions = (BudgetVersion.REVISED, BudgetVersion.ORIGINAL, *((BudgetVersion.INDICATIVE,) if ceiling else ()))
    lines = (
        BudgetLine.objects.filter(activity__in=activities, version__in=versions)
        .order_by()
        .values("activity_id", "version")
        .annotate(total=Sum("amount"))
        .values_list("activity_id", "version", "total")
    )
    for activity_id, version, total in lines:
        budgets.setdefault(activity_id, {})[version] = total
    realised = dict(
        Realisation.objects.filter(activity__in=activities)
        .order_by()
        .values("activity_id")
        .annotate(total=Sum("amount"))
        .values_list("activity_id", "total")
    )
    progress = {}
    if physical:
        latest = Window(RowNumber(), partition_by=F("activity_id"), order_by=F("month").desc())
        latest_reports = (
            ProgressReport.objects.filter(activity__in=activities)
            .annotate(newest=latest)
            .filter(newest=1)
            .values_list("activity_id", "physical_pct", "verified_at")
        )
        progress = {activity_id: (share, verified_at is not None) for activity_id, share, verified_at in latest_reports}
    money = {}
    for activity_id in budgets.keys() | realised.keys() | progress.keys():
        versions = budgets.get(activity_id, {})
        reported, verified = progress.get(activity_id, (None, None))
        money[activity_id] = ActivityMoney(
            budget=budget_in_force(versions.get(BudgetVersion.ORIGINAL), versions.get(BudgetVersion.REVISED)),
            realised=realised.get(activity_id, ZERO),
            physical=reported,
            physical_verified=verified,
            ceiling=versions.get(BudgetVersion.INDICATIVE) or ZERO,
        )
    return money


def time_elapsed(start: dt.date, end: dt.date, today: dt.date) -> Decimal:
    span = (end - start).days or 1
    return pct(min(max((today - start).days, 0), span), span)


def _activity_rows(queryset, today: dt.date, money: dict[int, ActivityMoney] | None = None) -> list[dict]:
    """One row per activity of ``queryset``; ``money`` (with physical %) when the page has read it already. Each
    row holds what ``ACTIVITY_FILE_COLUMNS`` names too, whichever dashboard lists it."""
    from planning.models import Stage

    from ..links import page_by_id

    public_page = page_by_id("planning:public_activity")

    activities = list(
        queryset.values(
            "id",
            "code",
            "name",
            "stage",
            "start_date",
            "end_date",
            "department__short_name",
            "programme__code",
        )
    )
    if money is None:
        money = money_per_activity([a["id"] for a in activities], physical=True)
    stage_labels = {stage.value: str(stage.label) for stage in Stage}  # one translation each, not one per row
    rows = []
    for a in activities:
        m = money.get(a["id"], NO_MONEY)
        rows.append(
            {
                "id": a["id"],
                "code": a["code"],
                "activity": a["name"],
                "department": a["department__short_name"],
                "programme_code": a["programme__code"],
                "stage": a["stage"],
                "stage_label": stage_labels[a["stage"]],
                "budget": m.budget,
                "realised": m.realised,
                "absorption": pct(m.realised, m.budget),
                # Shown like absorption; None without a progress report ("No report yet", as the plan's pages
                # say), and marked while nobody has verified it (the department's own claim).
                "physical": None if m.physical is None else m.physical.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                "physical_verified": m.physical_verified,
                "time_elapsed": time_elapsed(a["start_date"], a["end_date"], today),
                # Dates: ISO in the files, which carry them (``ACTIVITY_FILE_COLUMNS``).
                "start_date": a["start_date"],
                "end_date": a["end_date"],
                # Where the file leaves the site (a spreadsheet, a script), its address says where the activity is
                # read: its public page, open at every stage, from the staff dashboards' files too.
                "page": absolute_url(public_page(a["id"])),
            }
        )
    return rows


ACTIVITY_COLUMNS = [
    ("code", _("Code")),
    ("activity", _("Activity")),
    ("stage_label", _("Stage")),
    ("budget", _("Budget")),
    ("realised", _("Realised")),
    ("absorption", _("Budget absorption (%)")),
    ("physical", _("Physical progress (%)")),
    ("time_elapsed", _("Time elapsed (%)")),
]
# What a researcher joins an activities file with, after the page's columns (``Table.download_columns``), on every
# dashboard that lists activities (``activities_table``): the id and the public page's address as the JSON and the
# links have them, the programme (``programmes``' code, ``PROGRAMME_FILE_COLUMNS``), the planned dates. The pages link
# each activity to its page already. The department's files lacked them while the public one's had them.
ACTIVITY_FILE_COLUMNS = (
    ("id", _("Activity id")),
    ("programme_code", _("Programme code")),
    ("start_date", _("Planned start")),
    ("end_date", _("Planned end")),
    ("page", _("Public page")),
    # Yes or no, empty without a report: a physical progress nobody has verified is the department's own claim.
    ("physical_verified", _("Physical progress verified")),
)
# The code an activities file names each activity's programme by (empty for "Other"), last in a programmes file.
PROGRAMME_FILE_COLUMNS = (("code", _("Programme code")),)


def activities_table(title, columns: list, rows: list[dict], *, note=PLAN_NOTE, totals: dict | None = None) -> Table:
    """The ``activities`` table of a dashboard (rows from ``_activity_rows``): the plan's filters, and the same
    columns only the files carry (``ACTIVITY_FILE_COLUMNS``) whichever dashboard it is on."""
    return Table(
        "activities",
        title,
        columns,
        rows,
        note=note,
        follows=PLAN_FILTERS,
        download_columns=ACTIVITY_FILE_COLUMNS,
        totals=totals,
    )


# The plan by stage's money: the budget in force (revised, else original) of each stage, but for planned activities,
# which have none yet, their indicative ceiling (pagu indikatif).
STAGE_BUDGET_LABEL = _("Budget (planned: indicative ceiling)")
STAGE_BUDGET_NOTE = _(
    "Planned activities have no approved budget yet: their row shows the indicative ceiling (pagu indikatif); the "
    "other stages show the budget in force (revised, else original)."
)
# The columns of a ``_grouped_money`` row after its group's name.
GROUPED_MONEY_COLUMNS = [
    ("n", _("Activities")),
    ("budget", _("Budget")),
    ("realised", _("Realised")),
    ("absorption", _("Budget absorption (%)")),
]


def department_tables(department, filters, *, now) -> list:
    if not available():
        return []
    from planning.models import Activity, Indicator, IndicatorValue, Milestone

    year = _fiscal_year(filters, now)
    if year is None:
        return []
    today = timezone.localtime(now).date()
    activities = Activity.objects.filter(fiscal_year=year, department=department).order_by("code")
    rows = _activity_rows(activities, today)
    rows.sort(key=lambda r: (-(r["budget"] or 0), r["code"]))
    milestones = (
        Milestone.objects.filter(
            activity__fiscal_year=year,
            activity__department=department,
            status=Milestone.Status.PENDING,
            due_date__lt=today,
        )
        .order_by("due_date")
        .values("name", "due_date", "activity_id", "activity__code", "activity__name")[:LIST_LIMIT]
    )
    latest_value = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-period").values("value")[:1]
    indicators = (
        Indicator.objects.filter(activity__fiscal_year=year, activity__department=department)
        .annotate(actual=Subquery(latest_value, output_field=DecimalField(max_digits=14, decimal_places=2)))
        .select_related("activity")
        .order_by("activity__code", "id")[:LIST_LIMIT]
    )
    from planning.queries import indicator_achievement

    return [
        activities_table(
            _("Activities %(year)s: budget absorption, physical progress and time elapsed") % {"year": year.year},
            ACTIVITY_COLUMNS,
            rows,
        ),
        Table(
            "milestones_overdue",
            _("Overdue milestones, %(year)s") % {"year": year.year},
            [
                ("activity", _("Activity")),
                ("milestone", _("Milestone")),
                ("due", _("Due")),
                ("days_late", _("Days late")),
            ],
            [
                {
                    "activity_id": m["activity_id"],
                    "activity": f"{m['activity__code']} {m['activity__name']}",
                    "milestone": m["name"],
                    "due": m["due_date"],  # a date: the page shows it in its language, CSV/JSON as ISO
                    "days_late": (today - m["due_date"]).days,
                }
                for m in milestones
            ],
            note=PLAN_NOTE,
            follows=PLAN_FILTERS,
        ),
        Table(
            "indicators",
            _("Indicator achievement, %(year)s") % {"year": year.year},
            [
                ("activity", _("Activity")),
                ("indicator", _("Indicator")),
                ("unit", _("Unit")),
                ("baseline", _("Baseline")),
                ("target", _("Target")),
                ("actual", _("Latest value")),
                ("achievement", _("Achievement (%)")),
            ],
            [
                {
                    "activity_id": i.activity_id,
                    "activity": i.activity.code,
                    "activity_name": i.activity.name,  # tells the chart's bars apart; not a column
                    "indicator": i.description,
                    "unit": i.unit,
                    "baseline": i.baseline,
                    "target": i.target,
                    "actual": i.actual,
                    "achievement": indicator_achievement(i, i.actual),
                }
                for i in indicators
            ],
            note=PLAN_NOTE,
            follows=PLAN_FILTERS,
        ),
    ]


def _grouped_money(
    queryset, group: str, money: dict[int, ActivityMoney], *, named_by: tuple[str, ...] = ()
) -> list[dict]:
    """Activities, budget and realised summed per ``group``, in the database's order of ``group``; ``named_by``:
    fields that tell groups of the same ``group`` value apart and are kept in the row (a department's code beside
    its short name, which two departments may share)."""
    fields = (group, *named_by)
    activities = queryset.order_by(*fields, "id").values_list(*fields, "id")
    rows = []
    for values, members in groupby(activities, key=lambda row: row[:-1]):
        figures = [money.get(row[-1], NO_MONEY) for row in members]
        rows.append(
            {
                **dict(zip(fields, values, strict=True)),
                "n": len(figures),
                "budget_sum": sum((m.budget for m in figures), ZERO),
                "realised_sum": sum((m.realised for m in figures), ZERO),
                "ceiling_sum": sum((m.ceiling for m in figures), ZERO),
            }
        )
    return rows


def _grouped_money_cells(row: dict) -> dict:
    """The ``GROUPED_MONEY_COLUMNS`` cells of one ``_grouped_money`` row."""
    return {
        "n": row["n"],
        "budget": row["budget_sum"],
        "realised": row["realised_sum"],
        "absorption": pct(row["realised_sum"], row["budget_sum"]),
    }


def _money_totals(groups: list[dict]) -> dict:
    """The ``GROUPED_MONEY_COLUMNS`` cells of every ``_grouped_money`` row together."""
    return _grouped_money_cells(
        {
            "n": sum(group["n"] for group in groups),
            "budget_sum": sum((group["budget_sum"] for group in groups), ZERO),
            "realised_sum": sum((group["realised_sum"] for group in groups), ZERO),
        }
    )


def kecamatan_money(activities, money: dict[int, ActivityMoney]) -> dict[int, dict]:
    """Budget and realised of ``activities`` per kecamatan, each activity split evenly between its kelurahan."""
    from planning.models import Activity

    places = list(
        Activity.kelurahans.through.objects.filter(activity__in=activities).values_list(
            "activity_id", "area__parent_id"
        )
    )
    shares = Counter(activity_id for activity_id, kecamatan_id in places)
    per_kecamatan: dict[int, dict] = {}
    for activity_id, kecamatan_id in places:
        m = money.get(activity_id, NO_MONEY)
        sums = per_kecamatan.setdefault(kecamatan_id, {"budget_sum": ZERO, "realised_sum": ZERO})
        sums["budget_sum"] += m.budget / shares[activity_id]
        sums["realised_sum"] += m.realised / shares[activity_id]
    return per_kecamatan


KECAMATAN_MONEY_NOTE = _(
    "The tickets follow every filter chosen; the money follows only the year and the department, not the dates, "
    "kecamatan, kelurahan or service."
)


def _kecamatan_money_columns(filters) -> list[tuple[str, str]]:
    """The money columns of the kecamatan table. A kecamatan or kelurahan chosen narrows its tickets, not its money:
    then the headings say the money is city-wide, since the kecamatan not chosen keep their budget beside no tickets
    and the one chosen its whole budget beside one kelurahan's tickets."""
    if filters.kecamatan_id or filters.kelurahan_id:
        return [
            ("budget", _("Budget (city-wide)")),
            ("realised", _("Realised (city-wide)")),
            ("absorption", _("Budget absorption (city-wide, %)")),
        ]
    return [("budget", _("Budget")), ("realised", _("Realised")), ("absorption", _("Budget absorption (%)"))]


def city_tables(filters, *, now, kecamatan_counts: dict[int, int]) -> list:
    """The plan's tables of the city page; ``kecamatan_counts``: the page's tickets per kecamatan, beside the
    kecamatan's spending."""
    if not available():
        return []
    from planning.models import Activity, Evaluation, Grade, Stage
    from services.models import Area

    year = _fiscal_year(filters, now)
    if year is None:
        return []
    activities = Activity.objects.filter(fiscal_year=year)
    if filters.department_id:
        activities = activities.filter(department_id=filters.department_id)
    # Every plan table here follows the department chosen, as the rest of the page: the grades and the kecamatan's
    # money counted the whole city's beside one department's tickets. One read of the money serves them all.
    activity_money = money_per_activity(activities, ceiling=True)
    by_stage = {r["stage"]: r for r in _grouped_money(activities, "stage", activity_money)}
    by_department = _grouped_money(activities, "department__short_name", activity_money, named_by=("department__code",))
    money = kecamatan_money(activities, activity_money)
    grades = dict(
        Evaluation.objects.filter(activity__in=activities)
        .order_by()
        .values("grade")
        .annotate(n=Count("id"))
        .values_list("grade", "n")
    )
    kecamatan_rows = []
    for area in Area.objects.filter(level="kecamatan").order_by("name").values("id", "code", "name"):
        m = money.get(area["id"], {})
        budget = (m.get("budget_sum") or ZERO).quantize(Decimal("1"))
        realised = (m.get("realised_sum") or ZERO).quantize(Decimal("1"))
        kecamatan_rows.append(
            {
                "id": area["id"],
                "code": area["code"],
                "kecamatan": area["name"],
                "tickets": kecamatan_counts.get(area["id"], 0),
                "budget": budget,
                "realised": realised,
                "absorption": pct(realised, budget),
            }
        )
    return [
        Table(
            "plan_stages",
            _("The %(year)s plan by stage") % {"year": year.year},
            [("label", _("Stage")), ("n", _("Activities")), ("budget", STAGE_BUDGET_LABEL)],
            [
                {
                    "stage": s.value,
                    "year": year.year,  # for the row's link to the activity list (dashboards.links)
                    "label": str(s.label),
                    "n": by_stage.get(s.value, {}).get("n", 0),
                    # A planned activity has no budget yet, only its indicative ceiling: "Rp 0" beside 2 planned
                    # activities with ceilings of Rp 1,5 billion read as nothing planned.
                    "budget": by_stage.get(s.value, {}).get("ceiling_sum" if s == Stage.PLANNED else "budget_sum")
                    or ZERO,
                }
                for s in Stage
            ],
            note=format_lazy("{} {}", STAGE_BUDGET_NOTE, PLAN_NOTE),
            follows=PLAN_FILTERS,
        ),
        Table(
            "absorption_department",
            _("Budget absorption by department, %(year)s") % {"year": year.year},
            [("department", _("Department")), *GROUPED_MONEY_COLUMNS],
            [
                {
                    "department": r["department__short_name"],
                    "department_code": r["department__code"],
                    **_grouped_money_cells(r),
                }
                for r in by_department
            ],
            note=PLAN_NOTE,
            follows=PLAN_FILTERS,
        ),
        Table(
            "kecamatan",
            _("Complaints and %(year)s spending per kecamatan") % {"year": year.year},
            [("kecamatan", _("Kecamatan")), ("tickets", _("Tickets")), *_kecamatan_money_columns(filters)],
            kecamatan_rows,
            note=format_lazy(
                "{} {}",
                _("An activity in several kelurahan is shared evenly between them; city-wide activities are left out."),
                KECAMATAN_MONEY_NOTE,
            ),
        ),
        Table(
            "evaluation_grades",
            _("Evaluation grades, %(year)s") % {"year": year.year},
            [("label", _("Grade")), ("n", _("Activities"))],
            [{"grade": g.value, "label": str(g.label), "n": grades.get(g.value, 0)} for g in Grade],
            note=PLAN_NOTE,
            follows=PLAN_FILTERS,
        ),
    ]


DONE_STAGES = ("completed", "evaluated")


def _planned_note(n: int):
    """The note of the public plan's programmes and activities tables, which both leave out the ``n`` activities still
    at stage "planned": how many, then the plan's note. Unsaid, the activities' "20 activities" read as the year's
    whole plan while 4 more, with ceilings and citizens' reports linked, were missing, and the programmes' budgets
    as every programme's. Each one's public page shows it. "These figures": the page says it above the plan's
    figures too (the programmes' note, ``#plan-scope``)."""
    if not n:
        return PLAN_NOTE
    left_out = ngettext(
        "%(n)s activity still planned, without a budget in force yet, is left out of these figures; its own page in "
        "the plan (linked from the proposal or reports behind it) shows it.",
        "%(n)s activities still planned, without a budget in force yet, are left out of these figures; each one's "
        "page in the plan (linked from the proposal or reports behind it) shows it.",
        n,
    ) % {"n": n}
    return format_lazy("{} {}", left_out, PLAN_NOTE)


def public_tables(filters, *, now) -> list:
    if not available():
        return []
    from complaints.queries import public_tickets
    from planning.models import UNFINISHED_STAGES, Activity, ActivityTicket, BudgetLine, BudgetVersion
    from planning.queries import answered_report_filter, open_report_filter

    year = _fiscal_year(filters, now)
    if year is None:
        return []
    today = timezone.localtime(now).date()
    # Only approved plans are public: proposals still being planned are not a promise yet, nor is work closed
    # unfinished at the year's end before any budget was approved for it.
    approved = BudgetLine.objects.filter(
        activity=OuterRef("pk"), version__in=[BudgetVersion.ORIGINAL, BudgetVersion.REVISED]
    )
    activities = (
        Activity.objects.filter(fiscal_year=year)
        .exclude(stage="planned")
        .exclude(Q(stage__in=UNFINISHED_STAGES) & ~Exists(approved))
    )
    planned = Activity.objects.filter(fiscal_year=year, stage="planned")
    if filters.department_id:
        activities = activities.filter(department_id=filters.department_id)
        planned = planned.filter(department_id=filters.department_id)
    # Read once for all the public activities: cheaper than again for the listed ones by their ids.
    money = money_per_activity(activities, physical=True)
    programmes = _grouped_money(activities, "programme__code", money)
    names = dict(
        activities.filter(programme__isnull=False)
        .order_by()
        .values_list("programme__code", "programme__name")
        .distinct()
    )
    totals = _money_totals(programmes)  # every public activity's, the listed ones or not
    rows = _activity_rows(activities.order_by("department__short_name", "code")[: LIST_LIMIT * 5], today, money)
    planned_note = _planned_note(planned.count())
    # One grouped pass over the links (a per-activity subquery ran twice: in the filter and in the count). A report is
    # answered once resolved or closed (or merged into one that is), not because the work was done: an activity
    # completed while its reports were still open, escalated even, counted them all as answered.
    answered = list(
        ActivityTicket.objects.filter(
            activity__in=activities.filter(stage__in=DONE_STAGES), ticket__in=public_tickets()
        )
        # completed_on: the day the head gave for the hand-over (PHO), not the planned end date.
        .values(
            "activity_id",
            "activity__code",
            "activity__name",
            "activity__department__short_name",
            "activity__completed_on",
        )
        .annotate(
            n=Count("id", filter=answered_report_filter("ticket__")),
            still_open=Count("id", filter=open_report_filter("ticket__")),
        )
        .order_by("-n", "-still_open", "activity__code")[:LIST_LIMIT]
    )
    return [
        Table(
            "programmes",
            _("Budget and realisation per programme, %(year)s") % {"year": year.year},
            [("programme", _("Programme")), *GROUPED_MONEY_COLUMNS],
            [
                {
                    "code": r["programme__code"],
                    "programme": names.get(r["programme__code"]) or str(_("Other")),
                    **_grouped_money_cells(r),
                }
                for r in programmes
            ],
            note=planned_note,
            follows=PLAN_FILTERS,
            totals={"programme": str(_("Total")), **totals},
            download_columns=PROGRAMME_FILE_COLUMNS,
        ),
        activities_table(
            _("Activities %(year)s: budget, realisation and physical progress") % {"year": year.year},
            [("department", _("Department"))] + ACTIVITY_COLUMNS,
            rows,
            note=planned_note,
            totals={
                "department": str(_("Total")),
                "activity": str(ngettext("%(n)s activity", "%(n)s activities", totals["n"]) % {"n": totals["n"]}),
                **{column: totals[column] for column in ("budget", "realised", "absorption")},
            },
        ),
        Table(
            "you_asked_we_did",
            _("You asked, we did: fiscal year %(year)s") % {"year": year.year},
            [
                ("activity", _("Activity")),
                ("department", _("Department")),
                ("tickets", _("Public reports answered")),
                ("open", _("Public reports still open")),
                ("completed_on", _("Finished")),
            ],
            [
                {
                    "id": a["activity_id"],
                    "code": a["activity__code"],
                    "activity": a["activity__name"],
                    "department": a["activity__department__short_name"],
                    "tickets": a["n"],
                    "open": a["still_open"],
                    # A date: the page writes it in its language, CSV/JSON as ISO. None if the move was never
                    # recorded (an activity entered at a later stage by hand).
                    "completed_on": a["activity__completed_on"],
                }
                for a in answered
            ],
            note=format_lazy(
                "{} {}",
                _(
                    "Completed activities linked to citizens' public reports. A report counts as answered once it is "
                    "resolved or closed (or merged into one that is); finishing the work does not answer the reports "
                    "still open."
                ),
                PLAN_NOTE,
            ),
            follows=PLAN_FILTERS,
        ),
    ]
