"""A department the administrator deactivated receives no new reports: routing falls through to the next rule or the
default department, and with none active left the triage desk places the report; the admin says what still points
at the department and refuses an active service whose default department is inactive."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.utils import translation

from complaints.actions.dispatch import route_batch, route_ticket
from complaints.models import EventType, TicketEvent
from services.models import Area, Department, RoutingRule, Service
from services.rules import department_for
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _deactivate(code):
    Department.objects.filter(code=code).update(active=False)


def _reasons(ticket):
    return TicketEvent.objects.get(ticket=ticket, type=EventType.ROUTED).payload["reasons"]


def test_a_report_for_an_inactive_default_department_goes_to_the_triage_desk(submitted):
    _deactivate("perkim")  # default department of rumah-tidak-layak, no routing rule
    routed = route_ticket(ticket_id=submitted("rumah-tidak-layak").pk)
    assert routed.department.code == "diskominfotik" and routed.department.is_triage
    assert routed.service.code == "rumah-tidak-layak"  # the citizen's choice is kept for the desk to place
    reasons = _reasons(routed)
    assert reasons["rule"] == "triage" and reasons["triage"] is True
    assert reasons["inactive_department"] == "Perkim"


def test_the_batch_path_skips_it_too(submitted):
    _deactivate("perkim")
    ticket = submitted("psu-permukiman")
    assert route_batch(ticket_id=ticket.pk) == [ticket.pk]
    ticket.refresh_from_db()
    assert ticket.department.code == "diskominfotik"


def test_an_active_rule_still_beats_an_inactive_default_department(submitted, city):
    # genangan-banjir: default PUPR, Banjarmasin Selatan (63.71.01) -> BPBD, Mantuil -> PUPR.
    _deactivate("pupr")
    flooding = Service.objects.get(code="genangan-banjir")
    # Mantuil's own rule names the inactive PUPR: the kecamatan rule (BPBD) is next.
    department, rule = department_for(service=flooding, area=Area.objects.get(code="63.71.01.1001"))
    assert department.code == "bpbd" and rule.area.code == "63.71.01"
    # Elsewhere no rule applies and the default department is inactive: nobody (the triage desk).
    assert department_for(service=flooding, area=Area.objects.get(code="63.71.02.1001")) == (None, None)
    dinsos = Department.objects.get(code="dinsos")
    RoutingRule.objects.create(service=flooding, area=None, department=dinsos)
    assert department_for(service=flooding, area=Area.objects.get(code="63.71.02.1001"))[0] == dinsos
    routed = route_ticket(ticket_id=submitted("genangan-banjir", "63.71.02.1001").pk)
    assert routed.department == dinsos and "inactive_department" not in _reasons(routed)


def _change_form_data(page) -> dict:
    """What the change form would post back unchanged (main form and inline formsets)."""
    context = page.context
    data = {}
    form = context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        for inline_form in formset.forms:
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if isinstance(value, bool):
                    if value:
                        data[inline_form.add_prefix(name)] = "on"
                elif value is not None:
                    data[inline_form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_deactivating_in_the_form_says_what_still_points_at_it(admin_en):
    perkim = Department.objects.get(code="perkim")
    houses = Service.objects.get(code="rumah-tidak-layak")
    RoutingRule.objects.create(
        service=Service.objects.get(code="jalan-rusak"), area=Area.objects.get(code="63.71.02"), department=perkim
    )
    make_ticket(service=houses)
    make_ticket(service=houses)
    make_ticket(service=houses, status="closed")
    url = f"/admin/services/department/{perkim.pk}/change/"
    data = _change_form_data(admin_en.get(url))
    data.pop("active")
    response = admin_en.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    perkim.refresh_from_db()
    assert not perkim.active
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    (warning,) = [m for m in shown if "inactive" in m]
    assert "Perkim is inactive and receives no new reports" in warning
    assert "2 active services (as their default department)" in warning
    assert "1 active routing rule" in warning and "2 open reports" in warning
    assert f"?default_department__id__exact={perkim.pk}&amp;active__exact=1" in warning
    # Saving it again, inactive, says nothing more.
    response = admin_en.post(url, _change_form_data(admin_en.get(url)))
    assert not [m for m in get_messages(response.wsgi_request) if "inactive" in str(m)]


def test_the_list_action_deactivates_and_warns(admin_en):
    perkim, bappeda = Department.objects.filter(code__in=["perkim", "bappeda"]).order_by("code")
    response = admin_en.post(
        "/admin/services/department/",
        {"action": "deactivate", "_selected_action": [perkim.pk, bappeda.pk], "confirmed": "yes"},
    )
    assert response.status_code == 302
    assert not Department.objects.filter(code__in=["perkim", "bappeda"], active=True).exists()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "2 departments deactivated." in shown
    warnings = [m for m in shown if "receives no new reports" in m]
    assert len(warnings) == 1 and "Perkim" in warnings[0]  # Bappeda handles no service: nothing to say


def test_an_active_service_needs_an_active_default_department(city):
    _deactivate("perkim")
    houses = Service.objects.get(code="rumah-tidak-layak")
    with translation.override("en"), pytest.raises(Exception) as refused:
        houses.full_clean()
    assert "Perkim is inactive: choose an active department, or make the service inactive." in str(refused.value)
    houses.active = False
    houses.full_clean()  # an inactive service may keep it
