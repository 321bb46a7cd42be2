"""An anonymous report's typed address (often "the house with the green fence") is left out wherever the public
reads the report, as its pin is rounded; its reporter and the staff handling it still read it."""

import pytest
from django.urls import reverse

from complaints.models import Privacy
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

HOUSE = "Rumah pagar hijau depan langgar, RT 12"


@pytest.fixture
def anonymous(city, citizen):
    return make_ticket(privacy=Privacy.ANONYMOUS, address=HOUSE, reporter=citizen)


def page(client, ticket) -> str:
    response = client.get(reverse("complaints:ticket", args=[ticket.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_page_leaves_it_out_and_the_reporter_and_staff_read_it(client, anonymous, citizen):
    assert HOUSE not in page(client, anonymous)
    client.force_login(citizen)
    assert HOUSE in page(client, anonymous)
    client.force_login(make_staff("petugas.dlh@banjarmasinkota.go.id", anonymous.department.code))
    assert HOUSE in client.get(reverse("staff:ticket", args=[anonymous.reference])).content.decode()


def test_a_public_reports_address_stays_public(client, city):
    public = make_ticket(privacy=Privacy.PUBLIC, address="Depan Masjid Raya Sabilal Muhtadin")
    assert "Depan Masjid Raya Sabilal Muhtadin" in page(client, public)


def test_open311_gives_the_kelurahan_in_its_place(client, anonymous):
    record = client.get(f"/open311/v2/requests/{anonymous.reference}.json").json()[0]
    assert record["address"] == anonymous.area.name


def test_the_rest_api_leaves_it_out_for_the_public_and_gives_it_to_its_reporter(anonymous, citizen):
    from rest_framework.test import APIClient

    api = APIClient()
    # The kelurahan's name stands in, as in Open311.
    assert api.get(f"/api/v1/tickets/{anonymous.reference}/").json()["address"] == anonymous.area.name
    listed = api.get("/api/v1/tickets/").json()["results"]
    assert [t["address"] for t in listed if t["reference"] == anonymous.reference] == [anonymous.area.name]
    api.force_authenticate(citizen)
    assert api.get(f"/api/v1/tickets/{anonymous.reference}/").json()["address"] == HOUSE
