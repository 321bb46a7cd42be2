"""The staff queue page: filters, sorting, paging, bulk actions, saved filters, exports, query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import actions
from complaints.models import DuplicateCandidate, EventType, ExportJob, SavedFilter, Status, Ticket, TicketEvent
from services.models import Area
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
QUEUE = "/staf/antrian/"


def refs_of(html: str) -> set[str]:
    return set(re.findall(r'data-reference="([^"]+)"', html))


def refs(response) -> set[str]:
    return refs_of(response.content.decode())


def test_queue_url_name_is_kept():
    assert reverse("staff:queue") == QUEUE


def test_staff_sees_exactly_their_departments_open_tickets(client, staff_dlh):
    mine = make_ticket()
    closed = make_ticket(status=Status.CLOSED)
    other = make_ticket(service="jalan-rusak")
    client.force_login(staff_dlh)
    assert refs(client.get(QUEUE)) == {mine.reference}
    assert refs(client.get(QUEUE + "?status=all")) == {mine.reference, closed.reference}
    assert other.reference not in client.get(QUEUE + "?status=all").content.decode()


def test_filters(client, staff_dlh, dlh_member):
    now = timezone.now()
    late = make_ticket(title="Sampah di pasar", resolution_due_at=now - dt.timedelta(days=1))
    Ticket.objects.filter(pk=late.pk).update(priority=4)
    kayu_tangi = Area.objects.filter(level="kelurahan").exclude(code="63.71.05.1003").first()
    elsewhere = make_ticket(kelurahan=kayu_tangi, assignee=dlh_member, description="Bau sekali di siring.")
    old = make_ticket(created_at=now - dt.timedelta(days=40), service="tps-liar")
    client.force_login(staff_dlh)
    assert refs(client.get(QUEUE + "?overdue=on")) == {late.reference}
    assert refs(client.get(QUEUE + "?priority=4")) == {late.reference}
    assert refs(client.get(QUEUE + f"?kelurahan={kayu_tangi.pk}")) == {elsewhere.reference}
    assert refs(client.get(QUEUE + f"?kecamatan={kayu_tangi.parent_id}")) >= {elsewhere.reference}
    assert refs(client.get(QUEUE + "?assignee=unassigned")) == {late.reference, old.reference}
    assert refs(client.get(QUEUE + f"?assignee={dlh_member.pk}")) == {elsewhere.reference}
    assert refs(client.get(QUEUE + "?q=siring")) == {elsewhere.reference}
    assert refs(client.get(QUEUE + f"?q={old.reference}")) == {old.reference}
    assert refs(client.get(QUEUE + f"?service={old.service_id}")) == {old.reference}
    since = (now - dt.timedelta(days=5)).astimezone(timezone.get_current_timezone()).date()
    assert refs(client.get(QUEUE + f"?date_from={since}")) == {late.reference, elsewhere.reference}
    until = (now - dt.timedelta(days=30)).astimezone(timezone.get_current_timezone()).date()
    assert refs(client.get(QUEUE + f"?date_to={until}")) == {old.reference}


def test_a_refused_filter_is_named_and_the_others_still_apply(client, staff_dlh):
    from tests.conftest import make_user

    road = make_ticket(service="tps-liar")
    waste = make_ticket()
    outsider = make_user("bukan.anggota@example.id")
    client.force_login(staff_dlh)
    # An old link naming someone who is no longer in the department, with a service filter.
    response = client.get(QUEUE, {"assignee": outsider.pk, "service": road.service_id}, HTTP_ACCEPT_LANGUAGE="en")
    assert refs(response) == {road.reference}  # not the whole queue
    html = response.content.decode()
    assert 'id="filter-errors"' in html and "Assignee:" in html and waste.reference not in html
    # Dates the wrong way round are said, not answered with an empty list.
    today = timezone.localdate()
    inverted = client.get(
        QUEUE, {"date_from": today, "date_to": today - dt.timedelta(days=30)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The start date must not be after the end date." in inverted.content.decode()
    assert refs(inverted) == {road.reference, waste.reference}  # filed today: the start date still applies


def test_mine_filter(client, staff_dlh):
    own = make_ticket(assignee=staff_dlh)
    make_ticket()
    client.force_login(staff_dlh)
    assert refs(client.get(QUEUE + "?assignee=mine")) == {own.reference}


def _officer_options(html: str, select_id: str) -> set[str]:
    select = html[html.index(f'id="{select_id}"') :]
    select = select[: select.index("</select>")]
    return {pk for pk in re.findall(r'<option value="(\d+)"', select)}


def test_a_city_wide_queue_narrowed_to_one_department_filters_on_and_assigns_to_its_officers(
    client, inspector, administrator, staff_dlh, dlh_member, staff_pupr
):
    from services.models import Department

    dlh = Department.objects.get(code="dlh")
    held = make_ticket(assignee=dlh_member)
    make_ticket()
    make_ticket(service="jalan-rusak", assignee=staff_pupr)
    client.force_login(administrator)
    # Across the city there is no one list of officers to offer.
    html = client.get(QUEUE).content.decode()
    assert _officer_options(html, "filter-assignee") == set() and _officer_options(html, "bulk-assignee") == set()
    # Narrowed to DLH: DLH's officers, and nobody else's, to filter on and to assign to.
    html = client.get(QUEUE, {"department": dlh.pk}).content.decode()
    dlh_officers = {str(staff_dlh.pk), str(dlh_member.pk)}
    assert _officer_options(html, "filter-assignee") == dlh_officers
    assert _officer_options(html, "bulk-assignee") == dlh_officers
    assert refs(client.get(QUEUE, {"department": dlh.pk, "assignee": dlh_member.pk})) == {held.reference}
    # The inspectorate filters on them too; it assigns nobody, so it is offered no bulk actions.
    client.force_login(inspector)
    html = client.get(QUEUE, {"department": dlh.pk}).content.decode()
    assert _officer_options(html, "filter-assignee") == dlh_officers
    assert 'id="bulk-assignee"' not in html
    assert refs(client.get(QUEUE, {"department": dlh.pk, "assignee": dlh_member.pk})) == {held.reference}


def test_an_officer_of_two_departments_gets_no_officers_of_a_third(client, staff_dlh):
    from services.models import Department, StaffMembership

    StaffMembership.objects.create(user=staff_dlh, department=Department.objects.get(code="pupr"))
    pupr_officer = make_staff("lain.pupr@banjarmasinkota.go.id", "pupr")
    dishub_officer = make_staff("petugas.dishub@banjarmasinkota.go.id", "dishub")
    client.force_login(staff_dlh)
    pupr = Department.objects.get(code="pupr").pk
    html = client.get(QUEUE, {"department": pupr}).content.decode()
    assert str(pupr_officer.pk) in _officer_options(html, "filter-assignee")
    dishub = Department.objects.get(code="dishub").pk
    html = client.get(QUEUE, {"department": dishub}).content.decode()
    assert str(dishub_officer.pk) not in _officer_options(html, "filter-assignee")
    assert _officer_options(html, "bulk-assignee") == set()


def test_sort_and_paging(client, staff_dlh):
    now = timezone.now()
    tickets = [make_ticket(resolution_due_at=now + dt.timedelta(days=i)) for i in range(7)]
    client.force_login(staff_dlh)
    html = client.get(QUEUE + "?sort=due&page_size=25").content.decode()
    positions = [html.index(t.reference) for t in tickets]
    assert positions == sorted(positions)
    html = client.get(QUEUE + "?sort=-due").content.decode()
    assert html.index(tickets[-1].reference) < html.index(tickets[0].reference)


def test_rows_selector_shows_the_page_size_used(client, staff_dlh, dlh_member):
    """With no page_size asked for, the queue shows 50 rows: the selector says 50 (it said 25, its first option,
    and the next filter change sent page_size=25 and halved the page)."""
    _add_tickets(30, dlh_member)
    client.force_login(staff_dlh)
    html = client.get(QUEUE + "?status=all").content.decode()
    assert len(refs_of(html)) == 30
    assert re.search(r'<option value="50" selected>', html)
    assert not re.search(r'<option value="(25|100)" selected>', html)
    html = client.get(QUEUE + "?status=all&page_size=25").content.decode()
    assert len(refs_of(html)) == 25 and re.search(r'<option value="25" selected>', html)
    # An invalid size falls back to the default, and the selector says so.
    html = client.get(QUEUE + "?status=all&page_size=30").content.decode()
    assert len(refs_of(html)) == 30 and re.search(r'<option value="50" selected>', html)


def test_htmx_filter_returns_only_the_table(client, staff_dlh, dlh_ticket):
    client.force_login(staff_dlh)
    response = client.get(QUEUE + "?q=Mawar", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="queue-table"' in body and dlh_ticket.reference in body


def test_columns_show_supporters_duplicates_and_overdue(client, staff_dlh):
    late = make_ticket(resolution_due_at=timezone.now() - dt.timedelta(hours=2), support_count=7)
    other = make_ticket()
    DuplicateCandidate.objects.create(ticket=late, candidate=other, distance_m=40)
    client.force_login(staff_dlh)
    html = client.get(QUEUE).content.decode()
    row = html[html.index(f'data-reference="{late.reference}"') :]
    row = row[: row.index("</tr>")]
    assert "overdue" in row and ">7<" in row and ">1</span>" in row


def test_bulk_assign_priority_and_acknowledge(client, staff_dlh, dlh_member):
    first, second = make_ticket(), make_ticket()
    outside = make_ticket(service="jalan-rusak")
    client.force_login(staff_dlh)
    ids = [first.pk, second.pk, outside.pk]
    response = client.post("/staf/antrian/massal/", {"action": "assign", "ids": ids, "assignee": dlh_member.pk})
    assert response.status_code == 302
    assert set(Ticket.objects.filter(assignee=dlh_member)) == {first, second}
    client.post("/staf/antrian/massal/", {"action": "priority", "ids": ids, "priority": 4}, HTTP_HX_REQUEST="true")
    assert set(Ticket.objects.filter(priority=4)) == {first, second}
    response = client.post("/staf/antrian/massal/", {"action": "acknowledge", "ids": ids}, HTTP_HX_REQUEST="true")
    assert "2 tickets updated" in response.content.decode()
    assert set(Ticket.objects.filter(status=Status.ACKNOWLEDGED)) == {first, second}
    assert Ticket.objects.get(pk=outside.pk).priority != 4 and Ticket.objects.get(pk=outside.pk).status == "routed"


def test_bulk_status_change_reports_refusals(client, staff_dlh):
    routed, closed = make_ticket(), make_ticket(status=Status.CLOSED)
    client.force_login(staff_dlh)
    response = client.post(
        "/staf/antrian/massal/", {"action": "acknowledge", "ids": [routed.pk, closed.pk]}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "1 tickets updated" in body and closed.reference in body
    assert Ticket.objects.get(pk=closed.pk).status == Status.CLOSED
    response = client.post("/staf/antrian/massal/", {"action": "reject", "ids": [routed.pk]}, HTTP_HX_REQUEST="true")
    assert "Give the reason" in response.content.decode()


def test_saved_filters_are_personal_or_shared_within_the_department(client, staff_dlh, head_dlh, staff_pupr):
    client.force_login(staff_dlh)
    client.post("/staf/antrian/filter/", {"name": "Terlambat", "query": "overdue=on&page=3"})
    client.post("/staf/antrian/filter/", {"name": "Regu Sapu", "query": "priority=4", "shared": "on"})
    shared, private = SavedFilter.objects.order_by("name")
    assert private.query == "overdue=on" and not private.shared and shared.shared
    client.force_login(head_dlh)
    html = client.get(QUEUE).content.decode()
    assert "Regu Sapu" in html and "Terlambat" not in html
    client.force_login(staff_pupr)
    assert "Regu Sapu" not in client.get(QUEUE).content.decode()
    assert client.post(f"/staf/antrian/filter/{shared.pk}/hapus/").status_code == 404


def test_small_export_is_inline_csv_and_xlsx(client, staff_dlh):
    ticket = make_ticket(title='=HYPERLINK("http://x")')
    make_ticket(service="jalan-rusak")
    client.force_login(staff_dlh)
    response = client.get("/staf/antrian/ekspor/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Reference" and [r[0] for r in rows[1:]] == [ticket.reference]
    assert rows[1][1].startswith("'=")  # no formula injection
    response = client.get("/staf/antrian/ekspor/?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == ticket.reference


def test_large_export_runs_as_a_job_with_progress_and_private_file(client, staff_dlh, settings, monkeypatch):
    from complaints import exports

    monkeypatch.setattr(exports, "INLINE_LIMIT", 2)
    tickets = [make_ticket() for _ in range(3)]
    client.force_login(staff_dlh)
    response = client.get("/staf/antrian/ekspor/?format=csv&sort=age")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staf/antrian/ekspor/{job.pk}/"
    job.refresh_from_db()  # eager Celery without Redis; with Redis, run the task here
    if job.state != ExportJob.State.READY:
        from complaints.tasks import build_export

        build_export(job.pk)
        job.refresh_from_db()
    assert job.state == ExportJob.State.READY and job.done == 3
    assert str(settings.PRIVATE_UPLOAD_ROOT) in str(exports.job_file(job))
    status = client.get(f"/staf/antrian/ekspor/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "export-download" in status and "hx-trigger" not in status
    download = client.get(f"/staf/antrian/ekspor/{job.pk}/unduh/")
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert [line.split(",")[0] for line in body.splitlines()[1:]] == [t.reference for t in tickets]


def test_pending_export_polls(client, staff_dlh):
    job = ExportJob.objects.create(owner=staff_dlh, total=5000, done=1000)
    client.force_login(staff_dlh)
    html = client.get(f"/staf/antrian/ekspor/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and "1000 / 5000" in html


# --- query counts ----------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_tickets(count, assignee):
    for i in range(count):
        ticket = make_ticket(assignee=assignee if i % 2 else None)
        if i % 5 == 0:
            DuplicateCandidate.objects.create(ticket=ticket, candidate=ticket, distance_m=0)


def test_queue_queries_are_the_same_for_5_and_50_rows(client, staff_dlh, dlh_member, django_assert_max_num_queries):
    client.force_login(staff_dlh)
    _add_tickets(5, dlh_member)
    client.get(QUEUE)  # warm the session
    url = QUEUE + "?page_size=50&status=all"
    five = _count_queries(client, url)
    assert len(refs(client.get(url))) == 5
    _add_tickets(45, dlh_member)
    fifty = _count_queries(client, url)
    assert len(refs(client.get(url))) == 50
    assert five == fifty
    with django_assert_max_num_queries(15):
        client.get(QUEUE + "?page_size=100", HTTP_HX_REQUEST="true")


def test_ticket_page_queries_do_not_grow_with_the_timeline(client, staff_dlh, dlh_member, dlh_ticket, photo):
    client.force_login(staff_dlh)
    url = reverse("staff:ticket", args=[dlh_ticket.reference])
    client.get(url)
    actions.add_internal_note(ticket=dlh_ticket, actor=staff_dlh, message="Satu")
    short = _count_queries(client, url)
    for i in range(30):
        actions.reply_publicly(ticket=dlh_ticket, actor=staff_dlh, message=f"Balasan {i}")
        actions.assign_ticket(ticket=dlh_ticket, actor=staff_dlh, assignee=dlh_member if i % 2 == 0 else None)
    actions.resolve_ticket(ticket=dlh_ticket, actor=staff_dlh, note="Selesai", photos=[photo])
    assert TicketEvent.objects.filter(ticket=dlh_ticket).count() > 60
    long = _count_queries(client, url)
    assert long <= short
    assert TicketEvent.objects.filter(ticket=dlh_ticket, type=EventType.NOTE).count() == 1


def test_ticket_page_query_budget(client, staff_dlh, dlh_ticket, django_assert_max_num_queries):
    client.force_login(staff_dlh)
    url = reverse("staff:ticket", args=[dlh_ticket.reference])
    client.get(url)
    with django_assert_max_num_queries(25):
        client.get(url)


def test_bulk_export_of_selected_tickets(client, staff_dlh):
    chosen, skipped = make_ticket(), make_ticket()
    outside = make_ticket(service="jalan-rusak")
    client.force_login(staff_dlh)
    response = client.post("/staf/antrian/ekspor/", {"ids": [chosen.pk, outside.pk], "format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert chosen.reference in body and skipped.reference not in body and outside.reference not in body


# --- bulk actions and exports keep the user's filter -------------------------------------------------


class _FormFields(HTMLParser):
    """What a browser sends from one form of a page: its hidden and text inputs and each select's chosen option
    (the selected one, else the first). Ticked rows are left to the test."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.fields: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("type", "text") in ("hidden", "text") and attrs.get("name"):
            self.fields.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select":
            self.select, self.options = attrs.get("name"), []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value") or "", "selected" in attrs))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select and self.inside:
            chosen = [value for value, selected in self.options if selected] or [self.options[0][0]]
            self.fields.setdefault(self.select, []).append(chosen[0])
            self.select = None


def bulk_form_data(response, **chosen) -> dict[str, list[str]]:
    """The bulk form of a queue page as the browser sends it, with ``chosen`` (action, ids, format …) filled in."""
    parser = _FormFields("bulk-form")
    parser.feed(response.content.decode())
    return {**parser.fields, **{name: value if isinstance(value, list) else [value] for name, value in chosen.items()}}


def _mixed_queue(staff, member):
    """Tickets of every priority, some the user's own, some a colleague's, some nobody's."""
    tickets = {
        "high_mine": make_ticket(assignee=staff),
        "normal_mine": make_ticket(assignee=staff),
        "low_colleague": make_ticket(assignee=member),
        "normal_pool": make_ticket(),
        "urgent_pool": make_ticket(),
    }
    for name, priority in (("high_mine", 3), ("normal_mine", 2), ("low_colleague", 1), ("urgent_pool", 4)):
        Ticket.objects.filter(pk=tickets[name].pk).update(priority=priority)
    Ticket.objects.filter(pk=tickets["normal_pool"].pk).update(priority=2)
    return tickets


def test_after_a_bulk_action_the_queue_shows_the_filter_the_user_had(client, staff_dlh, dlh_member):
    """The bulk form's own 'assign to' and 'priority' choices were read back as the queue's filters: the whole
    queue came back as 'Normal' tickets only, and 'mine' came back as everyone's."""
    tickets = _mixed_queue(staff_dlh, dlh_member)
    client.force_login(staff_dlh)
    everything = {t.reference for t in tickets.values()}
    page = client.get(QUEUE)
    data = bulk_form_data(page, action="acknowledge", ids=[str(tickets["urgent_pool"].pk)])
    after = client.post("/staf/antrian/massal/", data, HTTP_HX_REQUEST="true")
    assert "1 tickets updated" in after.content.decode()
    assert refs(after) == everything  # all still open, whatever their priority or assignee

    mine = {tickets["high_mine"].reference, tickets["normal_mine"].reference}
    page = client.get(QUEUE, {"assignee": "mine", "status": "all"})
    assert refs(page) == mine
    data = bulk_form_data(page, action="priority", priority="4", ids=[str(tickets["high_mine"].pk)])
    after = client.post("/staf/antrian/massal/", data, HTTP_HX_REQUEST="true")
    assert Ticket.objects.get(pk=tickets["high_mine"].pk).priority == 4
    assert refs(after) == mine
    # The export and page links go on with that filter, once each, and nothing the bulk form chose.
    html = after.content.decode()
    assert 'id="export-csv" href="/staf/antrian/ekspor/?assignee=mine&amp;status=all&amp;format=csv"' in html
    assert 'name="query" value="assignee=mine&amp;status=all"' in html  # "Save filter"
    # Without htmx the browser is sent back to the same filter.
    data = bulk_form_data(page, action="acknowledge", ids=[str(tickets["normal_mine"].pk)])
    response = client.post("/staf/antrian/massal/", data)
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?assignee=mine&status=all"


def test_a_bulk_action_on_a_later_page_comes_back_to_that_page(client, staff_dlh, dlh_member):
    _add_tickets(30, dlh_member)
    client.force_login(staff_dlh)
    page = client.get(QUEUE, {"page_size": 25, "page": 2, "sort": "age"})
    second_page = refs(page)
    assert len(second_page) == 5
    ticket = Ticket.objects.get(reference=sorted(second_page)[0])
    data = bulk_form_data(page, action="acknowledge", ids=[str(ticket.pk)])
    after = client.post("/staf/antrian/massal/", data, HTTP_HX_REQUEST="true")
    assert refs(after) == second_page and "Page 2 of 2" in after.content.decode()


def test_export_selected_exports_exactly_the_ticked_tickets(client, staff_dlh, dlh_member):
    """'Export selected' of a High and a Normal ticket exported only the Normal one (the bulk form's priority)."""
    tickets = _mixed_queue(staff_dlh, dlh_member)
    outside = make_ticket(service="jalan-rusak")
    client.force_login(staff_dlh)
    page = client.get(QUEUE, {"assignee": "mine"})
    ticked = [tickets["high_mine"], tickets["normal_mine"]]
    data = bulk_form_data(page, format="csv", ids=[str(t.pk) for t in ticked] + [str(outside.pk)])
    response = client.post("/staf/antrian/ekspor/", data)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {t.reference for t in ticked}  # not the one outside the user's queue


# --- refusals and paging ------------------------------------------------------------------------------


def test_bulk_assign_to_someone_not_on_the_list_is_refused_in_the_users_language(client, staff_dlh):
    """assignee=abc was a server error (int('abc'))."""
    ticket = make_ticket()
    client.force_login(staff_dlh)
    response = client.post(
        "/staf/antrian/massal/",
        {"action": "assign", "ids": [ticket.pk], "assignee": "abc"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 200
    assert "Pilih seseorang." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee_id is None
    response = client.post(
        "/staf/antrian/massal/", {"action": "priority", "ids": [ticket.pk], "priority": "9"}, HTTP_HX_REQUEST="true"
    )
    assert "Choose a priority from the list." in response.content.decode()


def test_bulk_priority_starts_unchosen_and_changes_nothing_until_one_is_chosen(client, staff_dlh):
    """The list showed "Normal" chosen: "Change priority" applied without a look lowered every urgent ticket ticked."""
    urgent = make_ticket()
    Ticket.objects.filter(pk=urgent.pk).update(priority=4)
    client.force_login(staff_dlh)
    html = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    priority_list = html[html.index('id="bulk-priority"') : html.index("</select>", html.index('id="bulk-priority"'))]
    assert '<option value="">New priority…</option>' in priority_list and " selected" not in priority_list
    response = client.post(
        "/staf/antrian/massal/",
        {"action": "priority", "ids": [urgent.pk], "priority": ""},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Choose the new priority." in response.content.decode()
    assert Ticket.objects.get(pk=urgent.pk).priority == 4


def test_a_page_past_the_end_shows_the_last_page(client, staff_dlh):
    """?page=9999 said '3 tickets', 'no tickets match' and 'Page 9999 of 1', with 'Previous' going to 9998."""
    tickets = {make_ticket().reference for _ in range(3)}
    client.force_login(staff_dlh)
    response = client.get(QUEUE, {"page": 9999}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert refs(response) == tickets and "Page 1 of 1" in html
    assert "No tickets match" not in html and "page=9998" not in html


def test_a_page_past_a_capped_count_shows_the_last_counted_page(staff_dlh):
    from complaints import queries

    for _ in range(5):
        make_ticket()
    tickets = queries.queue_tickets(staff_dlh, sort="age")
    listing = queries.queue_page(tickets, page=9999, page_size=1, count_cap=2)
    assert listing["total_capped"] and listing["page"] == 2 and len(listing["rows"]) == 1


# --- every word on the Indonesian page goes through gettext --------------------------------------------


@pytest.fixture
def marked_indonesian(monkeypatch):
    """Gives msgids Indonesian texts no real translation uses, so a test sees whether a string reached the page
    through gettext (the real translations are filled in separately, and an untranslated msgid shows as English)."""
    from django.utils.translation import trans_real

    indonesian = trans_real.translation("id")
    real_gettext = indonesian.gettext

    def mark(texts: dict[str, str]):
        monkeypatch.setattr(indonesian, "gettext", lambda message: texts.get(message) or real_gettext(message))

    return mark


def test_the_page_filter_is_named_in_indonesian(client, staff_dlh, marked_indonesian):
    """?page=0 said 'Page: Pastikan nilai ini …': the hidden field had no label, so Django made one up in English."""
    marked_indonesian({"Page": "HALAMAN-UJI"})
    client.force_login(staff_dlh)
    client.cookies["django_language"] = "id"
    html = client.get(QUEUE, {"page": 0}).content.decode()
    errors = html[html.index('id="filter-errors"') :]
    errors = errors[: errors.index("</div>")]
    assert "HALAMAN-UJI:" in errors and "Page:" not in errors


def test_a_bulk_refusal_for_a_ticket_outside_the_queue_is_translatable(client, staff_dlh, marked_indonesian):
    marked_indonesian({"#%(pk)s: not in your queue.": "#%(pk)s: DI-LUAR-ANTREAN-UJI"})
    outside = make_ticket(service="jalan-rusak")
    client.force_login(staff_dlh)
    response = client.post(
        "/staf/antrian/massal/",
        {"action": "acknowledge", "ids": [outside.pk]},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert f"#{outside.pk}: DI-LUAR-ANTREAN-UJI" in response.content.decode()
