"""A service's SLAs make sense: at least one working day each, and the response no longer than the resolution.
With 0 days a report was due at 23:59 of the day it was filed, a Sunday too, and escalated at midnight."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from services.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    client.cookies["django_language"] = "en"
    return client


def _post(admin_client, service, **sla):
    data = {
        "code": service.code,
        "kind": service.kind,
        "group": service.group,
        "active": "on",
        "name_id": service.name_id,
        "name_en": service.name_en,
        "description_id": service.description_id,
        "keywords": service.keywords,
        "default_department": service.default_department_id,
        "response_sla_days": service.response_sla_days,
        "resolution_sla_days": service.resolution_sla_days,
        "default_priority": service.default_priority,
        "default_privacy": service.default_privacy,
        "attributes-TOTAL_FORMS": 0,
        "attributes-INITIAL_FORMS": 0,
        "routing_rules-TOTAL_FORMS": 0,
        "routing_rules-INITIAL_FORMS": 0,
        **sla,
    }
    return admin_client.post(f"/admin/services/service/{service.pk}/change/", data)


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
def test_the_admin_refuses_nonsense_slas(admin_client, sla, message):
    service = Service.objects.get(code="sampah-menumpuk")
    before = (service.response_sla_days, service.resolution_sla_days)
    response = _post(admin_client, service, **sla)
    assert response.status_code == 200
    assert message in response.content.decode()
    service.refresh_from_db()
    assert (service.response_sla_days, service.resolution_sla_days) == before


def test_equal_slas_of_one_day_are_fine(admin_client):
    service = Service.objects.get(code="sampah-menumpuk")
    response = _post(admin_client, service, response_sla_days=1, resolution_sla_days=1)
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
