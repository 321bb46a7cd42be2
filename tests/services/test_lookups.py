"""Filing reads the catalogue from per-process copies; a change made in this process applies at once."""

import pytest

from services import lookups
from services.models import Service, ServiceAttribute

pytestmark = pytest.mark.django_db


def test_a_deactivated_service_is_refused_at_once(city):
    service = lookups.active_service("sampah-menumpuk")
    assert service is not None and service.code == "sampah-menumpuk"
    service_row = Service.objects.get(code="sampah-menumpuk")
    service_row.active = False
    service_row.save()
    assert lookups.active_service("sampah-menumpuk") is None


def test_new_questions_are_asked_at_once(city):
    service = Service.objects.get(code="jalan-rusak")
    before = lookups.service_attributes(service)
    ServiceAttribute.objects.create(service=service, code="lebar", description="Lebar lubang (cm)?", order=99)
    after = lookups.service_attributes(service)
    assert [a.code for a in after] == [a.code for a in before] + ["lebar"]


def test_copies_are_reused_within_the_interval(city, django_assert_num_queries):
    area_id = city.first().pk
    lookups.area(area_id)
    with django_assert_num_queries(0):
        assert lookups.area(area_id).pk == area_id
        assert lookups.area(area_id).parent is not None


def test_interval_zero_reads_the_database_every_time(city, settings, django_assert_num_queries):
    settings.CATALOGUE_CACHE_SECONDS = 0
    lookups.active_service("jalan-rusak")
    with django_assert_num_queries(1):
        assert lookups.active_service("jalan-rusak").code == "jalan-rusak"


def test_unknown_rows_are_none(city):
    assert lookups.active_service("tidak-ada") is None
    assert lookups.area(10**9) is None
