"""A reorganisation of the city's departments (SOTK, often on 1 January), as the QA walk did it: Dinas PUPR split
into PUPR and a new Disperkim, Perkim merged into Disperkim. The administrator moves a department's open reports
(all, or of some services) to another department in one go from the admin ("Move open reports to another
department"): unlike a forward, status, verification, due dates and escalation stay; an assignee who is not a
member of the new department is removed; each report's timeline records the move and its followers are emailed
once. Before, reports (confidential ones too) stayed with the inactive department, and forwarding them one by one
made an escalated report in progress "on time, not yet verified"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.actions.transfer import transfer_tickets
from complaints.mail import _render
from complaints.models import EventType, Notification, Status, Subscription, Ticket, TicketEvent
from services.models import Area, Department, Service, StaffMembership
from tests.admin_forms import service_form
from tests.conftest import make_staff, make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

REASON = "Perwali No. 12 Tahun 2025 tentang SOTK Perangkat Daerah"
TRANSFER_URL = "/admin/services/department/transfer/"


@pytest.fixture
def disperkim(city):
    return Department.objects.create(
        code="disperkim",
        name="Dinas Perumahan dan Kawasan Permukiman",
        short_name="Disperkim",
        email="disperkim@banjarmasinkota.go.id",
    )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _escalated_in_progress(**fields) -> Ticket:
    """The walk's report: in progress since September, due 9 October, escalated to the head."""
    september = timezone.now() - dt.timedelta(days=90)
    return make_ticket(
        service="psu-permukiman",
        status=Status.IN_PROGRESS,
        routed_at=september,
        acknowledged_at=september + dt.timedelta(days=1),
        response_due_at=september + dt.timedelta(days=3),
        resolution_due_at=september + dt.timedelta(days=20),
        escalation_level=1,
        escalated_deadline="resolution",
        **fields,
    )


def test_a_transfer_keeps_status_verification_due_dates_and_escalation(disperkim, administrator):
    ticket = _escalated_in_progress()
    before = Ticket.objects.get(pk=ticket.pk)
    outcome = transfer_tickets(source=ticket.department, target=disperkim, reason=REASON, actor=administrator)
    assert outcome.moved == 1
    after = Ticket.objects.get(pk=ticket.pk)
    assert after.department == disperkim
    kept = (
        "status",
        "routed_at",
        "acknowledged_at",
        "response_due_at",
        "resolution_due_at",
        "escalation_level",
        "escalated_deadline",
        "priority",
    )
    assert {name: getattr(after, name) for name in kept} == {name: getattr(before, name) for name in kept}
    (event,) = TicketEvent.objects.filter(ticket=ticket, type=EventType.TRANSFERRED)
    assert event.public and event.actor == administrator
    assert (
        event.payload["from"] == "Perkim" and event.payload["to"] == "Disperkim" and event.payload["reason"] == REASON
    )


def test_the_administrator_moves_the_open_reports_of_an_inactive_department_confidential_ones_too(
    admin_en, administrator, disperkim, client
):
    perkim = Department.objects.get(code="perkim")
    secret = _escalated_in_progress(privacy="confidential", title="Pungli bantuan bedah rumah")
    public = make_ticket(service="rumah-tidak-layak", title="Rumah roboh di gang")
    resolved = make_ticket(service="rumah-tidak-layak", status=Status.RESOLVED, resolved_at=timezone.now())
    closed = make_ticket(service="rumah-tidak-layak", status=Status.CLOSED)
    Department.objects.filter(pk=perkim.pk).update(active=False)

    # The administrator never reads a confidential report of a department (by design), yet moves it.
    assert admin_en.get(f"/admin/complaints/ticket/{secret.pk}/change/").status_code in (302, 404)
    page = admin_en.get(f"{TRANSFER_URL}?source={perkim.pk}").content.decode()
    assert "3 reports of Perkim will move:" in page and "2 open" in page and "1 resolved" in page
    assert "Pungli" not in page and secret.reference not in page
    form = {"source": perkim.pk, "target": disperkim.pk, "reason": REASON}
    preview = admin_en.post(TRANSFER_URL, {**form, "preview": "1"}).content.decode()
    assert 'id="transfer-move"' in preview and "Move 3 reports" in preview
    assert Ticket.objects.filter(department=perkim, status__in=["in_progress", "routed"]).count() == 2  # not yet

    response = admin_en.post(TRANSFER_URL, {**form, "move": "1"})
    assert response.status_code == 302
    assert (
        "3 reports moved from Perkim to Disperkim. Their status, due dates and escalation stay as they were."
        in _messages(response)
    )
    moved = {t.pk: t.department.code for t in Ticket.objects.filter(pk__in=[secret.pk, public.pk, resolved.pk])}
    assert set(moved.values()) == {"disperkim"}
    assert Ticket.objects.get(pk=closed.pk).department == perkim  # history stays
    # The confidential report is with a department that can work on it now.
    client.force_login(make_staff("petugas.disperkim@banjarmasinkota.go.id", "disperkim"))
    assert client.get(reverse("staff:ticket", args=[secret.reference])).status_code == 200


def test_the_public_timeline_and_the_citizens_email_say_who_handles_it_now(disperkim, administrator, client):
    reporter = make_user("warga.kayutangi@example.id", full_name="Warga Kayu Tangi")
    ticket = make_ticket(service="psu-permukiman", reporter=reporter)
    transfer_tickets(source=ticket.department, target=disperkim, reason=REASON, actor=administrator)
    page = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    (entry,) = re.findall(r'<li class="event-transferred">.*?</li>', page, flags=re.S)
    assert "Moved in a reorganisation" in entry
    # Its full name: citizens never heard of "Disperkim".
    assert (
        "Now handled by Dinas Perumahan dan Kawasan Permukiman (Disperkim) after the reorganisation of city "
        "departments." in entry
    )
    assert f"Reason: {REASON}" in entry
    notification = Notification.objects.get(ticket=ticket, event__type=EventType.TRANSFERRED)
    assert notification.email == reporter.email
    notification.language = "en"
    subject, body = _render(notification)
    assert subject.startswith(f"[{ticket.reference}] Moved in a reorganisation")
    assert "Now handled by Dinas Perumahan dan Kawasan Permukiman (Disperkim) after the reorganisation" in body
    assert "Handled by: Disperkim" not in body and f"Reason: {REASON}" in body
    assert "Its handling and due dates carry on as before." in body
    assert "start again" not in body


def test_each_reporter_and_follower_is_told_once(disperkim, administrator, citizen, other_citizen):
    ticket = make_ticket(service="psu-permukiman", reporter=citizen)
    Subscription.objects.create(ticket=ticket, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    secret = make_ticket(service="psu-permukiman", privacy="confidential", reporter_email="rahasia@example.id")
    Subscription.objects.create(ticket=secret, email="rahasia@example.id", reason=Subscription.Reason.REPORTER)
    Subscription.objects.create(ticket=secret, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    perkim = ticket.department
    outcome = transfer_tickets(source=perkim, target=disperkim, reason=REASON, actor=administrator)
    assert outcome.moved == 2 and outcome.notified == 3
    sent = Notification.objects.filter(event__type=EventType.TRANSFERRED).values_list("ticket_id", "email")
    # A confidential report's updates go to its reporter only (queries.followers_may_see).
    assert sorted(sent) == sorted(
        [(ticket.pk, citizen.email), (ticket.pk, other_citizen.email), (secret.pk, "rahasia@example.id")]
    )
    # Nothing is left to move: a second run moves and tells nobody.
    again = transfer_tickets(source=perkim, target=disperkim, reason=REASON, actor=administrator)
    assert (again.moved, again.notified) == (0, 0)
    assert Notification.objects.filter(event__type=EventType.TRANSFERRED).count() == 3


def test_an_assignee_who_is_not_a_member_of_the_new_department_is_removed(admin_en, disperkim):
    pupr = Department.objects.get(code="pupr")
    leaving = make_staff("petugas.pupr@banjarmasinkota.go.id", "pupr")
    staying = make_staff("petugas.perkim.pupr@banjarmasinkota.go.id", "pupr")
    StaffMembership.objects.create(user=staying, department=disperkim)  # moved with the work
    drains = Service.objects.get(code="drainase-tersumbat")
    theirs = make_ticket(service=drains, assignee=leaving)
    kept = make_ticket(service=drains, assignee=staying)
    pool = make_ticket(service=drains)
    roads = make_ticket(service="jalan-rusak", assignee=leaving)  # a service that stays with PUPR
    form = {"source": pupr.pk, "services": [drains.pk], "target": disperkim.pk, "reason": REASON}
    preview = admin_en.post(TRANSFER_URL, form).content.decode()
    assert "3 reports of Dinas PUPR will move:" in preview
    assert "1 of them is assigned to someone who is not a member of the new department" in preview
    response = admin_en.post(TRANSFER_URL, {**form, "move": "1"})
    shown = _messages(response)
    assert (
        "1 of them was assigned to someone who is not a member of Disperkim: it is in the pool of Disperkim now, "
        "for its head to assign." in shown
    )
    # Routing is the service's own setting: the page says its new reports still go to PUPR.
    (reminder,) = [m for m in shown if "still go to" in m]
    assert "New reports of Blocked drain or culvert still go to Dinas PUPR: change its default department" in reminder
    assignees = dict(Ticket.objects.filter(department=disperkim).values_list("pk", "assignee_id"))
    assert assignees == {theirs.pk: None, kept.pk: staying.pk, pool.pk: None}
    assert Ticket.objects.get(pk=roads.pk).department == pupr and Ticket.objects.get(pk=roads.pk).assignee == leaving
    # The staff timeline says who had it.
    (cleared,) = TicketEvent.objects.filter(ticket=theirs, type=EventType.ASSIGNED)
    assert not cleared.public and cleared.payload["from"] == str(leaving) and cleared.payload["to"] == ""


def _queries_to_move(count: int, source: Department, target: Department, actor) -> int:
    for _ in range(count):
        make_ticket(service="psu-permukiman", department=source, reporter_email="pelapor@example.id")
    with CaptureQueriesContext(connection) as queries:
        outcome = transfer_tickets(source=source, target=target, reason=REASON, actor=actor)
    assert outcome.moved == count
    return len(queries)


def test_hundreds_of_reports_move_in_a_few_statements(disperkim, administrator):
    # A split moves hundreds of reports in one request: the statements do not grow with the reports.
    _queries_to_move(0, Department.objects.get(code="bappeda"), disperkim, administrator)  # the actor's roles, once
    few = _queries_to_move(3, Department.objects.get(code="perkim"), disperkim, administrator)
    many = _queries_to_move(60, Department.objects.get(code="dinsos"), disperkim, administrator)
    assert many == few, (few, many)
    moved = transfer_tickets(
        source=disperkim, target=Department.objects.get(code="perkim"), reason=REASON, actor=administrator, batch_size=7
    )
    assert moved.moved == 63
    assert TicketEvent.objects.filter(type=EventType.TRANSFERRED).count() == 63 * 2


@pytest.mark.parametrize("role", ["head", "staff"])
def test_only_the_administrator_may_move_reports(client, disperkim, role):
    perkim = Department.objects.get(code="perkim")
    ticket = make_ticket(service="psu-permukiman")
    # Even with the admin open to them and the right to change departments.
    person = make_staff(f"{role}.perkim@banjarmasinkota.go.id", "perkim", role=role)
    person.is_staff = True
    person.save()
    person.user_permissions.add(*Permission.objects.filter(codename__in=["change_department", "view_department"]))
    with pytest.raises(PermissionDenied):
        transfer_tickets(source=perkim, target=disperkim, reason=REASON, actor=person)
    client.force_login(person)
    assert client.get(f"{TRANSFER_URL}?source={perkim.pk}").status_code == 403
    form = {"source": perkim.pk, "target": disperkim.pk, "reason": REASON, "move": "1"}
    assert client.post(TRANSFER_URL, form).status_code == 403
    listing = client.get("/admin/services/department/").content.decode()
    assert 'value="move_reports"' not in listing
    assert 'id="move-reports"' not in client.get(f"/admin/services/department/{perkim.pk}/change/").content.decode()
    assert Ticket.objects.get(pk=ticket.pk).department == perkim


def test_the_target_must_be_another_active_department(admin_en, disperkim):
    perkim = Department.objects.get(code="perkim")
    make_ticket(service="psu-permukiman")
    same = admin_en.post(TRANSFER_URL, {"source": perkim.pk, "target": perkim.pk, "reason": REASON, "move": "1"})
    assert "Choose another department than the one the reports are with." in same.content.decode()
    Department.objects.filter(pk=disperkim.pk).update(active=False)
    inactive = admin_en.post(TRANSFER_URL, {"source": perkim.pk, "target": disperkim.pk, "reason": REASON})
    assert "Select a valid choice" in inactive.content.decode()
    assert not Ticket.objects.exclude(department=perkim).filter(service__code="psu-permukiman").exists()


def test_the_department_page_and_list_lead_to_the_transfer(admin_en, disperkim):
    perkim = Department.objects.get(code="perkim")
    page = admin_en.get(f"/admin/services/department/{perkim.pk}/change/").content.decode()
    assert f'href="{TRANSFER_URL}?source={perkim.pk}" id="move-reports"' in page
    response = admin_en.post("/admin/services/department/", {"action": "move_reports", "_selected_action": [perkim.pk]})
    assert response.status_code == 302 and response.url == f"{TRANSFER_URL}?source={perkim.pk}"


def test_deactivating_links_to_the_transfer_and_names_the_planning_work(admin_en):
    from planning.models import Activity, FiscalYear, Proposal

    perkim = Department.objects.get(code="perkim")
    make_ticket(service="rumah-tidak-layak")
    year = timezone.localdate().year + 1
    fiscal_year = FiscalYear.objects.create(
        year=year,
        musrenbang_start=dt.date(year - 1, 1, 6),
        musrenbang_end=dt.date(year - 1, 3, 31),
        rkpd_by=dt.date(year - 1, 6, 30),
        kuappas_start=dt.date(year - 1, 7, 1),
        kuappas_end=dt.date(year - 1, 8, 31),
        apbd_by=dt.date(year - 1, 11, 30),
        execution_start=dt.date(year, 1, 1),
        execution_end=dt.date(year, 12, 31),
        evaluation_start=dt.date(year + 1, 1, 1),
        evaluation_end=dt.date(year + 1, 3, 31),
    )
    for code in ("1.04.01", "1.04.02"):
        Activity.objects.create(
            fiscal_year=fiscal_year,
            code=code,
            name="Bedah rumah",
            department=perkim,
            start_date=dt.date(year, 2, 1),
            end_date=dt.date(year, 11, 30),
        )
    Proposal.objects.create(
        fiscal_year=fiscal_year,
        source="department",
        title="Rehab RTLH",
        problem="Rumah tidak layak huni",
        area=Area.objects.get(code="63.71.05.1003"),
        department=perkim,
        estimated_cost=100_000_000,
    )
    response = admin_en.post(
        "/admin/services/department/", {"action": "deactivate", "_selected_action": [perkim.pk], "confirmed": "yes"}
    )
    shown = _messages(response)
    (warning,) = [m for m in shown if "receives no new reports" in m]
    assert f'<a href="{TRANSFER_URL}?source={perkim.pk}">1 open report</a>' in warning
    assert "Move its open reports to the department taking them over" in warning
    (planning,) = [m for m in shown if "planning work" in m]
    assert "2 activities of fiscal years still running" in planning and "1 proposal under review" in planning
    assert "change their department in the planning admin" in planning


def test_a_new_default_department_says_how_many_reports_stay_behind(admin_en, disperkim):
    houses = Service.objects.get(code="rumah-tidak-layak")
    perkim = houses.default_department
    make_ticket(service=houses)
    make_ticket(service=houses, status=Status.ACKNOWLEDGED)
    make_ticket(service=houses, status=Status.CLOSED)
    response = admin_en.post(
        f"/admin/services/service/{houses.pk}/change/", service_form(houses, default_department=disperkim.pk)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (warning,) = [m for m in _messages(response) if "stay with" in m]
    assert "2 open or resolved reports of this service stay with Perkim: only new reports go to Disperkim." in warning
    link = f"{TRANSFER_URL}?source={perkim.pk}&amp;service={houses.pk}&amp;target={disperkim.pk}"
    assert f'<a href="{link}">Move them to Disperkim</a>' in warning
    # The link opens the page pre-filled, counting what it would move.
    page = admin_en.get(f"{TRANSFER_URL}?source={perkim.pk}&service={houses.pk}&target={disperkim.pk}")
    text = page.content.decode()
    assert "2 reports of Perkim will move:" in text
    assert re.search(rf'<input type="checkbox" name="services" value="{houses.pk}"[^>]*checked', text)
    assert re.search(
        rf'<option value="{disperkim.pk}" selected>Disperkim – Dinas Perumahan dan Kawasan Permukiman</option>', text
    )
