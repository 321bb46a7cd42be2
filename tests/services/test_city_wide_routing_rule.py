"""One city-wide routing rule (no area) per service: a second is refused with a message (admin, inline, database),
and the upgrade keeps the one routing used."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from services.models import Area, Department, RoutingRule, Service
from tests.admin_forms import service_form

pytestmark = pytest.mark.django_db

MESSAGE = "This service already has a city-wide routing rule (no area)."


def test_the_rule_admin_refuses_a_second_city_wide_rule(admin_en):
    waste = Service.objects.get(code="sampah-menumpuk")
    dlh, satpol = Department.objects.get(code="dlh"), Department.objects.get(code="satpolpp")
    RoutingRule.objects.create(service=waste, area=None, department=dlh)
    response = admin_en.post(
        "/admin/services/routingrule/add/",
        {"service": waste.pk, "area": "", "department": satpol.pk, "active": "on", "note": ""},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert RoutingRule.objects.filter(service=waste, area=None).count() == 1
    # An area rule for the same service is still fine.
    area = Area.objects.get(code="63.71.02")
    response = admin_en.post(
        "/admin/services/routingrule/add/",
        {"service": waste.pk, "area": area.pk, "department": satpol.pk, "active": "on", "note": ""},
    )
    assert response.status_code == 302


def test_the_service_page_refuses_two_city_wide_rules_in_one_save(admin_en):
    service = Service.objects.get(code="tps-liar")
    dlh, satpol = Department.objects.get(code="dlh"), Department.objects.get(code="satpolpp")
    form = service_form(service, rules=[dlh, satpol])
    response = admin_en.post(f"/admin/services/service/{service.pk}/change/", form)
    assert response.status_code == 200  # before: IntegrityError or two rules, one winning at random
    assert "Only one city-wide routing rule (no area) per service" in response.content.decode()
    assert not RoutingRule.objects.filter(service=service).exists()
    # ... and a new one next to one stored meanwhile (not on the page the administrator sends).
    RoutingRule.objects.create(service=service, area=None, department=dlh)
    response = admin_en.post(f"/admin/services/service/{service.pk}/change/", service_form(service, rules=[satpol]))
    assert response.status_code == 200
    assert "Only one city-wide routing rule (no area) per service" in response.content.decode()
    assert RoutingRule.objects.filter(service=service).count() == 1


def test_the_database_refuses_it_too(city):
    waste = Service.objects.get(code="sampah-menumpuk")
    RoutingRule.objects.create(service=waste, area=None, department=Department.objects.get(code="dlh"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(service=waste, area=None, department=Department.objects.get(code="satpolpp"))


def test_the_upgrade_keeps_the_rule_routing_used(city, capsys):
    executor = MigrationExecutor(connection)
    executor.migrate([("services", "0011_service_default_privacy")])
    apps = executor.loader.project_state([("services", "0011_service_default_privacy")]).apps
    Rule = apps.get_model("services", "RoutingRule")
    waste = Service.objects.get(code="sampah-menumpuk")
    flooding = Service.objects.get(code="genangan-banjir")
    dlh, satpol, perkim = (Department.objects.get(code=c) for c in ("dlh", "satpolpp", "perkim"))
    Department.objects.filter(pk=perkim.pk).update(active=False)
    older = Rule.objects.create(service_id=waste.pk, area=None, department_id=dlh.pk, active=True)
    newer = Rule.objects.create(service_id=waste.pk, area=None, department_id=satpol.pk, active=True)
    Rule.objects.create(service_id=waste.pk, area=None, department_id=dlh.pk, active=False)
    Rule.objects.create(service_id=waste.pk, area=None, department_id=perkim.pk, active=True)  # inactive department
    single = Rule.objects.create(service_id=flooding.pk, area=None, department_id=dlh.pk, active=True)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(RoutingRule.objects.filter(area=None).values_list("pk", flat=True)) == {newer.pk, single.pk}
    assert not RoutingRule.objects.filter(pk=older.pk).exists()
    printed = capsys.readouterr().out
    assert printed.count("deleted city-wide routing rule") == 3 and f"kept rule {newer.pk}" in printed
