"""seed_city runs on every deploy: it gives each catalogue entry and field once, so what the administrator deleted
or emptied in the admin stays so, while what a later release ships still arrives."""

import pytest

from services import seeding
from services.models import Department, RoutingRule, SeededEntry, Service, ServiceAttribute
from services.seeding import seed_city

pytestmark = pytest.mark.django_db

FLOOD_RULE = {"service__code": "genangan-banjir", "area__code": "63.71.01"}


def administrator_edits():
    """What an administrator may do in the admin between two deploys."""
    RoutingRule.objects.filter(**FLOOD_RULE).delete()
    Department.objects.filter(code="dlh").update(email="")
    Service.objects.filter(code="jembatan-rusak").delete()
    Service.objects.filter(code="jalan-rusak").update(name_en="")
    ServiceAttribute.objects.filter(service__code="jalan-rusak", code="ukuran").update(description_en="")
    ServiceAttribute.objects.filter(service__code="pju-mati", code="nomor_tiang").delete()


def assert_edits_kept():
    assert not RoutingRule.objects.filter(**FLOOD_RULE).exists()
    assert Department.objects.get(code="dlh").email == ""
    assert not Service.objects.filter(code="jembatan-rusak").exists()
    assert Service.objects.get(code="jalan-rusak").name_en == ""
    assert ServiceAttribute.objects.get(service__code="jalan-rusak", code="ukuran").description_en == ""
    assert not ServiceAttribute.objects.filter(service__code="pju-mati", code="nomor_tiang").exists()


def test_what_the_administrator_deleted_or_emptied_stays_so_on_the_next_deploy(city):
    administrator_edits()
    seed_city()
    assert_edits_kept()
    seed_city()
    assert_edits_kept()


def test_an_entry_a_later_release_ships_arrives(city, monkeypatch):
    monkeypatch.setattr(
        seeding, "ROUTING_RULES", [*seeding.ROUTING_RULES, ("jalan-rusak", "63.71.02", "dishub", "Rilis baru")]
    )
    RoutingRule.objects.filter(**FLOOD_RULE).delete()
    seed_city()
    assert RoutingRule.objects.get(service__code="jalan-rusak", area__code="63.71.02").department.code == "dishub"
    assert not RoutingRule.objects.filter(**FLOOD_RULE).exists()


def test_a_field_a_later_release_ships_is_filled_where_empty(city):
    # A release that adds group_en: the rows are there, the field is empty and was never given.
    entry = SeededEntry.objects.get(kind="service", key="jalan-rusak")
    entry.fields.remove("group_en")
    entry.save()
    Service.objects.filter(code="jalan-rusak").update(group_en="", name_en="")
    seed_city()
    road = Service.objects.get(code="jalan-rusak")
    assert road.group_en == "Roads, bridges and drainage"
    assert road.name_en == ""  # given before and emptied by the administrator
    assert "group_en" in SeededEntry.objects.get(kind="service", key="jalan-rusak").fields


def test_a_city_seeded_before_the_memory_gets_what_is_missing_once(city):
    SeededEntry.objects.all().delete()  # an installation upgraded from a release without it
    administrator_edits()
    seed_city()
    assert RoutingRule.objects.filter(**FLOOD_RULE).exists()
    assert Department.objects.get(code="dlh").email == "dlh@banjarmasinkota.go.id"
    assert Service.objects.filter(code="jembatan-rusak").exists()
    administrator_edits()
    seed_city()
    assert_edits_kept()


def test_nothing_is_created_for_a_department_the_administrator_deleted(city, monkeypatch):
    Department.objects.filter(code="inspektorat").delete()
    monkeypatch.setattr(
        seeding, "ROUTING_RULES", [*seeding.ROUTING_RULES, ("jalan-rusak", "63.71.02", "inspektorat", "Rilis baru")]
    )
    seed_city()
    assert not Department.objects.filter(code="inspektorat").exists()
    assert not RoutingRule.objects.filter(service__code="jalan-rusak", area__code="63.71.02").exists()
