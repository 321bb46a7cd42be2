"""A service the city withdrew keeps its open tickets in the queue, so the queue's service filter keeps offering it,
marked "(inactive)": it dropped the service, and a link filtering on it showed the whole queue instead."""

from __future__ import annotations

import pytest

from services.models import Service
from tests.factories import make_ticket
from tests.staff.test_queue import QUEUE, refs

pytestmark = pytest.mark.django_db


def test_a_withdrawn_service_stays_in_the_queue_filter(client, staff_dlh):
    withdrawn = make_ticket(service="tps-liar")
    other = make_ticket()
    Service.objects.filter(pk=withdrawn.service_id).update(active=False)
    service = Service.objects.get(pk=withdrawn.service_id)
    client.force_login(staff_dlh)
    html = client.get(QUEUE).content.decode()
    assert f'<option value="{service.pk}">{service.name_en} (inactive)</option>' in html
    assert refs(client.get(QUEUE, {"service": service.pk})) == {withdrawn.reference}
    assert other.reference in refs(client.get(QUEUE))
