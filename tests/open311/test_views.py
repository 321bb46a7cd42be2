"""GeoReport v2 endpoints in JSON and XML, their error bodies and defaults."""

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from complaints.events import record_event
from complaints.models import EventType, Privacy, Status, Ticket
from services.models import Service
from tests.factories import make_ticket

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def errors_of(response, fmt):
    if fmt == "json":
        body = response.json()
        assert isinstance(body, list) and set(body[0]) == {"code", "description"}
        return [(e["code"], e["description"]) for e in body]
    root = xml(response)
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]


def test_discovery_lists_the_endpoint_and_formats(client):
    body = client.get(f"{BASE}/discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert body["endpoints"][0]["url"].endswith("/open311/v2/")
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats").findall("format")] == [
        "application/json",
        "text/xml",
    ]


def test_services_in_both_formats(client, city):
    services = client.get(f"{BASE}/services.json").json()
    by_code = {s["service_code"]: s for s in services}
    assert set(by_code["jalan-rusak"]) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert by_code["jalan-rusak"]["metadata"] is True
    assert by_code["trotoar-rusak"]["metadata"] is False
    assert by_code["jalan-rusak"]["type"] == "realtime"
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert len(codes) == len(services) and "jalan-rusak" in codes
    road = next(s for s in root.findall("service") if s.findtext("service_code") == "jalan-rusak")
    assert road.findtext("metadata") == "true"


def test_service_definition_in_both_formats(client, city):
    body = client.get(f"{BASE}/services/jalan-rusak.json").json()
    attribute = body["attributes"][0]
    assert body["service_code"] == "jalan-rusak"
    assert attribute["code"] == "ukuran" and attribute["required"] is True
    assert attribute["datatype"] == "singlevaluelist" and attribute["variable"] is True
    assert {"key": "kecil", "name": "Kecil (< 1 m)"} in attribute["values"]
    root = xml(client.get(f"{BASE}/services/jalan-rusak.xml"))
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute/values/value")
    assert [v.findtext("key") for v in values] == ["kecil", "sedang", "besar"]
    assert values[0].findtext("name").startswith("Kecil")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_is_a_404_error_body(client, city, fmt):
    response = client.get(f"{BASE}/services/tidak-ada.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_wrong_jurisdiction_is_a_404(client, city, fmt):
    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "jakarta.go.id"})
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404
    assert client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "banjarmasin.go.id"}).status_code == 200


def test_unknown_format_is_a_400(client, city):
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 400
    assert errors_of(response, "json")[0][0] == 400


def test_request_detail_in_both_formats(client, city):
    ticket = make_ticket(address="Jl. Lambung Mangkurat 1")
    record = client.get(f"{BASE}/requests/{ticket.reference}.json").json()[0]
    assert record["service_request_id"] == ticket.reference
    assert record["status"] == "open"
    assert record["agency_responsible"] == "Dinas Lingkungan Hidup"
    assert record["service_code"] == "sampah-menumpuk"
    assert record["address"] == "Jl. Lambung Mangkurat 1"
    assert record["expected_datetime"].endswith("+08:00")
    assert record["requested_datetime"].endswith("+08:00")
    assert record["lat"] == ticket.lat and record["long"] == ticket.lng
    root = xml(client.get(f"{BASE}/requests/{ticket.reference}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request").findtext("service_request_id") == ticket.reference
    assert root.find("request").findtext("status") == "open"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_a_404(client, city, fmt):
    response = client.get(f"{BASE}/requests/BJM-2026-999999.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt) == [(404, "service_request_id not found.")] or errors_of(response, fmt)[0][0] == 404


def test_privacy_confidential_never_appears_and_no_contact_details(client, city):
    secret = make_ticket(privacy=Privacy.CONFIDENTIAL, reporter_email="rahasia@example.id")
    anonymous = make_ticket(privacy=Privacy.ANONYMOUS, reporter_name="Nama Rahasia", reporter_phone="0811222333")
    public = make_ticket(reporter_name="Siti Warga", reporter_email="siti@example.id", reporter_phone="0812")
    assert client.get(f"{BASE}/requests/{secret.reference}.json").status_code == 404
    listing = client.get(f"{BASE}/requests.json", {"extensions": "true"})
    ids = [r["service_request_id"] for r in listing.json()]
    assert secret.reference not in ids
    assert anonymous.reference in ids and public.reference in ids
    for fmt in ("json", "xml"):
        text = client.get(f"{BASE}/requests.{fmt}", {"extensions": "true"}).content.decode()
        for private in ("Nama Rahasia", "0811222333", "rahasia@example.id", "siti@example.id", "Siti Warga"):
            assert private not in text


def test_submitted_tickets_are_not_public_yet(client, city):
    waiting = make_ticket(status=Status.SUBMITTED)
    assert client.get(f"{BASE}/requests/{waiting.reference}.json").status_code == 404


def test_list_defaults_to_the_last_90_days(client, city):
    recent = make_ticket(created_at=timezone.now() - dt.timedelta(days=10))
    old = make_ticket(created_at=timezone.now() - dt.timedelta(days=120))
    ids = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert recent.reference in ids and old.reference not in ids
    start = (timezone.now() - dt.timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", {"start_date": start}).json()]
    assert old.reference in ids
    # A list of ids overrides the date window, as the specification says.
    ids = [
        r["service_request_id"]
        for r in client.get(
            f"{BASE}/requests.json", {"service_request_id": f"{old.reference},{recent.reference}"}
        ).json()
    ]
    assert set(ids) == {old.reference, recent.reference}


def test_list_returns_at_most_1000_and_pages(client, city, memory_cache, django_assert_max_num_queries):
    template = make_ticket()
    fields = {f.attname: getattr(template, f.attname) for f in Ticket._meta.concrete_fields if not f.primary_key}
    rows = []
    for n in range(1005):
        copy = dict(fields, reference=f"BJM-2026-9{n:05d}", confirmation_token=__import__("uuid").uuid4())
        rows.append(Ticket(**copy))
    Ticket.objects.bulk_create(rows)
    with django_assert_max_num_queries(6):
        response = client.get(f"{BASE}/requests.json")
    assert len(response.json()) == 1000
    page2 = client.get(f"{BASE}/requests.json", {"page": 2}).json()
    assert len(page2) == 6
    assert len(client.get(f"{BASE}/requests.json", {"page_size": 5, "page": 3}).json()) == 5
    root = xml(client.get(f"{BASE}/requests.xml", {"page_size": 20}))
    assert len(root.findall("request")) == 20


def test_status_and_service_filters(client, city):
    open_one = make_ticket()
    closed_one = make_ticket(status=Status.RESOLVED)
    road = make_ticket(service="jalan-rusak")
    ids = lambda **q: {r["service_request_id"] for r in client.get(f"{BASE}/requests.json", q).json()}  # noqa: E731
    assert ids(status="open") == {open_one.reference, road.reference}
    assert ids(status="closed") == {closed_one.reference}
    assert ids(status="open,closed") == {open_one.reference, closed_one.reference, road.reference}
    assert ids(service_code="jalan-rusak") == {road.reference}


def test_a_search_near_a_point_lists_the_reports_within_the_radius_by_their_public_pins(client, city):
    """lat/long/radius were ignored: a client asking for the reports within 500 m got every report of the city."""
    lat, lng = -3.3190, 114.5903
    east = 1 / 111_133  # degrees of longitude per metre here

    near = make_ticket(lat=lat, lng=lng)
    at_400_m = make_ticket(lat=lat - 400 / 111_320, lng=lng)
    at_900_m = make_ticket(lat=lat, lng=lng + 900 * east)
    # Anonymous reports are measured by their public pin (rounded to 3 decimals), or distances from a few points
    # would find the reporter's house: 495 m east by its exact pin but 522 m by its public one is not listed;
    # 506 m west by its exact pin but 478 m by its public one is.
    hidden_by_rounding = make_ticket(lat=lat, lng=114.59475, privacy=Privacy.ANONYMOUS)
    listed_by_rounding = make_ticket(lat=lat, lng=114.58575, privacy=Privacy.ANONYMOUS)

    def ids(**q):
        return [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", q).json()]

    within_500 = {near.reference, at_400_m.reference, listed_by_rounding.reference}
    assert set(ids(lat=lat, long=lng, radius=500)) == within_500
    assert set(ids(lat=lat, long=lng)) == within_500  # 500 m unless asked
    within_1000 = ids(lat=lat, long=lng, radius=1000)
    assert set(within_1000) == within_500 | {at_900_m.reference, hidden_by_rounding.reference}
    # Pages count the reports within the radius only, in the list's order (newest first).
    assert [ids(lat=lat, long=lng, radius=1000, page_size=2, page=n) for n in (1, 2, 3)] == [
        within_1000[:2],
        within_1000[2:4],
        within_1000[4:],
    ]
    root = xml(client.get(f"{BASE}/requests.xml", {"lat": lat, "long": lng, "radius": 450}))
    assert {r.findtext("service_request_id") for r in root.findall("request")} == {near.reference, at_400_m.reference}


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "-3.3"},
        {"long": "114.6", "radius": "100"},
        {"lat": "abc", "long": "114.6"},
        {"lat": "-3.3", "long": "114.6", "radius": "0"},
        {"lat": "-93", "long": "114.6"},
        {"status": "pending"},
        {"start_date": "kemarin"},
        {"end_date": "2026-13-45T99:00:00Z"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"page": "-1"},
        {"page_size": "banyak"},
        {"page": "0"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_list_parameters_are_400_not_500(client, city, params, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 400
    assert errors_of(response, fmt)[0][0] == 400


def test_extensions_add_the_public_timeline_as_notes(client, city, staff_dlh):
    ticket = make_ticket()
    record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Truk dijadwalkan besok."})
    record_event(ticket=ticket, type=EventType.NOTE, actor=staff_dlh, payload={"message": "Internal: sopir cuti."})
    plain = client.get(f"{BASE}/requests/{ticket.reference}.json").json()[0]
    assert "notes" not in plain
    assert plain["status_notes"] == "Truk dijadwalkan besok."
    record = client.get(f"{BASE}/requests/{ticket.reference}.json", {"extensions": "true"}).json()[0]
    texts = [n["description"] for n in record["notes"]]
    assert "Truk dijadwalkan besok." in texts
    assert not any("Internal" in (t or "") for t in texts)
    root = xml(client.get(f"{BASE}/requests/{ticket.reference}.xml", {"extensions": "true"}))
    assert root.find("request/notes/note/type") is not None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_token_is_a_404(client, city, fmt):
    for token in ("bukan-token", "6f1c3c3e-0000-4000-8000-000000000000"):
        response = client.get(f"{BASE}/tokens/{token}.{fmt}")
        assert response.status_code == 404
        assert errors_of(response, fmt)[0][0] == 404


def test_xml_stays_well_formed_with_control_characters(client, city):
    ticket = make_ticket(description="Sampah\x0c menumpuk \x1bdi & <pasar>")
    root = xml(client.get(f"{BASE}/requests/{ticket.reference}.xml"))
    assert root.find("request").findtext("description") == "Sampah menumpuk di & <pasar>"
    # JSON gives the same text (it kept the control characters, and a client read another description in each).
    assert (
        client.get(f"{BASE}/requests/{ticket.reference}.json").json()[0]["description"]
        == "Sampah menumpuk di & <pasar>"
    )


@pytest.mark.parametrize(
    "url",
    [
        "requests.json?service_code=%00",
        "requests.xml?service_request_id=%00",
        "services/%00.json",
        "requests/%00.xml",
        "tokens/%00.json",
        "services.json?jurisdiction_id=%00",
    ],
)
def test_nul_characters_are_a_400_not_a_500(client, city, url):
    response = client.get(f"{BASE}/{url}")
    assert response.status_code in (400, 404)


def test_service_groups_follow_the_requests_language(client, city):
    def group_of(language):
        services = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE=language).json()
        return next(s["group"] for s in services if s["service_code"] == "jalan-rusak")

    assert group_of("id") == "Jalan, jembatan dan drainase"
    assert group_of("en") == "Roads, bridges and drainage"


def test_service_definitions_follow_the_requests_language(client, city):
    def definition(language):
        return client.get(f"{BASE}/services/jalan-rusak.json", HTTP_ACCEPT_LANGUAGE=language).json()["attributes"][0]

    english, indonesian = definition("en"), definition("id")
    assert (english["description"], english["values"][0]["name"]) == ("How big is the damage?", "Small (< 1 m)")
    assert (indonesian["description"], indonesian["values"][0]["name"]) == (
        "Seberapa besar kerusakannya?",
        "Kecil (< 1 m)",
    )


def test_a_service_without_an_english_description_shows_the_indonesian_one_in_english(client, city):
    """Like its group and its questions; it used to be an empty description."""
    Service.objects.filter(code="jalan-rusak").update(description_id="Jalan berlubang atau rusak.", description_en="")

    def description_of(language):
        services = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE=language).json()
        return next(s["description"] for s in services if s["service_code"] == "jalan-rusak")

    assert description_of("en") == description_of("id") == "Jalan berlubang atau rusak."
    Service.objects.filter(code="jalan-rusak").update(description_en="Potholes or a damaged road.")
    assert description_of("en") == "Potholes or a damaged road."
