"""The administrator sets the city up in the Django admin: lists, filters, search and inlines work."""

import pytest

from services.models import Area, DayOff, Department, RoutingRule, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/admin/services/area/?level__exact=kecamatan", "Banjarmasin Selatan"),
        ("/admin/services/area/?q=Mantuil", "63.71.01.1001"),
        ("/admin/services/department/?q=PUPR", "Dinas Pekerjaan Umum"),
        ("/admin/services/service/?kind__exact=complaint&q=banjir", "genangan-banjir"),
        ("/admin/services/routingrule/?q=genangan", "Mantuil"),
        ("/admin/services/staffmembership/", "petugas.dlh@"),
        ("/admin/services/dayoff/", "Cuti bersama"),
        ("/admin/services/serviceattribute/?datatype__exact=singlevaluelist&q=ukuran", "Seberapa besar kerusakannya"),
        ("/admin/accounts/user/?q=petugas", "petugas.dlh@"),
    ],
)
def test_admin_lists_filter_and_search(admin_client, staff_dlh, url, expected, django_assert_max_num_queries):
    DayOff.objects.create(date="2026-12-24", name="Cuti bersama Natal")
    with django_assert_max_num_queries(20):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_service_page_has_attribute_and_routing_rule_inlines(admin_client):
    service = Service.objects.get(code="genangan-banjir")
    page = admin_client.get(f"/admin/services/service/{service.pk}/change/").content.decode()
    assert 'id="attributes-group"' in page
    assert 'id="routing_rules-group"' in page
    assert "Pompa banjir Mantuil" in page


def test_routing_rule_can_be_added_inline_on_the_service(admin_client):
    service = Service.objects.get(code="jalan-rusak")
    area = Area.objects.get(code="63.71.02")
    dishub = Department.objects.get(code="dishub")
    data = {
        "code": service.code,
        "kind": service.kind,
        "group": service.group,
        "active": "on",
        "name_id": service.name_id,
        "name_en": service.name_en,
        "description_id": service.description_id,
        "description_en": service.description_en,
        "keywords": service.keywords,
        "default_department": service.default_department_id,
        "response_sla_days": 3,
        "resolution_sla_days": 10,
        "default_priority": 2,
        "default_privacy": "public",
        "attributes-TOTAL_FORMS": 0,
        "attributes-INITIAL_FORMS": 0,
        "routing_rules-TOTAL_FORMS": 1,
        "routing_rules-INITIAL_FORMS": 0,
        "routing_rules-0-area": area.pk,
        "routing_rules-0-department": dishub.pk,
        "routing_rules-0-active": "on",
        "routing_rules-0-note": "test",
    }
    response = admin_client.post(f"/admin/services/service/{service.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RoutingRule.objects.get(service=service, area=area).department == dishub


def test_department_and_user_pages_show_memberships(admin_client, staff_dlh):
    dlh = Department.objects.get(code="dlh")
    department_page = admin_client.get(f"/admin/services/department/{dlh.pk}/change/").content.decode()
    assert 'id="memberships-group"' in department_page
    # Named with the email: two members may share a name (tests/services/test_admin_person_picker.py).
    label = f"{staff_dlh.full_name} ({staff_dlh.email}) · DLH"
    assert f'<option value="{staff_dlh.pk}" selected>{label}</option>' in department_page
    page = admin_client.get(f"/admin/accounts/user/{staff_dlh.pk}/change/").content.decode()
    assert 'id="memberships-group"' in page
    assert "DLH" in page


def test_area_boundary_is_read_only(admin_client):
    area = Area.objects.get(code="63.71.01.1001")
    page = admin_client.get(f"/admin/services/area/{area.pk}/change/").content.decode()
    assert 'name="boundary"' not in page
    assert "Polygon" in page
    response = admin_client.post(f"/admin/services/area/{area.pk}/change/", {"name": "Mantuil Baru"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "Mantuil Baru"
    assert area.code == "63.71.01.1001" and area.boundary["type"] in ("Polygon", "MultiPolygon")
    assert admin_client.get("/admin/services/area/add/").status_code == 403


def test_non_superuser_administrator_cannot_grant_superuser(admin_client, citizen):
    page = admin_client.get(f"/admin/accounts/user/{citizen.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' in page


def test_the_area_lists_kecamatan_filter_offers_kecamatan_only(admin_client):
    """It offered every area, kelurahan included, and choosing a kelurahan (nobody's parent) listed nothing."""
    response = admin_client.get("/admin/services/area/")
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.field_path == "parent")
    offered = {name for _pk, name in spec.lookup_choices}
    assert offered == set(Area.objects.filter(level=Area.Level.KECAMATAN).values_list("name", flat=True))
    selatan = Area.objects.get(name="Banjarmasin Selatan")
    listed = admin_client.get("/admin/services/area/", {"parent__id__exact": selatan.pk}).context["cl"].result_count
    assert listed == Area.objects.filter(parent=selatan).count() > 0
