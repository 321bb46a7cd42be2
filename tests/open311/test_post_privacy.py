"""POST requests carry who may see the report (extension ``privacy``: public, anonymous or confidential, the web
form's choices): a bridge forwards a report the citizen filed as confidential in SP4N-LAPOR! as confidential."""

from xml.etree import ElementTree as ET

import pytest

from complaints.models import Privacy, Status, Ticket
from complaints.queries import can_see_reporter, public_tickets
from services.models import Area, Department

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"


def filing(api_key, **extra):
    area = Area.objects.get(code=MAWAR)
    return {
        "api_key": api_key.raw,
        "service_code": "sampah-menumpuk",
        "description": "Petugas meminta uang untuk mengangkut sampah. Mohon dirahasiakan.",
        "email": "warga@example.id",
        "first_name": "Siti",
        "lat": area.label_lat,
        "long": area.label_lng,
        **extra,
    }


@pytest.mark.parametrize("privacy", [Privacy.CONFIDENTIAL, Privacy.ANONYMOUS, Privacy.PUBLIC])
def test_a_request_is_filed_with_the_privacy_it_carries(client, city, api_key, staff_dlh, privacy):
    response = client.post(f"{BASE}/requests.json", filing(api_key, privacy=privacy))
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert ticket.privacy == privacy
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.ROUTED, department=Department.objects.get(code="dlh"))
    ticket.refresh_from_db()
    assert public_tickets().filter(pk=ticket.pk).exists() is (privacy != Privacy.CONFIDENTIAL)
    assert can_see_reporter(staff_dlh, ticket) is (privacy != Privacy.ANONYMOUS)
    if privacy == Privacy.CONFIDENTIAL:
        # A confidential ticket never appears in Open311 but to the key that filed it, and then its status alone.
        listed = client.get(f"{BASE}/requests.json", {"api_key": api_key.raw}).json()
        assert [(r["service_request_id"], r["description"]) for r in listed] == [(ticket.reference, None)]
        assert ticket.reference not in str(client.get(f"{BASE}/requests.json").json())


def test_without_the_extension_a_request_is_public_as_before(client, city, api_key):
    assert client.post(f"{BASE}/requests.json", filing(api_key)).status_code == 201
    assert Ticket.objects.get().privacy == Privacy.PUBLIC


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("value", ["rahasia", "private", "secret"])
def test_an_unknown_privacy_is_an_open311_error(client, city, api_key, fmt, value):
    response = client.post(f"{BASE}/requests.{fmt}", filing(api_key, privacy=value))
    assert response.status_code == 400
    if fmt == "json":
        (error,) = response.json()
        assert error["code"] == 400 and error["description"].startswith("privacy:")
        assert "public" in error["description"] and "confidential" in error["description"]
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and root.find("error/code").text == "400"
    assert not Ticket.objects.exists()
