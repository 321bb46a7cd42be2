"""The triage desk (Diskominfotik, *city triage desk* ticked) cannot be switched off by accident: reports the routing
cannot place go there, and with no active triage desk they stayed submitted with an error in the log. The department's
form refuses to deactivate it (or to untick *city triage desk*) and the list's "Deactivate selected departments" skips
it, saying why; once another active department is the triage desk, it can be switched off."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from services.models import Department
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db
LIST = "/admin/services/department/"
REFUSED = (
    "Diskominfotik is the city's only active triage desk: reports the routing cannot place go there, and without it "
    "they would stay unrouted. Tick “city triage desk” on another active department first; then this one can be "
    "switched off."
)


def change(client, department, *unticked):
    url = f"/admin/services/department/{department.pk}/change/"
    data = change_form_data(client.get(url))
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
    response = client.post(
        LIST, {"action": "deactivate", "_selected_action": selected, "confirmed": "yes"}, follow=True
    )
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


def test_it_cannot_be_deleted_either_alone_or_with_others(admin_en):
    """Its delete page, and "delete selected" with it among others, name it as what prevents the deletion."""
    desk = triage_desk()
    page = admin_en.get(f"/admin/services/department/{desk.pk}/delete/")
    assert escape(REFUSED) in page.content.decode() and 'name="post"' not in page.content.decode()
    refused = admin_en.post(f"/admin/services/department/{desk.pk}/delete/", {"post": "yes"})
    assert escape(REFUSED) in refused.content.decode() and Department.objects.filter(pk=desk.pk).exists()
    selected = [desk.pk, Department.objects.get(code="perkim").pk]
    response = admin_en.post(LIST, {"action": "delete_selected", "_selected_action": selected, "post": "yes"})
    assert escape(REFUSED) in response.content.decode()
    assert Department.objects.filter(pk__in=selected).count() == 2
