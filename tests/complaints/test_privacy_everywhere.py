"""The issue's privacy promises checked on every surface that shows tickets: citizen pages, the public
list and map, the staff ticket page, the REST API and the Open311 feed."""

import pytest

from complaints.models import Privacy
from tests.factories import make_ticket

NAME = "Siti Warga"
EMAIL = "warga@example.id"
PHONE = "0812777666"


def surfaces(ticket):
    return [
        f"/laporan/{ticket.reference}/",
        "/laporan/",
        "/laporan/peta.json",
        "/api/v1/tickets/",
        f"/api/v1/tickets/{ticket.reference}/",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{ticket.reference}.json",
    ]


@pytest.mark.parametrize("viewer", ["public", "staff_dlh", "inspector"])
def test_anonymous_ticket_never_reveals_its_reporter(client, citizen, request, viewer):
    ticket = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS, reporter_phone=PHONE)
    if viewer != "public":
        client.force_login(request.getfixturevalue(viewer))
    for url in [*surfaces(ticket), f"/staf/tiket/{ticket.reference}/"]:
        response = client.get(url)
        body = response.content.decode()
        assert NAME not in body and EMAIL not in body and PHONE not in body, url


def test_confidential_ticket_never_appears_on_any_public_page_map_feed_or_api(client, citizen):
    secret = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL, title="Dugaan pungli pegawai kelurahan")
    public = make_ticket(reporter=citizen, title="Jalan berlubang dekat pasar")
    for url in surfaces(secret):
        response = client.get(url)
        body = response.content.decode()
        assert secret.reference not in body and "Dugaan pungli" not in body, url
    assert public.reference in client.get("/open311/v2/requests.json").content.decode()
    assert public.reference in client.get("/laporan/").content.decode()
