"""The triage desk (Diskominfotik, *city triage desk* ticked) cannot be switched off by accident: reports the routing
cannot place go there, and with no active triage desk they stayed submitted with an error in the log. The department's
form refuses to deactivate it (or to untick *city triage desk*) and the list's "Deactivate selected departments" skips
it, saying why; once another active department is the triage desk, it can be switched off."""

from __future__ import annotations

import pytest

from services.models import Department

pytestmark = pytest.mark.django_db
LIST = "/admin/services/department/"
REFUSED = (
    "Diskominfotik is the city's only active triage desk: reports the routing cannot place go there, and without it "
    "they would stay unrouted. Tick “city triage desk” on another active department first; then this one can be "
    "switched off."
)


def form_data(page) -> dict:
    """What the department's change form would post back unchanged (with its members inline)."""
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        forms += inline.formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def change(client, department, *unticked):
    url = f"/admin/services/department/{department.pk}/change/"
    data = form_data(client.get(url))
    for name in unticked:
        data.pop(name)
    return client.post(url, data)


def triage_desk():
    return Department.objects.get(code="diskominfotik")


@pytest.mark.parametrize("unticked", ["active", "is_triage"])
def test_its_form_refuses_to_switch_it_off(admin_en, unticked):
    desk = triage_desk()
    response = change(admin_en, desk, unticked)
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors == {unticked: [REFUSED]}
    desk.refresh_from_db()
    assert desk.active and desk.is_triage


def test_with_another_triage_desk_it_can_be_switched_off(admin_en):
    dlh = Department.objects.get(code="dlh")
    assert change(admin_en, dlh).status_code == 302  # nothing changed: DLH is no triage desk, saving is fine
    dlh.is_triage = True
    dlh.save()
    response = change(admin_en, triage_desk(), "active")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not triage_desk().active
    # And now DLH is the only one left.
    assert change(admin_en, dlh, "is_triage").context["adminform"].form.errors == {
        "is_triage": [REFUSED.replace("Diskominfotik", "DLH")]
    }


def deactivate(client, *departments) -> list[str]:
    selected = [department.pk for department in departments]
    response = client.post(LIST, {"action": "deactivate", "_selected_action": selected}, follow=True)
    assert response.redirect_chain
    return [str(message) for message in response.context["messages"]]


def test_the_list_action_skips_it_and_says_why(admin_en):
    perkim, desk = Department.objects.get(code="perkim"), triage_desk()
    shown = deactivate(admin_en, perkim, desk)
    assert REFUSED in shown and "1 department deactivated." in shown
    assert triage_desk().active
    perkim.refresh_from_db()
    assert not perkim.active

    # Only the desk chosen: nothing is deactivated, and no "0 departments deactivated."
    assert deactivate(admin_en, desk) == [REFUSED]
    assert triage_desk().active


def test_the_list_action_deactivates_it_when_another_desk_stays(admin_en):
    Department.objects.filter(code="dlh").update(is_triage=True)
    assert "1 department deactivated." in deactivate(admin_en, triage_desk())
    assert not triage_desk().active
