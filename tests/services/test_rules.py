"""Routing rules: the most specific active rule wins, else the service's default department."""

import pytest

from services.models import Area, Department, RoutingRule, Service
from services.rules import department_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def flooding(city):
    return Service.objects.get(code="genangan-banjir")


def _area(code):
    return Area.objects.get(code=code)


def test_kelurahan_rule_beats_its_kecamatan_rule(flooding):
    # Seed: genangan-banjir @ Banjarmasin Selatan -> BPBD, @ Mantuil (63.71.01.1001) -> PUPR.
    department, rule = department_for(service=flooding, area=_area("63.71.01.1001"))
    assert department.code == "pupr"
    assert rule.area.code == "63.71.01.1001"


def test_kecamatan_rule_applies_to_its_other_kelurahan(flooding):
    other = Area.objects.filter(parent__code="63.71.01").exclude(code="63.71.01.1001").first()
    department, rule = department_for(service=flooding, area=other)
    assert department.code == "bpbd"
    assert rule.area.code == "63.71.01"


def test_without_a_matching_rule_the_default_department_handles_it(flooding):
    elsewhere = Area.objects.filter(parent__code="63.71.05").first()
    department, rule = department_for(service=flooding, area=elsewhere)
    assert department == flooding.default_department
    assert department.code == "pupr"
    assert rule is None


def test_city_wide_rule_is_used_when_no_area_rule_matches(flooding):
    dinsos = Department.objects.get(code="dinsos")
    RoutingRule.objects.create(service=flooding, area=None, department=dinsos, note="city-wide")
    department, rule = department_for(service=flooding, area=Area.objects.filter(parent__code="63.71.05").first())
    assert department == dinsos
    assert rule.area is None
    # ... but an area rule is still more specific.
    assert department_for(service=flooding, area=_area("63.71.01.1001"))[0].code == "pupr"
    # ... and without a known area only the city-wide rule can apply.
    assert department_for(service=flooding, area=None)[0] == dinsos


def test_inactive_rules_are_ignored(flooding):
    RoutingRule.objects.filter(service=flooding, area__code="63.71.01.1001").update(active=False)
    department, rule = department_for(service=flooding, area=_area("63.71.01.1001"))
    assert department.code == "bpbd"
    assert rule.area.code == "63.71.01"


def test_rule_for_an_inactive_department_falls_back(flooding):
    Department.objects.filter(code="bpbd").update(active=False)
    other = Area.objects.filter(parent__code="63.71.01").exclude(code="63.71.01.1001").first()
    department, rule = department_for(service=flooding, area=other)
    assert department.code == "pupr"
    assert rule is None


def test_rules_of_another_service_do_not_leak(city):
    waste = Service.objects.get(code="sampah-menumpuk")
    department, rule = department_for(service=waste, area=_area("63.71.01.1001"))
    assert department.code == "dlh"
    assert rule is None


def test_routing_decision_costs_one_query(flooding, django_assert_num_queries):
    area = _area("63.71.01.1001")
    with django_assert_num_queries(1):
        department_for(service=flooding, area=area)
