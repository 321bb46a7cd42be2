"""The area loader, the city seed and the demo seed can run again and again without duplicating anything."""

import json

import pytest
from django.core.management import call_command

from services.areas import GEOJSON_PATH
from services.models import Area, Department, RoutingRule, SeededEntry, Service, ServiceAttribute

pytestmark = pytest.mark.django_db


def test_load_areas_twice_keeps_57_areas_and_changes_nothing(capsys):
    # Start from an empty table even when another directory seeded the city for the whole session.
    RoutingRule.objects.all().delete()
    Area.objects.filter(level="kelurahan").delete()
    Area.objects.all().delete()
    call_command("load_areas")
    assert "57 created, 0 updated" in capsys.readouterr().out
    first = {a.code: (a.pk, a.name, a.parent_id) for a in Area.objects.all()}
    call_command("load_areas")
    assert "0 created, 0 updated, 57 unchanged" in capsys.readouterr().out
    second = {a.code: (a.pk, a.name, a.parent_id) for a in Area.objects.all()}
    assert first == second
    assert Area.objects.count() == 57
    assert Area.objects.filter(level="kecamatan").count() == 5
    assert Area.objects.filter(level="kelurahan").count() == 52


def test_every_kelurahan_belongs_to_the_kecamatan_the_source_names():
    call_command("load_areas", verbosity=0)
    features = json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))["features"]
    for feature in features:
        props = feature["properties"]
        area = Area.objects.get(code=props["code"])
        assert area.name == props["name"]
        if props["level"] == "kelurahan":
            assert area.parent.code == props["kecamatan_code"]
            assert area.min_lat <= area.label_lat <= area.max_lat
            assert area.min_lng <= area.label_lng <= area.max_lng


def test_seed_city_twice_creates_the_catalogue_once():
    call_command("seed_city", verbosity=0)
    counts = (Department.objects.count(), Service.objects.count(), RoutingRule.objects.count())
    attributes = ServiceAttribute.objects.count()
    call_command("seed_city", verbosity=0)
    assert (Department.objects.count(), Service.objects.count(), RoutingRule.objects.count()) == counts
    assert ServiceAttribute.objects.count() == attributes
    assert Area.objects.count() == 57
    assert counts[1] >= 30
    handling = Department.objects.filter(services__isnull=False).distinct().count()
    assert handling >= 12
    assert RoutingRule.objects.filter(service__code="genangan-banjir").count() == 2


def test_seed_city_on_the_next_deploy_keeps_what_the_administrator_changed():
    """The release step runs seed_city on every deploy; the administrator maintains the rows in the admin."""
    call_command("seed_city", verbosity=0)
    Service.objects.filter(code="jalan-rusak").update(name_en="Road damage", resolution_sla_days=20)
    Department.objects.filter(code="dlh").update(email="pengaduan.dlh@banjarmasinkota.go.id")
    rule = RoutingRule.objects.filter(service__code="genangan-banjir").first()
    RoutingRule.objects.filter(pk=rule.pk).update(note="Dinas baru sejak 2027")
    ServiceAttribute.objects.filter(service__code="jalan-rusak").update(required=False)
    Service.objects.filter(code="jembatan-rusak").delete()
    call_command("seed_city", verbosity=0)
    road = Service.objects.get(code="jalan-rusak")
    assert (road.name_en, road.resolution_sla_days) == ("Road damage", 20)
    assert Department.objects.get(code="dlh").email == "pengaduan.dlh@banjarmasinkota.go.id"
    assert RoutingRule.objects.get(pk=rule.pk).note == "Dinas baru sejak 2027"
    assert not ServiceAttribute.objects.filter(service__code="jalan-rusak", required=True).exists()
    assert not Service.objects.filter(code="jembatan-rusak").exists()  # deleted by the administrator: stays deleted


def test_seed_city_fills_a_field_a_new_version_added_unless_the_administrator_renamed_its_source():
    call_command("seed_city", verbosity=0)
    # group_en as a field a later release ships: the city was given these services before it existed.
    for entry in SeededEntry.objects.filter(kind="service", key__in=["jalan-rusak", "sampah-menumpuk"]):
        entry.fields = [field for field in entry.fields if field != "group_en"]
        entry.save(update_fields=["fields"])
    Service.objects.filter(code="jalan-rusak").update(group_en="")
    Service.objects.filter(code="sampah-menumpuk").update(group="Persampahan", group_en="")
    call_command("seed_city", verbosity=0)
    assert Service.objects.get(code="jalan-rusak").group_en == "Roads, bridges and drainage"
    waste = Service.objects.get(code="sampah-menumpuk")
    assert (waste.group, waste.group_en) == ("Persampahan", "")
