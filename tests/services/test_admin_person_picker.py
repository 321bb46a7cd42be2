"""The admin's people pickers name each person with their email: in a department's members two "Rahmat Hidayat"
looked identical, and the DLH officer got Disperkim's membership, and with it its confidential reports (found in
the reorganisation walk). Names elsewhere (``User.__str__``, on citizen and staff pages) stay as they were. And the
department's and routing rule's fields say what changing them does."""

from __future__ import annotations

import pytest

from services.models import Department, RoutingRule, StaffMembership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PICKER_URL = "/admin/services/staffmembership/people/autocomplete/"


@pytest.fixture
def two_rahmats(city):
    dlh = make_user("rahmat.dlh@banjarmasinkota.go.id", full_name="Rahmat Hidayat")
    perkim = make_user("rahmat.perkim@banjarmasinkota.go.id", full_name="Rahmat Hidayat")
    return dlh, perkim


def test_the_membership_pickers_search_shows_each_persons_email(admin_en, two_rahmats):
    perkim = Department.objects.get(code="perkim")
    page = admin_en.get(f"/admin/services/department/{perkim.pk}/change/").content.decode()
    assert f'data-ajax--url="{PICKER_URL}"' in page  # the members inline asks the labelled search
    params = {"app_label": "services", "model_name": "staffmembership", "field_name": "user", "term": "rahmat"}
    found = sorted(result["text"] for result in admin_en.get(PICKER_URL, params).json()["results"])
    assert found == [
        "Rahmat Hidayat (rahmat.dlh@banjarmasinkota.go.id)",
        "Rahmat Hidayat (rahmat.perkim@banjarmasinkota.go.id)",
    ]
    assert 'data-ajax--url="' + PICKER_URL in admin_en.get("/admin/services/staffmembership/add/").content.decode()


def test_a_chosen_member_and_the_row_name_the_email(admin_en, two_rahmats):
    dlh_rahmat, _perkim_rahmat = two_rahmats
    perkim = Department.objects.get(code="perkim")
    membership = StaffMembership.objects.create(user=dlh_rahmat, department=perkim)
    page = admin_en.get(f"/admin/services/department/{perkim.pk}/change/").content.decode()
    chosen = "Rahmat Hidayat (rahmat.dlh@banjarmasinkota.go.id) · Perkim"  # with the departments they are in
    assert f'<option value="{dlh_rahmat.pk}" selected>{chosen}</option>' in page
    assert "Rahmat Hidayat (rahmat.dlh@banjarmasinkota.go.id) · Perkim (Staff)" in page  # the row's own label
    page = admin_en.get(f"/admin/services/staffmembership/{membership.pk}/change/").content.decode()
    assert f"{chosen}</option>" in page


def test_the_picker_keeps_the_admins_permission_checks(client, two_rahmats):
    client.force_login(make_user("petugas@banjarmasinkota.go.id", is_staff=True))
    params = {"app_label": "services", "model_name": "staffmembership", "field_name": "user", "term": "rahmat"}
    assert client.get(PICKER_URL, params).status_code == 403


def test_names_elsewhere_stay_names(two_rahmats):
    assert str(two_rahmats[0]) == "Rahmat Hidayat"


def test_the_fields_say_what_changing_them_does(admin_en):
    perkim = Department.objects.get(code="perkim")
    page = admin_en.get(f"/admin/services/department/{perkim.pk}/change/").content.decode()
    assert "changing it breaks links and integrations that use the old code" in page
    assert "it receives no new reports" in page and "until you move them with" in page
    rule = RoutingRule.objects.first()
    page = admin_en.get(f"/admin/services/routingrule/{rule.pk}/change/").content.decode()
    assert "Staff read this on every report the rule routes, as the reason the report came to their department" in page
