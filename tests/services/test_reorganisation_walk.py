"""The Diskominfotik administrator's QA walk through a reorganisation in the admin: the receiving department is told
once what it received (overdue, escalated, in its pool), the citizen reads the new department's full name, a routing
rule's new department says which reports stay behind, the list's "Deactivate" asks first and leaves a trace in the
department's history, a kelurahan cannot take its neighbour's name, and the admin's texts say what a change does to
the reports already filed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from complaints.actions.transfer import transfer_tickets
from complaints.mail import _render, deliver_notifications
from complaints.models import Notification, Status, Ticket
from services.models import Area, Department, RoutingRule, Service
from tests.admin_forms import service_form
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

REASON = "Perwali No. 12 Tahun 2025 tentang SOTK Perangkat Daerah"
TRANSFER_URL = "/admin/services/department/transfer/"
LIST = "/admin/services/department/"


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


def _late(level: int, **fields) -> Ticket:
    """In progress, its resolution date a month past, escalated to ``level`` (1 the head, 2 the inspectorate)."""
    long_ago = timezone.now() - dt.timedelta(days=60)
    return make_ticket(
        service="psu-permukiman",
        status=Status.IN_PROGRESS,
        routed_at=long_ago,
        acknowledged_at=long_ago,
        response_due_at=long_ago + dt.timedelta(days=3),
        resolution_due_at=long_ago + dt.timedelta(days=30),
        escalation_level=level,
        escalated_deadline="resolution",
        **fields,
    )


def test_the_receiving_department_is_told_once_what_it_received(admin_en, disperkim):
    perkim = Department.objects.get(code="perkim")
    head = make_staff("kepala.disperkim@banjarmasinkota.go.id", "disperkim", role="head")
    head.language = "en"
    head.save()
    leaver = make_staff("petugas.perkim@banjarmasinkota.go.id", "perkim")
    _late(1, assignee=leaver)
    _late(2)
    make_ticket(service="psu-permukiman")  # on time, in the pool
    response = admin_en.post(TRANSFER_URL, {"source": perkim.pk, "target": disperkim.pk, "reason": REASON, "move": 1})
    assert response.status_code == 302
    (told,) = [m for m in _messages(response) if "what it received" in m]
    assert "2 emails tell the heads of Disperkim and its contact address" in told
    assert "(overdue: 2, already escalated: 2, in its pool: 3)" in told

    rows = Notification.objects.filter(template=Notification.Template.STAFF_TRANSFER)
    assert sorted(rows.values_list("email", flat=True)) == sorted([head.email, disperkim.email])
    subject, body = _render(rows.get(email=head.email))
    assert subject.startswith("Dinas Perumahan dan Kawasan Permukiman (Disperkim) received 3 reports from ")
    assert subject.endswith("(Perkim) in a reorganisation · 2 overdue")
    assert f"Reason: {REASON}" in body
    assert "2 of them are overdue" in body
    assert "2 of them were already escalated before the move" in body
    assert "1 of them was escalated to the city inspectorate too." in body
    assert "This email is your notice of them as the head of the department that now has them" in body
    assert "3 of them are assigned to nobody" in body
    links = re.findall(r"https?://\S+", body)
    assert any(link.endswith(f"/staf/antrian/?department={disperkim.pk}&overdue=on") for link in links), links
    assert any(link.endswith("&escalated=1") for link in links) and any("assignee=unassigned" in x for x in links)

    # Sent once, whoever sends it, and a second run (nothing left) tells nobody again.
    ids = list(rows.values_list("pk", flat=True))
    assert deliver_notifications(notification_ids=ids) == 2
    assert deliver_notifications(notification_ids=ids) == 0
    # By the emails' ids: the contact address is written to in the city's language, the head in theirs.
    sent_ids = [m.extra_headers.get("X-Notification-Id") for m in mail.outbox]
    assert sorted(i for i in sent_ids if i in {str(pk) for pk in ids}) == sorted(str(pk) for pk in ids)
    admin_en.post(TRANSFER_URL, {"source": perkim.pk, "target": disperkim.pk, "reason": REASON, "move": 1})
    assert rows.count() == 2


def test_a_department_with_nobody_to_tell_is_pointed_out(admin_en, city):
    empty = Department.objects.create(code="dkp", name="Dinas Ketahanan Pangan", short_name="DKP")
    perkim = Department.objects.get(code="perkim")
    _late(1)
    response = admin_en.post(TRANSFER_URL, {"source": perkim.pk, "target": empty.pk, "reason": REASON, "move": 1})
    (warning,) = [m for m in _messages(response) if "nobody there was told" in m]
    assert "DKP has no active head and no contact address" in warning and "overdue: 1" in warning
    assert not Notification.objects.filter(template=Notification.Template.STAFF_TRANSFER).exists()


def test_the_citizen_reads_the_new_departments_full_name(client, disperkim, administrator):
    ticket = make_ticket(service="psu-permukiman", reporter_email="warga@example.id")
    transfer_tickets(source=ticket.department, target=disperkim, reason=REASON, actor=administrator)
    page = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Now handled by Dinas Perumahan dan Kawasan Permukiman (Disperkim) after the reorganisation" in page


def test_each_department_history_says_who_moved_what(admin_en, administrator, disperkim):
    perkim = Department.objects.get(code="perkim")
    make_ticket(service="psu-permukiman")
    make_ticket(service="rumah-tidak-layak")
    admin_en.post(TRANSFER_URL, {"source": perkim.pk, "target": disperkim.pk, "reason": REASON, "move": 1})
    for department in (perkim, disperkim):
        (entry,) = LogEntry.objects.filter(object_id=str(department.pk), content_type__model="department")
        assert entry.user == administrator
        assert entry.get_change_message() == f"Moved 2 reports from Perkim to Disperkim: {REASON}"


def test_a_partial_move_does_not_ask_to_move_the_planning_work(admin_en, disperkim, monkeypatch):
    from services import admin as services_admin

    perkim = Department.objects.get(code="perkim")
    houses = Service.objects.get(code="rumah-tidak-layak")
    make_ticket(service=houses)
    monkeypatch.setattr(services_admin, "planning_still_with", lambda department: (2, 1))
    form = {"source": perkim.pk, "services": [houses.pk], "target": disperkim.pk, "reason": REASON, "move": 1}
    shown = _messages(admin_en.post(TRANSFER_URL, form))
    assert not [m for m in shown if "planning work" in m]  # Perkim carries on with its plans
    make_ticket(service=houses)
    shown = _messages(admin_en.post(TRANSFER_URL, {**form, "services": []}))  # all of it: a merge
    assert [m for m in shown if "planning work" in m]


def test_a_routing_rules_new_department_says_which_reports_stay_behind(admin_en, disperkim):
    perkim = Department.objects.get(code="perkim")
    service = Service.objects.get(code="psu-permukiman")
    kecamatan = Area.objects.get(code="63.71.01")
    inside = Area.objects.filter(parent=kecamatan).first()
    outside = Area.objects.filter(level=Area.Level.KELURAHAN).exclude(parent=kecamatan).first()
    rule = RoutingRule.objects.create(service=service, area=kecamatan, department=perkim)
    make_ticket(service=service, kelurahan=inside)
    make_ticket(service=service, kelurahan=inside, status=Status.ACKNOWLEDGED)
    make_ticket(service=service, kelurahan=outside)  # another kecamatan: not this rule's
    response = admin_en.post(
        f"/admin/services/routingrule/{rule.pk}/change/",
        {"service": service.pk, "area": kecamatan.pk, "department": disperkim.pk, "active": "on", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (warning,) = [m for m in _messages(response) if "stay with" in m]
    assert (
        f"2 open or resolved reports of {service.name} in Kec. {kecamatan.name} stay with Perkim: only new reports "
        "go to Disperkim." in warning
    )
    link = (
        f"{TRANSFER_URL}?source={perkim.pk}&amp;service={service.pk}&amp;area={kecamatan.pk}&amp;target={disperkim.pk}"
    )
    assert f'<a href="{link}">Move them to Disperkim</a>' in warning
    page = admin_en.get(link.replace("&amp;", "&")).content.decode()
    assert "2 reports of Perkim will move:" in page
    admin_en.post(
        TRANSFER_URL,
        {
            "source": perkim.pk,
            "services": [service.pk],
            "area": kecamatan.pk,
            "target": disperkim.pk,
            "reason": REASON,
            "move": 1,
        },
    )
    assert Ticket.objects.filter(department=disperkim).count() == 2
    assert Ticket.objects.get(area=outside).department == perkim


def test_deactivating_from_the_list_asks_first_and_is_logged(admin_en, administrator):
    perkim = Department.objects.get(code="perkim")
    make_ticket(service="rumah-tidak-layak")
    asked = admin_en.post(LIST, {"action": "deactivate", "_selected_action": [perkim.pk]})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert Department.objects.get(pk=perkim.pk).active  # nothing yet
    (row,) = re.findall(r'<table id="deactivate-counts">.*?</table>', page, flags=re.S)
    active_services = Service.objects.filter(default_department=perkim, active=True).count()
    assert re.search(rf"<td>Perkim – {perkim.name}</td><td>{active_services}</td><td>\d+</td><td>1</td>", row)
    assert 'id="deactivate-confirm"' in page and 'name="confirmed" value="yes"' in page

    done = admin_en.post(LIST, {"action": "deactivate", "_selected_action": [perkim.pk], "confirmed": "yes"})
    assert done.status_code == 302
    assert not Department.objects.get(pk=perkim.pk).active
    (entry,) = LogEntry.objects.filter(object_id=str(perkim.pk), content_type__model="department")
    assert entry.user == administrator and entry.is_change()
    assert entry.get_change_message().startswith("Deactivated with the department list's action.")
    assert "1 open reports" in entry.get_change_message()


def test_a_kelurahan_cannot_take_a_neighbours_name(admin_en):
    kecamatan = Area.objects.get(code="63.71.01")
    first, second = Area.objects.filter(parent=kecamatan).order_by("code")[:2]
    url = f"/admin/services/area/{second.pk}/change/"
    response = admin_en.post(url, {"name": f"  {first.name.upper()} "})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{kecamatan.name} already has a kelurahan named “{first.name}”" in page
    assert re.search(rf'name="name" value="\s*{first.name.upper()}\s*"', page)  # what was typed stays
    assert Area.objects.get(pk=second.pk).name == second.name
    # Its own name, another case: fine; a kelurahan of another kecamatan may share a name.
    assert admin_en.post(url, {"name": second.name.lower()}).status_code == 302


def test_the_admins_department_pickers_show_the_full_name(admin_en, disperkim):
    Department.objects.create(code="dkp", name="Dinas Ketahanan Pangan", short_name="DKP")
    found = admin_en.get(
        "/admin/services/department/autocomplete/",
        {"term": "DKP", "app_label": "services", "model_name": "routingrule", "field_name": "department"},
    ).json()
    assert [result["text"] for result in found["results"]] == [
        "DKP – Dinas Ketahanan Pangan",
        "DKP3 – Dinas Ketahanan Pangan, Pertanian dan Perikanan",
    ]
    service = Service.objects.get(code="psu-permukiman")
    page = admin_en.get(f"/admin/services/service/{service.pk}/change/").content.decode()
    assert 'data-ajax--url="/admin/services/department/autocomplete/"' in page
    assert "Perkim – " in page


def test_retiring_a_service_or_changing_its_times_says_what_happens_to_its_reports(admin_en):
    houses = Service.objects.get(code="rumah-tidak-layak")
    make_ticket(service=houses)
    make_ticket(service=houses, status=Status.CLOSED)
    retired = admin_en.post(f"/admin/services/service/{houses.pk}/change/", service_form(houses, active=None))
    assert (
        "The service is retired: citizens can no longer choose it. Its 1 open report carries on with its department "
        "as before." in _messages(retired)
    )
    houses.refresh_from_db()
    slower = admin_en.post(
        f"/admin/services/service/{houses.pk}/change/",
        service_form(houses, resolution_sla_days=houses.resolution_sla_days + 5),
    )
    assert (
        "The new response and resolution times count for new reports: the 1 open report of this service keeps its "
        "due dates." in _messages(slower)
    )
