"""A service's SLAs make sense: at least one working day each, and the response no longer than the resolution.
With 0 days a report was due at 23:59 of the day it was filed, a Sunday too, and escalated at midnight."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from services.models import Service
from tests.admin_forms import service_form

pytestmark = pytest.mark.django_db


def _post(admin_en, service, **sla):
    return admin_en.post(f"/admin/services/service/{service.pk}/change/", service_form(service, **sla))


@pytest.mark.parametrize(
    ("sla", "message"),
    [
        ({"resolution_sla_days": 0}, "At least 1 working day: with 0 a report would be due the day it is filed"),
        ({"response_sla_days": 0}, "At least 1 working day: with 0 a report would be due the day it is filed"),
        (
            {"response_sla_days": 10, "resolution_sla_days": 5},
            "The response SLA (10 working days) cannot be longer than the resolution SLA (5)",
        ),
    ],
)
def test_the_admin_refuses_nonsense_slas(admin_en, sla, message):
    service = Service.objects.get(code="sampah-menumpuk")
    before = (service.response_sla_days, service.resolution_sla_days)
    response = _post(admin_en, service, **sla)
    assert response.status_code == 200
    assert message in response.content.decode()
    service.refresh_from_db()
    assert (service.response_sla_days, service.resolution_sla_days) == before


def test_equal_slas_of_one_day_are_fine(admin_en):
    service = Service.objects.get(code="sampah-menumpuk")
    response = _post(admin_en, service, response_sla_days=1, resolution_sla_days=1)
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.response_sla_days, service.resolution_sla_days) == (1, 1)


def test_the_shipped_catalogue_validates(city):
    with translation.override("en"):
        for service in Service.objects.select_related("default_department"):
            try:
                service.full_clean()
            except ValidationError as refused:  # pragma: no cover - says which one
                pytest.fail(f"{service.code}: {refused}")
