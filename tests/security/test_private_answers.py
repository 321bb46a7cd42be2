"""An answer that identifies the citizen (a PDAM customer number) is seen only by the reporter and by the staff who
may see who reported: never on the public page or through the public API, and not on an anonymous report's staff
page either."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Privacy
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
NUMBER = "0123456789"


@pytest.fixture
def water_staff(city):
    from services.models import Service

    return make_staff(
        "petugas.pdam@banjarmasinkota.go.id", Service.objects.get(code="air-mati").default_department.code
    )


def _seen(client, user, ticket) -> dict[str, bool]:
    client.logout()
    if user is not None:
        client.force_login(user)
    public = client.get(reverse("complaints:ticket", args=[ticket.reference])).content.decode()
    api = client.get(f"/api/v1/tickets/{ticket.reference}/").json()
    listed = client.get("/api/v1/tickets/").json()["results"]
    seen = {
        "page": NUMBER in public,
        "api": NUMBER in str(api.get("attributes")),
        "list": any(NUMBER in str(t.get("attributes")) for t in listed),
    }
    if user is not None and user.memberships.exists():
        seen["staff page"] = NUMBER in client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()
    return seen


def test_a_customer_number_is_the_reporters_and_the_departments_only(client, citizen, other_citizen, water_staff):
    ticket = make_ticket(
        service="air-mati", reporter=citizen, attributes={"nomor_pelanggan": NUMBER, "sejak": "2026-12-06"}
    )
    assert _seen(client, None, ticket) == {"page": False, "api": False, "list": False}
    assert _seen(client, other_citizen, ticket) == {"page": False, "api": False, "list": False}
    assert _seen(client, citizen, ticket) == {"page": True, "api": True, "list": True}
    assert _seen(client, water_staff, ticket) == {"page": True, "api": True, "list": True, "staff page": True}
    # The other answer stays public.
    client.logout()
    assert "sejak" in client.get(f"/api/v1/tickets/{ticket.reference}/").json()["attributes"]


def test_an_anonymous_reports_customer_number_is_not_shown_to_staff(client, citizen, water_staff):
    ticket = make_ticket(
        service="air-mati", reporter=citizen, privacy=Privacy.ANONYMOUS, attributes={"nomor_pelanggan": NUMBER}
    )
    assert _seen(client, water_staff, ticket)["staff page"] is False
    assert _seen(client, citizen, ticket)["page"] is True


def test_the_shipped_catalogue_marks_the_customer_number(city):
    from services.models import ServiceAttribute

    assert ServiceAttribute.objects.get(service__code="air-mati", code="nomor_pelanggan").private
    assert not ServiceAttribute.objects.get(service__code="air-mati", code="sejak").private
