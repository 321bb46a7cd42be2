"""Third-party Open311 clients from PyPI against a running server (live_server).

- ``georeport`` (0.3.1): lists services, reads a service definition, reads requests, in JSON and XML.
- ``civicbot`` (0.4.0): its ``Open311Client`` posts a request (JSON) and resolves the token.
Neither library posts in XML (the older ``open311`` and ``three`` packages that did are Python 2 only),
so the XML POST is sent with ``requests``, georeport's own HTTP library.
"""

from xml.etree import ElementTree as ET

import pytest
import requests

from complaints.models import Status, Ticket
from services.models import Area
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db(transaction=True)
MAWAR = "63.71.05.1003"


@pytest.fixture
def endpoint(live_server, city):
    return f"{live_server.url}/open311/v2"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(endpoint, fmt):
    from georeport import GeoReport

    ticket = make_ticket(address="Jl. Pangeran Samudera")
    client = GeoReport(endpoint, jurisdiction="banjarmasin.go.id", output_format=fmt)

    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "jalan-rusak" in codes and len(codes) > 20

    definition = client.get_service_definition("jalan-rusak")
    attributes = definition["attributes"]
    if fmt == "xml":  # xmltodict keeps the wrapper element
        attributes = attributes["attribute"]
        attributes = attributes if isinstance(attributes, list) else [attributes]
    assert attributes[0]["code"] == "ukuran"

    listed = client.get_service_requests(service_code="sampah-menumpuk", status="open")
    listed = listed if isinstance(listed, list) else [listed]
    assert ticket.reference in [r["service_request_id"] for r in listed]

    record = client.get_service_request(ticket.reference)
    assert record["service_request_id"] == ticket.reference
    assert record["agency_responsible"] == "Dinas Lingkungan Hidup"
    assert record["status"] == "open"


def test_civicbot_posts_a_request_and_follows_the_token(endpoint, api_key):
    from civicbot.http import HttpTransport, RateLimiter
    from civicbot.open311 import Open311Client
    from civicbot.registry import Endpoint
    from georeport import GeoReport

    area = Area.objects.get(code=MAWAR)
    client = Open311Client(
        Endpoint(id="banjarmasin", name="Banjarmasin", base_url=endpoint, write=True),
        transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)),
        jurisdiction_id="banjarmasin.go.id",
    )
    prepared = client.create_request(
        "jalan-rusak",
        dry_run=False,
        confirm="SEND",
        api_key=api_key.raw,
        validate_remote=True,  # the client reads our service list and definition to check the form
        lat=area.label_lat,
        lng=area.label_lng,
        description="Lubang besar di tengah jalan.",
        attributes={"ukuran": "besar"},
        email="warga@example.id",
        first_name="Siti",
        last_name="Warga",
    )
    answer = prepared.response[0]
    ticket = Ticket.objects.get(channel="open311")
    assert ticket.api_key_id == api_key.pk and ticket.attributes == {"ukuran": "besar"}
    if "token" in answer:  # routing is still queued: the token resolves once it has run
        assert client.get_token(answer["token"])[0]["service_request_id"] in (None, ticket.reference)
        from complaints.actions.dispatch import route_ticket

        route_ticket(ticket_id=ticket.pk)
        assert client.get_token(answer["token"])[0]["service_request_id"] == ticket.reference
    else:
        assert answer["service_request_id"] == ticket.reference
    ticket.refresh_from_db()
    assert ticket.status == Status.ROUTED
    # And a reader sees it in both formats.
    for fmt in ("json", "xml"):
        record = GeoReport(endpoint, output_format=fmt).get_service_request(ticket.reference)
        assert record["service_code"] == "jalan-rusak" and record["agency_responsible"]


def test_xml_post_with_requests(endpoint, api_key):
    area = Area.objects.get(code=MAWAR)
    response = requests.post(
        f"{endpoint}/requests.xml",
        data={
            "api_key": api_key.raw,
            "service_code": "pju-mati",
            "lat": area.label_lat,
            "long": area.label_lng,
            "description": "Lampu jalan mati sejak kemarin.",
            "attribute[jumlah_lampu]": "3",
        },
        timeout=10,
    )
    assert response.status_code == 201
    request = ET.fromstring(response.content).find("request")
    ticket = Ticket.objects.get(channel="open311")
    assert request.findtext("service_request_id") == ticket.reference or request.findtext("token") == str(
        ticket.confirmation_token
    )
    bad = requests.post(f"{endpoint}/requests.xml", data={"service_code": "pju-mati"}, timeout=10)
    assert bad.status_code == 403 and ET.fromstring(bad.content).tag == "errors"
