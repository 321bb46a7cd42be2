"""An anonymous report's typed address is left out for the public in the REST API as in Open311, and the kelurahan's
name stands in for it in both (the REST API gave "" where Open311 and the README give the kelurahan)."""

import pytest

from complaints.models import Privacy
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

HOUSE = "Rumah pagar hijau depan langgar, RT 12"


def test_the_public_reads_the_kelurahan_as_in_open311_and_its_reporter_the_typed_address(api, client, city, citizen):
    anonymous = make_ticket(privacy=Privacy.ANONYMOUS, address=HOUSE, reporter=citizen)
    open311 = client.get(f"/open311/v2/requests/{anonymous.reference}.json").json()[0]["address"]
    assert open311 == anonymous.area.name
    assert api.get(f"/api/v1/tickets/{anonymous.reference}/").json()["address"] == open311
    listed = api.get("/api/v1/tickets/").json()["results"]
    assert [t["address"] for t in listed if t["reference"] == anonymous.reference] == [open311]
    api.force_authenticate(citizen)
    assert api.get(f"/api/v1/tickets/{anonymous.reference}/").json()["address"] == HOUSE


def test_a_public_reports_typed_address_is_unchanged(api, city):
    public = make_ticket(privacy=Privacy.PUBLIC, address="Depan Masjid Raya Sabilal Muhtadin")
    assert api.get(f"/api/v1/tickets/{public.reference}/").json()["address"] == "Depan Masjid Raya Sabilal Muhtadin"
