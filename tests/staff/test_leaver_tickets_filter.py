"""An officer who left the department still holds open tickets: the head lists exactly those in the queue (the
assignee filter offers them, marked as the workload table marks them), reaches that list from the dashboard's
workload row, and hands them on with "select all" and bulk assign. Only current members are offered as assignees."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import OPEN_STATUSES, Status, Ticket
from complaints.staff_forms import PAGE_SIZES, seen_assignees_field
from services.models import Department, StaffMembership
from tests.conftest import make_staff, make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

QUEUE = reverse("staff:queue")
HTMX = {"HX-Request": "true"}
LEFT = "Ahmad Fauzi (not in the department any more)"


def _named(user, name: str):
    user.full_name = name
    user.save(update_fields=["full_name"])
    return user


def _road(assignee=None, **fields):
    return make_ticket(service="jalan-rusak", assignee=assignee, **fields)


@pytest.fixture
def pupr(city):
    """Dinas PUPR: its head, an officer (Siti), an officer on leave (Rudi, still a member) and Ahmad Fauzi, whose
    membership an administrator switched off while he held 12 open tickets among the department's others."""
    department = Department.objects.get(code="pupr")
    head = _named(make_staff("kepala.pupr@banjarmasinkota.go.id", "pupr", role="head"), "Kepala PUPR")
    siti = _named(make_staff("siti.pupr@banjarmasinkota.go.id", "pupr"), "Siti")
    on_leave = _named(make_staff("rudi.pupr@banjarmasinkota.go.id", "pupr"), "Rudi")
    ahmad = make_staff("ahmad.fauzi@banjarmasinkota.go.id", "pupr")
    _named(ahmad, "Ahmad Fauzi")
    held = [_road(ahmad) for _ in range(12)]
    _road(ahmad, status=Status.RESOLVED)  # done before he left: not his to hand on
    for n in range(6):
        _road(siti if n % 2 else None)
    _road(on_leave)
    _road(on_leave)
    StaffMembership.objects.filter(user=ahmad, department=department).update(active=False)
    return {"department": department, "head": head, "siti": siti, "on_leave": on_leave, "ahmad": ahmad, "held": held}


def _as(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _options(page: str, select_id: str) -> dict[str, str]:
    """The options of the ``<select>`` ``select_id`` of a page: value → label."""
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', page, re.S).group(0)
    return {
        value: html.unescape(label) for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', select)
    }


def _refs(response) -> set[str]:
    return {row.reference for row in response.context["listing"]["rows"]}


def test_the_head_lists_exactly_the_tickets_a_former_member_still_holds(client, pupr):
    ahmad = pupr["ahmad"]
    response = _as(client, pupr["head"]).get(QUEUE, {"assignee": ahmad.pk})
    page = response.content.decode()
    assert "filter-errors" not in page  # "Select a valid choice. 4 is not one of the available choices."
    assert _refs(response) == {ticket.reference for ticket in pupr["held"]}
    # Offered to filter on, after the members and marked as the workload table marks him...
    filter_options = _options(page, "filter-assignee")
    assert filter_options[str(ahmad.pk)] == LEFT
    assert list(filter_options)[-1] == str(ahmad.pk)
    assert filter_options[str(pupr["siti"].pk)] == "Siti"
    # ...but never to assign to.
    targets = _options(page, "bulk-assignee")
    assert str(ahmad.pk) not in targets
    assert {str(pupr["siti"].pk), str(pupr["on_leave"].pk), str(pupr["head"].pk)} <= set(targets)


def test_an_officer_on_leave_is_a_member_and_filtered_on_as_before(client, pupr):
    on_leave = pupr["on_leave"]
    response = _as(client, pupr["head"]).get(QUEUE, {"assignee": on_leave.pk})
    page = response.content.decode()
    assert "filter-errors" not in page
    assert len(_refs(response)) == 2
    assert _options(page, "filter-assignee")[str(on_leave.pk)] == "Rudi"
    assert str(on_leave.pk) in _options(page, "bulk-assignee")


def test_select_all_and_bulk_assign_hands_them_on_and_the_filter_then_lists_none(client, pupr):
    _as(client, pupr["head"])
    ahmad, siti = pupr["ahmad"], pupr["siti"]
    response = client.get(QUEUE, {"assignee": ahmad.pk, "status": "open"})
    page = response.content.decode()
    assert 'id="select-all"' in page  # the header's box ticks every row of the page (static/js/staff-queue.js)
    ticked = re.findall(r'class="form-check-input row-select" type="checkbox" name="ids" value="(\d+)"', page)
    seen = re.search(r'name="seen_assignees" value="([^"]*)"', page).group(1)
    query = html.unescape(re.search(r'name="query" value="([^"]*)"', page).group(1))
    sent = {"action": "assign", "ids": ticked, "assignee": siti.pk, "seen_assignees": seen, "query": query}
    answer = client.post(reverse("staff:bulk"), sent, headers=HTMX)
    assert Ticket.objects.filter(pk__in=[t.pk for t in pupr["held"]], assignee=siti).count() == 12
    assert "12 tickets updated." in answer.content.decode()
    # The page comes back on the same filter, which now lists nothing (it was refused, and showed every ticket).
    assert "filter-errors" not in answer.content.decode()
    assert answer.context["listing"]["total"] == 0
    after = client.get(QUEUE, {"assignee": ahmad.pk, "status": "all"})
    assert "filter-errors" not in after.content.decode() and len(_refs(after)) == 1  # the resolved one
    # With nothing open left, he is no longer offered on a fresh queue.
    assert str(ahmad.pk) not in _options(client.get(QUEUE).content.decode(), "filter-assignee")


def test_bulk_assign_takes_a_whole_page_of_the_largest_size(client, pupr):
    largest = max(PAGE_SIZES)
    ahmad, siti = pupr["ahmad"], pupr["siti"]
    for _ in range(largest - len(pupr["held"])):
        _road(ahmad)
    _as(client, pupr["head"])
    response = client.get(QUEUE, {"assignee": ahmad.pk, "page_size": largest})
    rows = response.context["listing"]["rows"]
    assert len(rows) == largest
    sent = {
        "action": "assign",
        "ids": [row.pk for row in rows],
        "assignee": siti.pk,
        "seen_assignees": seen_assignees_field(rows),
        "query": f"assignee={ahmad.pk}&page_size={largest}",
    }
    client.post(reverse("staff:bulk"), sent, headers=HTMX)
    assert not Ticket.objects.filter(assignee=ahmad, status__in=OPEN_STATUSES).exists()
    assert Ticket.objects.filter(assignee=siti).count() == largest + 3


def test_the_former_member_cannot_be_assigned_to_through_the_bulk_form(client, pupr):
    ticket = _road(pupr["siti"])
    _as(client, pupr["head"])
    sent = {"action": "assign", "ids": [ticket.pk], "assignee": pupr["ahmad"].pk, "query": ""}
    client.post(reverse("staff:bulk"), sent, headers=HTMX)
    ticket.refresh_from_db()
    assert ticket.assignee == pupr["siti"]


def test_only_people_holding_the_departments_tickets_are_offered(client, pupr, staff_dlh):
    """Someone who never held this department's tickets stays refused (a head cannot read names by trying ids), and
    a leaver whose open tickets are all another department's is not offered here."""
    moved = _named(make_user("pindah@banjarmasinkota.go.id"), "Pindah")
    make_ticket(service="sampah-menumpuk", assignee=moved)  # DLH's
    _as(client, pupr["head"])
    for stranger in (staff_dlh, moved):
        page = client.get(QUEUE, {"assignee": stranger.pk}).content.decode()
        assert "filter-errors" in page and "is not one of the available choices" in page
        assert str(stranger.pk) not in _options(page, "filter-assignee")
    assert "filter-errors" in client.get(QUEUE, {"assignee": "99999999999999999999"}).content.decode()


def test_the_inspectorate_narrowed_to_the_department_gets_the_choice_too(client, pupr, inspector):
    _as(client, inspector)
    department, ahmad = pupr["department"], pupr["ahmad"]
    response = client.get(QUEUE, {"department": department.pk, "assignee": ahmad.pk})
    assert _options(response.content.decode(), "filter-assignee")[str(ahmad.pk)] == LEFT
    assert _refs(response) == {ticket.reference for ticket in pupr["held"]}
    # A queue over every department offers nobody by name, as before.
    assert str(ahmad.pk) not in _options(client.get(QUEUE).content.decode(), "filter-assignee")


def test_the_dashboard_workload_row_links_to_those_tickets(client, pupr):
    _as(client, pupr["head"])
    Ticket.objects.filter(pk=pupr["held"][0].pk).update(resolution_due_at="2020-01-01T00:00:00Z")
    response = client.get(reverse("dashboards:department"), {"department": "pupr"})
    rows = {row["assignee_id"]: row for row in response.context["tables"]["workload"].rows}
    former = rows[pupr["ahmad"].pk]
    assert former["kind"] == "former" and (former["open"], former["overdue"]) == (12, 1)
    links = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', str(former["queue"]))]
    assert links == [
        f"{QUEUE}?status=open&assignee={pupr['ahmad'].pk}",
        f"{QUEUE}?status=open&assignee={pupr['ahmad'].pk}&overdue=1",
    ]
    opened, overdue = (client.get(link).context["listing"]["total"] for link in links)
    assert (opened, overdue) == (12, 1)


def test_the_extra_choices_cost_one_query_whatever_the_number_of_leavers(client, pupr, django_assert_max_num_queries):
    _as(client, pupr["head"])
    url = f"{QUEUE}?assignee={pupr['ahmad'].pk}&page_size=100"
    client.get(url)  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for n in range(5):
        leaver = make_staff(f"pergi{n}@banjarmasinkota.go.id", "pupr")
        _road(leaver)
        StaffMembership.objects.filter(user=leaver).update(active=False)
    assert queries() == one
    assert len(_options(client.get(url).content.decode(), "filter-assignee")) == 3 + 3 + 6  # fixed, members, leavers
    # The whole page (the one drawing the filter's choices): 13 before the leavers were offered, one query more now.
    with django_assert_max_num_queries(14):
        client.get(url)


@pytest.mark.parametrize("viewer", ["head", "inspector"])
def test_an_export_built_by_the_worker_keeps_the_assignee_filter(client, pupr, inspector, viewer, monkeypatch):
    """An export larger than the queue page writes itself (the worker) read the filter apart from the queue: it
    refused a former member (and, for a queue over several departments, anyone) and exported the whole queue."""
    from complaints import exports
    from complaints.models import ExportJob
    from complaints.tasks import build_export

    monkeypatch.setattr(exports, "INLINE_LIMIT", 1)
    user = pupr["head"] if viewer == "head" else inspector
    query = {"assignee": pupr["ahmad"].pk, "format": "csv"}
    if viewer == "inspector":
        query["department"] = pupr["department"].pk
    assert _as(client, user).get(reverse("staff:export"), query).status_code == 302
    job = ExportJob.objects.get(owner=user)
    if job.state != ExportJob.State.READY:  # with Redis the task is queued, not run
        build_export(job.pk)
        job.refresh_from_db()
    assert job.total == 12
    content = b"".join(client.get(reverse("staff:export_download", args=[job.pk])).streaming_content).decode()
    exported = {line.split(",")[0] for line in content.lstrip("\ufeff").splitlines()[1:]}
    assert exported == {ticket.reference for ticket in pupr["held"]}
