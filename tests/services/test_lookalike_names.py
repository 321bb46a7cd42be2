"""Look-alike names in the admin: the area picker names each area's kind (and a kelurahan's kecamatan), kecamatan
first; a second department with an existing department's name or short name is refused."""

from __future__ import annotations

import pytest

from services.models import Area, Department, RoutingRule, Service

pytestmark = pytest.mark.django_db


def test_the_area_picker_tells_kecamatan_from_kelurahan(admin_en):
    page = admin_en.get("/admin/services/routingrule/add/").content.decode()
    url = "/admin/services/area/autocomplete/"
    assert f'data-ajax--url="{url}"' in page
    params = {"app_label": "services", "model_name": "routingrule", "field_name": "area", "term": "utara"}
    found = [result["text"] for result in admin_en.get(url, params).json()["results"]]
    # Before: "Belitung Utara" (a kelurahan of Banjarmasin Barat) came first and looked like the kecamatan.
    assert found == [
        "Kec. Banjarmasin Utara",
        "Kel. Alalak Utara (Banjarmasin Utara)",
        "Kel. Belitung Utara (Banjarmasin Barat)",
        "Kel. Kuin Utara (Banjarmasin Utara)",
    ]
    # The service page's rules use the same picker.
    service = Service.objects.get(code="genangan-banjir")
    page = admin_en.get(f"/admin/services/service/{service.pk}/change/").content.decode()
    assert f'data-ajax--url="{url}"' in page
    assert "Kel. Mantuil (Banjarmasin Selatan)</option>" in page


def test_a_chosen_area_and_the_rule_list_show_the_kind(admin_en):
    rule = RoutingRule.objects.get(area__code="63.71.01")
    page = admin_en.get(f"/admin/services/routingrule/{rule.pk}/change/").content.decode()
    assert f'<option value="{rule.area_id}" selected>Kec. Banjarmasin Selatan</option>' in page
    listing = admin_en.get("/admin/services/routingrule/").content.decode()
    assert "Kec. Banjarmasin Selatan" in listing and "Kel. Mantuil (Banjarmasin Selatan)" in listing


def test_public_names_are_unchanged(city):
    assert str(Area.objects.get(code="63.71.04")) == "Banjarmasin Utara"


def _department_form(**fields):
    data = {
        "code": "dinsos-2",
        "name": "Dinas Sosial Kota",
        "short_name": "Dinsos Kota",
        "email": "",
        "active": "on",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }
    data.update(fields)
    return data


def test_a_second_department_with_the_same_name_is_refused(admin_en):
    response = admin_en.post("/admin/services/department/add/", _department_form(name="dinas  sosial"))
    assert response.status_code == 200
    assert "dinsos is already called “Dinas Sosial”: give this department a name that tells them apart." in (
        response.content.decode()
    )
    response = admin_en.post("/admin/services/department/add/", _department_form(short_name="DINSOS"))
    assert response.status_code == 200
    assert "dinsos already has the short name “Dinsos”" in response.content.decode()
    assert not Department.objects.filter(code="dinsos-2").exists()
    response = admin_en.post("/admin/services/department/add/", _department_form())
    assert response.status_code == 302
    # Its own name is no twin when it is saved again.
    dinsos = Department.objects.get(code="dinsos")
    response = admin_en.post(
        f"/admin/services/department/{dinsos.pk}/change/",
        _department_form(code="dinsos", name=dinsos.name, short_name=dinsos.short_name, email=dinsos.email),
    )
    assert response.status_code == 302
