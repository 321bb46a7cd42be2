"""The department dashboard's workload per officer: counts, who is listed, the date window, links to the queue,
and that no officer's name reaches the public or the city dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from complaints.models import Status, Ticket
from dashboards.queries import figures
from dashboards.queries.base import Filters
from services.models import Department, StaffMembership
from tests.conftest import make_staff, make_user
from tests.factories import make_ticket

from .conftest import NOW, OTHER_KELURAHAN, RANGE, WITA

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}
QUERY_LIMIT = 40  # as the other dashboard pages (tests/dashboards/test_views.py)
DAY = dt.timedelta(days=1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _on(day: int, month: int, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=WITA)


def _open(assignee, *, filed: dt.datetime = NOW - 2 * DAY, overdue: bool = False, department: str = "dlh", **fields):
    """An open ticket of ``department``; ``overdue``: past its resolution due date."""
    if overdue:
        fields["resolution_due_at"] = NOW - DAY
    fields.setdefault("status", Status.IN_PROGRESS)
    fields.setdefault("acknowledged_at", filed + dt.timedelta(hours=2))
    fields.setdefault("response_due_at", filed + 2 * DAY)
    fields.setdefault("resolution_due_at", NOW + 5 * DAY)
    return make_ticket(department=department, assignee=assignee, created_at=filed, **fields)


def _resolved(assignee, *, filed: dt.datetime, resolved: dt.datetime, department: str = "dlh"):
    return make_ticket(
        status=Status.RESOLVED,
        department=department,
        assignee=assignee,
        created_at=filed,
        acknowledged_at=filed + dt.timedelta(hours=2),
        resolved_at=resolved,
    )


@pytest.fixture
def team(city, head_dlh, staff_dlh, staff_pupr):
    """DLH's head and officer, an idle member shown by email, a former member still holding a ticket, and PUPR.

    Worked out by hand at NOW (Fri 6 Mar 2026), window 1 Jan - 6 Mar:
      unassigned  open 2, overdue 1 (one ticket not verified past its response due date)
      officer     open 3 (one filed 1 Dec 2025, before the window: 95 days old), overdue 1,
                  resolved 2 in the window (one filed before it), 1 before the window (not counted)
      head        open 2, overdue 1
      former      open 1 (membership ended)
      idle        nothing
    PUPR's tickets, one of them assigned to DLH's officer, count nowhere on DLH's page.
    """
    dlh = Department.objects.get(code="dlh")
    idle = make_staff("idle.dlh@banjarmasinkota.go.id", "dlh")
    idle.full_name = ""
    idle.save(update_fields=["full_name"])
    former = make_user("budi.lama@banjarmasinkota.go.id", full_name="Budi Lama")
    StaffMembership.objects.create(user=former, department=dlh, active=False)
    _open(None)
    _open(
        None,
        status=Status.ROUTED,
        acknowledged_at=None,
        response_due_at=NOW - DAY,
        resolution_due_at=NOW + DAY,
    )
    _open(staff_dlh, overdue=True)
    _open(staff_dlh)
    _open(staff_dlh, filed=_on(1, 12, 2025))
    _resolved(staff_dlh, filed=_on(20, 1), resolved=_on(10, 2))
    _resolved(staff_dlh, filed=_on(15, 12, 2025), resolved=_on(5, 1))
    _resolved(staff_dlh, filed=_on(1, 12, 2025), resolved=_on(20, 12, 2025))
    _open(head_dlh, overdue=True)
    _open(head_dlh)
    _open(former)
    _open(staff_dlh, department="pupr", service="jalan-rusak", overdue=True)
    _open(None, department="pupr", service="jalan-rusak")
    _open(staff_pupr, department="pupr", service="jalan-rusak")
    _resolved(staff_dlh, filed=_on(20, 1), resolved=_on(10, 2), department="pupr")
    return {"dlh": dlh, "head": head_dlh, "officer": staff_dlh, "idle": idle, "former": former, "pupr": staff_pupr}


def _workload(team, filters: Filters = RANGE):
    with translation.override("en"):
        return figures.department_dashboard(team["dlh"], filters, now=NOW)["tables"]["workload"]


def _counts(table) -> list[tuple]:
    return [(r["kind"], r["assignee_id"], r["open"], r["overdue"], r["oldest_days"], r["resolved"]) for r in table.rows]


def test_counts_per_officer_unassigned_and_former_member(team):
    table = _workload(team)
    assert _counts(table) == [
        ("unassigned", None, 2, 1, 2, 0),
        ("member", team["officer"].pk, 3, 1, 95, 2),
        ("member", team["head"].pk, 2, 1, 2, 0),
        ("former", team["former"].pk, 1, 0, 2, 0),
        ("member", team["idle"].pk, 0, 0, None, 0),
    ]
    names = [r["officer"] for r in table.rows]
    assert names[1:3] == [str(team["officer"]), str(team["head"])]
    assert "Budi Lama" in names[3] and "not in the department any more" in names[3]
    assert names[4] == "idle.dlh@banjarmasinkota.go.id"  # no full name: the email, as everywhere in the staff UI
    assert not any("pupr" in name for name in names)


def test_open_and_overdue_add_up_to_the_dashboards_now_figures(team):
    tables = figures.department_dashboard(team["dlh"], RANGE, now=NOW)["tables"]
    kpis = {r["measure"]: r["value"] for r in tables["summary"].rows}
    rows = tables["workload"].rows
    assert sum(r["open"] for r in rows) == kpis["open_now"] == 8
    assert sum(r["overdue"] for r in rows) == kpis["overdue"] == 3


def test_the_date_window_moves_resolved_but_not_open_now(team):
    february = Filters(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 3, 6))
    rows = {r["assignee_id"]: r for r in _workload(team, february).rows}
    officer = rows[team["officer"].pk]
    assert (officer["open"], officer["overdue"], officer["oldest_days"], officer["resolved"]) == (3, 1, 95, 1)
    last_year = Filters(date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31))
    rows = {r["assignee_id"]: r for r in _workload(team, last_year).rows}
    assert (rows[team["officer"].pk]["open"], rows[team["officer"].pk]["resolved"]) == (3, 1)
    assert rows[None]["open"] == 2


def test_a_reopened_ticket_counts_as_open_not_as_resolved(team):
    _open(team["officer"], resolved_at=_on(1, 3))  # resolved on 1 March, reopened by the citizen: resolved_at stays
    row = next(r for r in _workload(team).rows if r["assignee_id"] == team["officer"].pk)
    assert (row["open"], row["resolved"]) == (4, 2)


def test_a_place_filter_narrows_every_column(team):
    from services.models import Area

    elsewhere = Filters(RANGE.date_from, RANGE.date_to, kelurahan_id=Area.objects.get(code=OTHER_KELURAHAN).pk)
    table = _workload(team, elsewhere)
    assert all((r["open"], r["overdue"], r["resolved"]) == (0, 0, 0) for r in table.rows)
    assert [r["kind"] for r in table.rows] == ["member", "member", "member", "unassigned"]


def test_the_table_is_computed_in_a_fixed_number_of_queries(team, frozen):
    with CaptureQueriesContext(connection) as few:
        figures.department_dashboard(team["dlh"], RANGE, now=NOW)
    for n in range(3):
        for user in (make_staff(f"baru{n}@banjarmasinkota.go.id", "dlh"), team["head"], None):
            _open(user, overdue=True)
            _resolved(user, filed=_on(2, 2), resolved=_on(3, 2))
    with CaptureQueriesContext(connection) as more:
        figures.department_dashboard(team["dlh"], RANGE, now=NOW)
    assert len(more) == len(few)


def _get(client, **extra):
    return client.get(reverse("dashboards:department"), {"department": "dlh", **FILTERS, **extra})


def _page(client, user, **extra):
    client.force_login(user)
    return _get(client, **extra)


def _links(row) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', str(row.get("queue") or ""))]


def test_page_query_count_is_bounded_and_fixed(client, team, frozen, django_assert_max_num_queries):
    from django.core.cache import cache

    client.force_login(team["head"])
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert _get(client).status_code == 200
    for n in range(3):
        _open(make_staff(f"lagi{n}@banjarmasinkota.go.id", "dlh"), overdue=True)
    cache.clear()
    with django_assert_max_num_queries(QUERY_LIMIT):
        with CaptureQueriesContext(connection) as second:
            response = _get(client)
    assert len(second) == len(first)
    assert 'data-table="workload"' in response.content.decode()


def test_head_gets_links_to_the_queue_on_each_officers_tickets(client, team, frozen):
    response = _page(client, team["head"])
    rows = {r["assignee_id"]: r for r in response.context["tables"]["workload"].rows}
    queue = reverse("staff:queue")
    assert _links(rows[None]) == [
        f"{queue}?status=open&assignee=unassigned",
        f"{queue}?status=open&assignee=unassigned&overdue=1",
    ]
    officer = team["officer"].pk
    assert _links(rows[officer]) == [
        f"{queue}?status=open&assignee={officer}",
        f"{queue}?status=open&assignee={officer}&overdue=1",
    ]
    assert _links(rows[team["idle"].pk]) == [f"{queue}?status=open&assignee={team['idle'].pk}"]  # no overdue ones
    # Someone no longer a member who still holds the department's tickets: the queue filters on them too (marked as
    # having left), so the head finds the tickets to hand on.
    former = team["former"].pk
    assert _links(rows[former]) == [f"{queue}?status=open&assignee={former}"]
    assert client.get(_links(rows[former])[0]).context["listing"]["total"] == 1
    # Each link opens the queue on exactly the tickets counted.
    for assignee, (held, late) in {None: (2, 1), officer: (3, 1), team["head"].pk: (2, 1)}.items():
        opened, overdue = (client.get(link).context["listing"]["total"] for link in _links(rows[assignee]))
        assert (opened, overdue) == (held, late), assignee


def test_links_keep_the_place_and_service_filters(client, team, frozen):
    from services.models import Area, Service

    mawar = Area.objects.get(code="63.71.05.1003")
    response = _page(client, team["head"], kelurahan=mawar.code, service="sampah-menumpuk")
    rows = {r["assignee_id"]: r for r in response.context["tables"]["workload"].rows}
    service = Service.objects.get(code="sampah-menumpuk")
    assert f"service={service.pk}" in _links(rows[None])[0] and f"kelurahan={mawar.pk}" in _links(rows[None])[0]


def test_a_viewer_without_queue_access_gets_no_links(client, team, planner, frozen):
    response = _page(client, planner)
    assert response.status_code == 200
    table = response.context["tables"]["workload"]
    assert len(table.rows) == 5 and all(not _links(row) for row in table.rows)
    assert [label for key, label in table.columns if key == "queue"] == []


def test_the_inspectorate_gets_links_to_the_department_and_its_officers(client, team, inspector, frozen):
    # Its queue spans every department; narrowed to DLH it filters on DLH's officers.
    response = _page(client, inspector)
    rows = {r["assignee_id"]: r for r in response.context["tables"]["workload"].rows}
    queue, dlh, officer = reverse("staff:queue"), team["dlh"].pk, team["officer"].pk
    assert _links(rows[None]) == [
        f"{queue}?status=open&department={dlh}&assignee=unassigned",
        f"{queue}?status=open&department={dlh}&assignee=unassigned&overdue=1",
    ]
    assert _links(rows[officer]) == [
        f"{queue}?status=open&department={dlh}&assignee={officer}",
        f"{queue}?status=open&department={dlh}&assignee={officer}&overdue=1",
    ]
    former = team["former"].pk
    assert _links(rows[former]) == [f"{queue}?status=open&department={dlh}&assignee={former}"]
    assert client.get(_links(rows[former])[0]).context["listing"]["total"] == 1
    for assignee, (held, late) in {None: (2, 1), officer: (3, 1), team["head"].pk: (2, 1)}.items():
        opened, overdue = (client.get(link).context["listing"]["total"] for link in _links(rows[assignee]))
        assert (opened, overdue) == (held, late), assignee


def test_another_departments_staff_cannot_see_it(client, team):
    client.force_login(team["pupr"])
    assert client.get(reverse("dashboards:department"), {"department": "dlh"}).status_code == 403
    export = reverse("dashboards:export", args=["department", "workload", "csv"])
    assert client.get(export, {"department": "dlh"}).status_code == 403


def test_csv_download(client, team, frozen):
    client.force_login(team["head"])
    export = reverse("dashboards:export", args=["department", "workload", "csv"])
    response = client.get(export, FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:5] == ["Officer", "Open now", "Overdue now", "Oldest open ticket (days)", "Resolved in the period"]
    lines = [line[:5] for line in lines]  # the last column: when they were counted
    assert lines[1] == ["Unassigned", "2", "1", "2", "0"]
    assert lines[2] == [str(team["officer"]), "3", "1", "95", "2"]
    assert lines[4][0].startswith("Budi Lama (") and lines[4][1:] == ["1", "0", "2", "0"]
    assert lines[5] == ["idle.dlh@banjarmasinkota.go.id", "0", "0", "", "0"]
    data = client.get(reverse("dashboards:export", args=["department", "workload", "json"]), FILTERS).json()
    assert [r["kind"] for r in data["dataset"]["rows"]] == ["unassigned", "member", "member", "former", "member"]


def test_no_officer_appears_on_the_public_or_the_city_dashboard(client, team, inspector, frozen):
    names = [str(team[key]) for key in ("head", "officer", "idle", "former")] + ["Budi Lama"]
    public = client.get(reverse("dashboards:public"), FILTERS)
    assert "workload" not in public.context["tables"]
    assert client.get(reverse("dashboards:export", args=["public", "workload", "json"]), FILTERS).status_code == 404
    catalogue = client.get(reverse("dashboards:open_data")).content.decode()
    client.force_login(inspector)
    city = client.get(reverse("dashboards:city"), FILTERS)
    assert "workload" not in city.context["tables"]
    assert client.get(reverse("dashboards:export", args=["city", "workload", "csv"]), FILTERS).status_code == 404
    for text in (public.content.decode(), city.content.decode(), catalogue):
        assert not any(name in text for name in names)


def test_the_head_sees_a_hand_over_at_once_on_the_page_and_in_the_download(client, team, frozen):
    """The workload is read live: after the head hands the former member's ticket to the officer, the page and the
    download show it at once (they showed the page's cached figures, up to five minutes old)."""
    from django.core.cache import cache

    from complaints import actions

    cache.clear()

    def rows():
        table = _page(client, team["head"]).context["tables"]["workload"]
        return {r["assignee_id"]: r["open"] for r in table.rows}

    before = rows()
    assert before[team["former"].pk] == 1 and before[team["officer"].pk] == 3
    held = Ticket.objects.get(assignee=team["former"])
    actions.assign_ticket(ticket=held, actor=team["head"], assignee=team["officer"])
    after = rows()
    assert team["former"].pk not in after and after[team["officer"].pk] == 4
    download = client.get(reverse("dashboards:export", args=["department", "workload", "json"]), FILTERS).json()
    assert {r["assignee_id"]: r["open"] for r in download["dataset"]["rows"]} == after
    # The rest of the page still comes from its cache (the ticket was filed before: nothing else moves anyway).
    assert list(_get(client).context["tables"])[:3] == ["summary", "open_by_age", "workload"]
