"""What the SP4N-LAPOR! bridge found reading GeoReport v2: a merged duplicate that did not say where it went, the
jurisdiction_id nobody published, services in no order, limits capped unsaid, an endpoint without its format, control
characters in JSON only, and reports without a service."""

from xml.etree import ElementTree as ET

import pytest

from complaints.actions import merge_ticket
from complaints.models import Privacy
from tests.factories import make_ticket

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db


def one(client, ticket, fmt="json", **params):
    response = client.get(f"{BASE}/requests/{ticket.reference}.{fmt}", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    return response.json()[0] if fmt == "json" else ET.fromstring(response.content).find("request")


def errors_of(response, fmt="json"):
    if fmt == "json":
        return [(e["code"], e["description"]) for e in response.json()]
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]


# --- 2. a merged duplicate says where it went ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_merged_duplicate_names_the_request_to_follow(client, city, staff_dlh, fmt):
    duplicate, into = make_ticket(), make_ticket()
    merge_ticket(ticket=duplicate, into=into, actor=staff_dlh)
    record = one(client, duplicate, fmt)
    if fmt == "xml":
        record = {child.tag: child.text for child in record}
    assert record["status"] == "closed"
    assert record["status_notes"] == f"Merged into {into.reference}: follow that request from now on."
    notes = one(client, duplicate, extensions="true")["notes"]
    assert notes[-1]["type"] == "merged" and into.reference in notes[-1]["description"]


def test_a_duplicate_merged_into_a_confidential_report_does_not_name_it(client, city, staff_dlh):
    duplicate, into = make_ticket(), make_ticket(privacy=Privacy.CONFIDENTIAL)
    merge_ticket(ticket=duplicate, into=into, actor=staff_dlh)
    assert one(client, duplicate)["status_notes"] == "Merged into another request that is not public."
    body = client.get(f"{BASE}/requests/{duplicate.reference}.json", {"extensions": "true"}).content.decode()
    assert into.reference not in body


# --- 8. a report without a service ------------------------------------------------------------------------------


def test_a_report_without_a_service_stays_out_of_open311(client, city):
    """GeoReport v2 requires a service_code, and clients look it up in services: a REST report filed without one
    (the triage desk gives it one) appears once it has it, never with a null service_code."""
    unsorted = make_ticket(service=None, department="dlh")
    sorted_ = make_ticket()
    listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert listed == [sorted_.reference]
    assert client.get(f"{BASE}/requests/{unsorted.reference}.json").status_code == 404
    by_id = client.get(f"{BASE}/requests.json", {"service_request_id": f"{unsorted.reference},{sorted_.reference}"})
    assert [r["service_request_id"] for r in by_id.json()] == [sorted_.reference]
    assert all(r["service_code"] for r in client.get(f"{BASE}/requests.json").json())
    unsorted.service = sorted_.service
    unsorted.save(update_fields=["service"])
    assert one(client, unsorted)["service_code"] == sorted_.service.code


# --- 3. the jurisdiction_id is published --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_publishes_the_jurisdiction_id_and_a_wrong_one_is_named(client, city, fmt):
    response = client.get(f"{BASE}/discovery.{fmt}")
    published = (
        response.json()["jurisdiction_id"]
        if fmt == "json"
        else ET.fromstring(response.content).findtext("jurisdiction_id")
    )
    assert published == "banjarmasin.go.id"
    assert client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": published}).status_code == 200
    wrong = client.get(
        f"{BASE}/services.{fmt}", {"jurisdiction_id": "banjarmasinkota.go.id"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert wrong.status_code == 404
    assert errors_of(wrong, fmt) == [(404, "jurisdiction_id not found: this server's is banjarmasin.go.id.")]


# --- 4. services in the catalogue's order ---------------------------------------------------------------------------


def test_services_come_by_group_then_name(client, city):
    from services.models import Service

    listed = [s["service_code"] for s in client.get(f"{BASE}/services.json").json()]
    assert listed == list(
        Service.objects.filter(active=True).order_by("group", "name_id").values_list("code", flat=True)
    )
    groups = [s["group"] for s in client.get(f"{BASE}/services.json").json()]
    # Each group once, together.
    assert len({g for g in groups}) == len([g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g])
    root = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert [s.findtext("service_code") for s in root.findall("service")] == listed


# --- 5. limits and unknown codes are said, not applied silently ---------------------------------------------------


@pytest.mark.parametrize(
    "params, said",
    [
        ({"page_size": "5000"}, "page_size must be at most 1000."),
        ({"lat": "-3.32", "long": "114.59", "radius": "20000"}, "radius must be at most 10000."),
        ({"service_code": "nope"}, "service_code: no such service: nope (services.json lists them)."),
        (
            {"service_code": "sampah-menumpuk,nope,lagi"},
            "service_code: no such service: nope, lagi (services.json lists them).",
        ),
    ],
)
def test_over_limits_and_unknown_service_codes_are_a_400(client, city, params, said):
    make_ticket()
    response = client.get(f"{BASE}/requests.json", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert errors_of(response) == [(400, said)]


def test_limits_and_known_codes_still_answer(client, city):
    ticket = make_ticket()
    for params in (
        {"page_size": "1000"},
        {"service_code": "sampah-menumpuk"},
        {"lat": ticket.lat, "long": ticket.lng, "radius": "10000"},
    ):
        response = client.get(f"{BASE}/requests.json", params)
        assert [r["service_request_id"] for r in response.json()] == [ticket.reference], params
    assert client.get(f"{BASE}/requests.json", {"service_code": "jalan-rusak"}).json() == []


# --- 6. an endpoint asked without its format --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["services", "discovery", "requests", "requests/BJM-2026-000001", "services/x/"])
def test_an_endpoint_without_its_format_says_to_add_it(client, city, path):
    response = client.get(f"{BASE}/{path}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    address = f"{BASE}/{path}".rstrip("/")
    assert errors_of(response) == [(404, f"Add the format to the address: {address}.json or {address}.xml.")]
    other = client.get(f"{BASE}/nothing-here", HTTP_ACCEPT_LANGUAGE="en")
    assert errors_of(other) == [(404, "There is no such endpoint.")]


# --- 7. the same text in JSON and XML ----------------------------------------------------------------------------


def test_json_leaves_out_the_control_characters_xml_cannot_carry(client, city):
    ticket = make_ticket(description="Tab\tvtab\x0bctl\x01 baris\nbaru\x0c")
    text = one(client, ticket)["description"]
    assert text == "Tab\tvtabctl baris\nbaru"
    assert one(client, ticket, "xml").findtext("description") == text
