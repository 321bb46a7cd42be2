"""Links from the dashboards' figures to the lists behind them, for the viewer at hand.

The figures are computed once for everyone and cached (``queries``); the links depend on who looks, so each page
adds them to a copy of its tables: ``row["links"]`` maps a column to the URL its cell leads to (table cells are drawn
as links by ``dashboard_tags.table_body``, the key figures by ``_kpis.html``). Charts and downloads read the
computed values, never the links. Every URL is built from ids the figures already hold: no query per row.

- A count of tickets leads to the list of exactly the tickets counted, where the viewer may open one: on the staff
  pages the staff queue, when the viewer's queue holds every ticket of the department counted (a member's holds
  their own department's, the inspectorate's and administrators' every department's; an administrator's leaves
  out other departments' confidential tickets, so it may list fewer than counted); on the public page the public
  reports list, which has no department filter (with one chosen, no links). A zero leads nowhere.
- A department's name leads to its dashboard where the viewer may open it, else to its page in the plan.
- An activity leads to its page: the staff one from the staff pages, the public one from the public page.
- A count of the plan's activities at a stage leads to the planning office's list of them (city staff only).
  Evaluation grades lead nowhere: no list of activities is filtered by grade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.roles import ADMINISTRATOR, CITY_STAFF_ROLES, INSPECTOR, has_role, roles_of
from complaints import staff_forms
from complaints.queries import department_ids_of, staff_ticket_filter
from services.models import Department

from .queries.access import dashboard_departments, has_department_dashboard
from .queries.base import Filters, Table

# The key figures that count tickets, and the list each is: (status, filed in the page's range, overdue only).
KPI_TICKETS = {
    "tickets": ("all", True, False),
    "merged": ("duplicate", True, False),
    "open": ("open", True, False),
    "open_now": ("open", False, False),
    "overdue": ("open", False, True),
}


def with_links(table: Table | None, links_of: Callable[[dict], dict]) -> dict:
    """``{table.key: a copy of table whose rows carry links_of(row)}`` (the links given, not None); {} without it."""
    if table is None:
        return {}
    rows = []
    for row in table.rows:
        links = {column: url for column, url in links_of(row).items() if url}
        rows.append({**row, "links": links} if links else row)
    return {table.key: replace(table, rows=rows)}


def _if_counted(count, url: str | None) -> str | None:
    return url if count else None


class QueueLinks:
    """The viewer's staff queue narrowed like the figures of a page with ``filters``."""

    def __init__(self, user, filters: Filters):
        self.filters = filters
        self.spans_city = staff_ticket_filter(user) is not None and bool(roles_of(user) & {INSPECTOR, ADMINISTRATOR})
        self.member_of = frozenset() if self.spans_city else frozenset(department_ids_of(user))
        # The queue has a department filter only when it spans several departments (staff_forms.queue_filter_form).
        self.multi_department = len(self.member_of) != 1 or self.spans_city
        self.url = reverse("staff:queue")

    def covers(self, department_id: int | None) -> bool:
        """Whether the queue holds every ticket of ``department_id`` (None: of every department)."""
        return self.spans_city or department_id in self.member_of

    def to(self, department_id: int | None = None, *, status: str, dates: bool = True, **narrower) -> str | None:
        """The queue on ``department_id``'s tickets (else those of the page's department filter) with ``status``,
        filed in the page's range when ``dates``, in the page's place and of its service unless ``narrower`` names
        another (a row's kelurahan or service; ``overdue=1``, ``assignee=``...); None where the queue cannot list
        them all."""
        department_id = department_id or self.filters.department_id
        if not self.covers(department_id):
            return None
        params = {"status": status}
        if department_id and self.multi_department:
            params["department"] = department_id
        chosen = {
            "service": self.filters.service_id,
            "kecamatan": self.filters.kecamatan_id,
            "kelurahan": self.filters.kelurahan_id,
        }
        params.update((name, value) for name, value in {**chosen, **narrower}.items() if value)
        if dates:
            params["date_from"] = self.filters.date_from.isoformat()
            params["date_to"] = self.filters.date_to.isoformat()
        return f"{self.url}?{urlencode(params)}"

    def kpis(self, table: Table | None, department_id: int | None = None) -> dict:
        """The key figures that count tickets, each to the queue on those tickets."""

        def links(row: dict) -> dict:
            if row["measure"] not in KPI_TICKETS:
                return {}
            status, dates, overdue = KPI_TICKETS[row["measure"]]
            return {
                "value": _if_counted(row["value"], self.to(department_id, status=status, dates=dates, overdue=overdue))
            }

        return with_links(table, links)

    def kelurahan(self, table: Table | None, department_id: int | None = None) -> dict:
        """Tickets and open tickets per kelurahan, each to the queue on that kelurahan's."""
        return with_links(
            table,
            lambda row: {
                "n": _if_counted(row["n"], self.to(department_id, status="all", kelurahan=row["id"])),
                "open": _if_counted(row["open"], self.to(department_id, status="open", kelurahan=row["id"])),
            },
        )


def _planning_department(code: str, fiscal_year: int | None) -> str:
    page = reverse("planning:department", args=[code])
    return f"{page}?{urlencode({'tahun': fiscal_year})}" if fiscal_year else page


def page_by_id(name: str) -> Callable[[int], str]:
    """The address of the view ``name`` (one ``<int:...>`` argument) for any id, reversed once: a dashboard links
    up to a thousand activities, and a ``reverse()`` per row cost 34 µs each, 45 ms of the public page at 1,000,000
    tickets (1,342 calls)."""
    marker = 987654321
    before, after = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{before}{int(pk)}{after}"


def _activity_cells(url: str) -> dict:
    """An activity's row: its code and name lead to ``url``."""
    return {"code": url, "activity": url}


def city(user, tables: dict, filters: Filters, shown: QueryDict) -> dict:
    """The city page's tables with links; ``shown``: the page's filters as its links and downloads carry them."""
    queue = QueueLinks(user, filters)
    plan = has_role(user, *CITY_STAFF_ROLES)
    # The department pages keep the city page's dates, place, service and year.
    kept = shown.copy()
    kept.pop("department", None)
    dashboard_page = reverse("dashboards:department")
    dashboards = (
        set(dashboard_departments(user).values_list("code", flat=True)) if has_department_dashboard(user) else set()
    )

    def department_page(code: str | None) -> str | None:
        if code in dashboards:
            return f"{dashboard_page}?{urlencode({'department': code})}&{kept.urlencode()}".rstrip("&")
        return _planning_department(code, filters.fiscal_year) if code and plan else None

    def department_row(row: dict) -> dict:
        department = row["id"]
        return {
            "department": department_page(row["code"]),
            "total": _if_counted(row["total"], queue.to(department, status="all")),
            "merged": _if_counted(row.get("merged"), queue.to(department, status="duplicate")),
            "open": _if_counted(row["open"], queue.to(department, status="open")),
            "overdue": _if_counted(row["overdue"], queue.to(department, status="open", overdue=1)),
        }

    escalations = tables.get("escalations")
    # The queue lists the tickets escalated to a level or above it: a row's count is that list only when none of its
    # department's tickets is further up.
    highest = {}
    for row in escalations.rows if escalations else ():
        highest[row["department_id"]] = max(row["level"], highest.get(row["department_id"], 0))

    def escalation_row(row: dict) -> dict:
        department = row["department_id"]
        listed = None
        if department is not None and row["level"] == highest[department]:
            listed = queue.to(department, status="open", dates=False, escalated=row["level"])
        return {"department": department_page(row["department_code"]), "n": _if_counted(row["n"], listed)}

    def stage_row(row: dict) -> dict:
        if not plan:
            return {}
        chosen = {"tahun": row["year"], "tahap": row["stage"]}
        if shown.get("department"):
            chosen["dinas"] = shown["department"]
        return {"n": _if_counted(row["n"], f"{reverse('planning:activities')}?{urlencode(chosen)}")}

    return {
        **queue.kpis(tables.get("summary")),
        **with_links(tables.get("departments"), department_row),
        **with_links(tables.get("plan_stages"), stage_row),
        **with_links(escalations, escalation_row),
        **queue.kelurahan(tables.get("kelurahan")),
        **with_links(
            tables.get("kecamatan"),
            lambda row: {"tickets": _if_counted(row["tickets"], queue.to(status="all", kecamatan=row["id"]))},
        ),
        **with_links(
            tables.get("absorption_department"),
            lambda row: {
                "department": _planning_department(row["department_code"], filters.fiscal_year) if plan else None
            },
        ),
    }


def department(request, tables: dict, filters: Filters, department: Department) -> dict:
    """The department page's tables with links: its ticket counts to the queue, its activities to their pages."""
    queue = QueueLinks(request.user, filters)
    plan = has_role(request.user, *CITY_STAFF_ROLES)
    linked = {
        **queue.kpis(tables.get("summary"), department.pk),
        **queue.kelurahan(tables.get("kelurahan"), department.pk),
        **with_links(
            tables.get("top_services"),
            lambda row: {"n": _if_counted(row["n"], queue.to(department.pk, status="all", service=row["id"]))},
        ),
        **_workload(request, tables.get("workload"), department, queue),
    }
    if plan:  # the activity pages are the plan's
        activity_page = page_by_id("planning:activity")
        linked.update(with_links(tables.get("activities"), lambda row: _activity_cells(activity_page(row["id"]))))
        for key in ("milestones_overdue", "indicators"):
            linked.update(with_links(tables.get(key), lambda row: {"activity": activity_page(row["activity_id"])}))
    return linked


def _workload(request, table: Table | None, department: Department, queue: QueueLinks) -> dict:
    """The workload table with a column of links to the staff queue on each row's open (and overdue) tickets,
    under the same place and service filters; no links where the viewer cannot open that part of the queue."""
    if table is None or not queue.covers(department.pk):
        return {}
    # The queue's own filter form, narrowed to this department, says which assignees it accepts: its current members
    # and whoever else still holds its open tickets (a former member: the row the head must hand on). A link with
    # any other would be refused.
    form, _members = staff_forms.queue_filter_form(request.user, QueryDict(urlencode({"department": department.pk})))
    accepted = {str(value) for value, _label in form.fields["assignee"].choices}
    rows = []
    for row in table.rows:
        assignee = "unassigned" if row["kind"] == "unassigned" else str(row["assignee_id"])
        link = None
        if assignee in accepted:
            held = queue.to(department.pk, status="open", dates=False, assignee=assignee)
            link = format_html('<a href="{}">{}</a>', held, _("open tickets"))
            if row["overdue"]:
                late = queue.to(department.pk, status="open", dates=False, assignee=assignee, overdue=1)
                link = format_html('{} · <a href="{}">{}</a>', link, late, _("overdue"))
        rows.append({**row, "queue": link})
    return {"workload": replace(table, columns=[*table.columns, ("queue", _("In the queue"))], rows=rows)}


def public(tables: dict, filters: Filters, shown: QueryDict) -> dict:
    """The public page's tables with links: counts to the public reports list, activities to their public pages.
    The list's filters by code, as ``shown`` carries them: a link a reader shares says what it lists."""
    reports_list = reverse("complaints:public_list")
    activity_page = page_by_id("planning:public_activity")

    def reports(count, *, status: str = "", **narrower) -> str | None:
        # The public list has no department filter: with one chosen, it would list other departments' reports too.
        if not count or filters.department_id:
            return None
        params = {
            "service": shown.get("service"),
            "status": status,
            "kecamatan": shown.get("kecamatan"),
            "kelurahan": shown.get("kelurahan"),
            **narrower,
            "date_from": filters.date_from.isoformat(),
            "date_to": filters.date_to.isoformat(),
        }
        return f"{reports_list}?{urlencode({k: v for k, v in params.items() if v})}"

    def activity(row: dict) -> dict:
        return _activity_cells(activity_page(row["id"]))

    statuses = {"tickets": "", "open": "open"}
    return {
        **with_links(
            tables.get("summary"),
            lambda row: (
                {"value": reports(row["value"], status=statuses[row["measure"]])} if row["measure"] in statuses else {}
            ),
        ),
        **with_links(
            tables.get("kelurahan"),
            lambda row: {
                "n": reports(row["n"], kelurahan=row["code"]),
                "open": reports(row["open"], status="open", kelurahan=row["code"]),
            },
        ),
        **with_links(tables.get("activities"), activity),
        **with_links(tables.get("you_asked_we_did"), activity),
    }
