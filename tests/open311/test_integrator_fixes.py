"""What the SP4N-LAPOR! bridge found testing GeoReport v2: the city's question to the citizen in status_notes, its
confidential reports followed to their outcome (status only), an unencoded "+" in start_date, and a POST that cut
or dropped what it could not keep instead of refusing it."""

import io
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from complaints.actions import ask_for_information
from complaints.events import record_event
from complaints.models import Channel, EventType, Privacy, Status, Ticket
from open311.models import ApiKey
from services.models import Area
from tests.factories import make_ticket

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"
QUESTION = "Di depan rumah nomor berapa tepatnya?"


def pin():
    area = Area.objects.get(code=MAWAR)
    return {"lat": area.label_lat, "long": area.label_lng}


def one(client, ticket, fmt="json", language="id", **params):
    response = client.get(f"{BASE}/requests/{ticket.reference}.{fmt}", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()[0] if fmt == "json" else ET.fromstring(response.content).find("request")


# --- 1. the question to the citizen -------------------------------------------------------------------------------


def test_status_notes_carry_the_question_while_the_ticket_waits_for_the_citizen(client, city, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS)
    record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Truk dijadwalkan."})
    ask_for_information(ticket=ticket, actor=staff_dlh, message=QUESTION)
    assert Ticket.objects.get(pk=ticket.pk).waiting_for_citizen_since is not None
    assert one(client, ticket)["status_notes"] == QUESTION
    assert one(client, ticket, "xml").findtext("status_notes") == QUESTION
    # Answered (or given up waiting): the latest answer to the citizen again, not a question nobody waits on.
    Ticket.objects.filter(pk=ticket.pk).update(waiting_for_citizen_since=None)
    assert one(client, ticket)["status_notes"] == "Truk dijadwalkan."


def test_a_question_kept_off_the_public_timeline_stays_out_of_status_notes(client, city, staff_dlh):
    ticket = make_ticket(status=Status.IN_PROGRESS, waiting_for_citizen_since=timezone.now())
    record_event(ticket=ticket, type=EventType.INFO_REQUESTED, payload={"message": QUESTION}, public=False)
    assert one(client, ticket)["status_notes"] is None


# --- 2. confidential reports: the filing key follows their status -------------------------------------------------


def _confidential_filed_with(api_key, **fields):
    return make_ticket(
        service="bansos",
        privacy=Privacy.CONFIDENTIAL,
        channel=Channel.OPEN311,
        api_key=api_key,
        description="Tetangga saya tidak menerima PKH, padahal ...",
        address="Jl. Mawar gang 3 no. 12",
        reporter_phone="08123456789",
        **fields,
    )


STATUS_ONLY = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
}


def test_the_filing_key_follows_a_confidential_report_from_post_to_outcome(client, city, api_key, staff_dlh):
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": api_key.raw, "service_code": "bansos", "description": "PKH tidak sampai.", **pin()},
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert ticket.privacy == Privacy.CONFIDENTIAL  # the service's default
    from complaints.actions.dispatch import route_ticket

    route_ticket(ticket_id=ticket.pk)
    token = client.get(f"{BASE}/tokens/{ticket.confirmation_token}.json").json()[0]
    assert token["service_request_id"] == ticket.reference
    record = one(client, ticket, api_key=api_key.raw)
    assert record["service_request_id"] == ticket.reference and record["status"] == "open"
    assert record["service_code"] == "bansos" and record["agency_responsible"]
    listed = client.get(f"{BASE}/requests.json", {"api_key": api_key.raw}).json()
    assert [r["service_request_id"] for r in listed] == [ticket.reference]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_confidential_report_shows_its_filing_key_the_status_alone(client, city, api_key, staff_dlh, fmt):
    ticket = _confidential_filed_with(api_key, status=Status.IN_PROGRESS, waiting_for_citizen_since=timezone.now())
    record_event(ticket=ticket, type=EventType.INFO_REQUESTED, payload={"message": QUESTION})
    record_event(ticket=ticket, type=EventType.SUBMITTED, payload={"media_url": "https://lapor.example/foto/1.jpg"})
    record = one(client, ticket, fmt, "en", api_key=api_key.raw, extensions="true")
    if fmt == "xml":
        record = {child.tag: (child.text or None) for child in record}
    shown = {name for name, value in record.items() if value not in (None, [])}
    assert shown == STATUS_ONLY, shown
    assert record["status_notes"] == "Confidential report: In progress. Only its status is given."
    body = client.get(f"{BASE}/requests/{ticket.reference}.{fmt}", {"api_key": api_key.raw}).content.decode()
    for secret in (QUESTION, "PKH", "Jl. Mawar", "0812", "lapor.example", str(ticket.lat)[:6]):
        assert secret not in body


def test_a_rejected_confidential_report_says_rejected_without_the_reason(client, city, api_key):
    ticket = _confidential_filed_with(api_key, status=Status.REJECTED)
    record_event(ticket=ticket, type=EventType.REJECTED, payload={"reason": "Data penerima sudah diperbarui."})
    english = one(client, ticket, language="en", api_key=api_key.raw)
    assert english["status"] == "closed"
    assert english["status_notes"] == "Confidential report: Rejected. Only its status is given."


def test_a_confidential_report_stays_hidden_from_other_keys_and_the_public(client, city, api_key):
    ticket = _confidential_filed_with(api_key)
    _, other_raw = ApiKey.issue(name="Another system")
    for params in ({}, {"api_key": other_raw}):
        assert client.get(f"{BASE}/requests/{ticket.reference}.json", params).status_code == 404
        assert client.get(f"{BASE}/requests.json", params).json() == []
        assert client.get(f"{BASE}/requests.json", {**params, "service_request_id": ticket.reference}).json() == []


def test_services_say_which_are_confidential_and_what_the_filing_key_gets_back(client, city):
    services = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    description = {s["service_code"]: s["description"] for s in services}
    notice = "Reports under this service are confidential: the key that filed one gets only its status."
    assert description["bansos"].endswith(notice) and description["bansos"] != notice
    assert notice not in description["sampah-menumpuk"]
    xml = ET.fromstring(client.get(f"{BASE}/services.xml", HTTP_ACCEPT_LANGUAGE="en").content)
    ktp = next(s for s in xml.iter("service") if s.findtext("service_code") == "ktp-el")
    assert ktp.findtext("description").endswith(notice)


def test_the_privacy_notice_says_what_a_filing_system_gets_back_of_a_confidential_report(client, city):
    page = client.get("/privasi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a system that filed it for you (such as SP4N-LAPOR!) gets back only its status" in page


# --- 3. an unencoded "+" before the offset ------------------------------------------------------------------------


def test_an_unencoded_plus_in_start_and_end_date_is_read_as_plus(client, city):
    inside = make_ticket(created_at=timezone.datetime(2026, 11, 2, 9, 0, tzinfo=timezone.get_current_timezone()))
    before = make_ticket(created_at=timezone.datetime(2026, 10, 31, 23, 0, tzinfo=timezone.get_current_timezone()))
    # As an HTTP client sends it when nobody encoded the "+": the server reads a space.
    query = "start_date=2026-11-01T00:00:00+08:00&end_date=2026-11-30T23:59:59+08:00"
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 200, response.content
    listed = [r["service_request_id"] for r in response.json()]
    assert inside.reference in listed and before.reference not in listed
    encoded = client.get(f"{BASE}/requests.json?{query.replace('+', '%2B')}").json()
    assert [r["service_request_id"] for r in encoded] == listed


# --- 4. a POST refuses what it cannot keep --------------------------------------------------------------------------


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("lubang.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(
    ("extra", "parameter", "english", "indonesian"),
    [
        ({"attribute[foo]": "bar"}, "attribute[foo]", "sampah-menumpuk has no such attribute", "sampah-menumpuk"),
        ({"photo": _photo}, "photo", "files named media", "media"),
        ({"media": "bukan berkas"}, "media", "files named media", "media"),
        ({"first_name": "S" * 400}, "first_name", "at most 150 characters (it has 400)", "150"),
        ({"first_name": "S" * 100, "last_name": "W" * 100}, "first_name/last_name", "(it has 201)", "201"),
        ({"last_name": "W" * 400}, "last_name", "at most 150 characters", "150"),
        ({"address_string": "J" * 400}, "address_string", "at most 255 characters (it has 400)", "255"),
        ({"email": "w" * 250 + "@example.id"}, "email", "at most 254 characters", "254"),
        ({"phone": "0" * 40}, "phone", "at most 30 characters", "30"),
        ({"title": "T" * 201}, "title", "200 characters", "200"),
    ],
)
def test_what_cannot_be_kept_is_refused_naming_the_field_and_its_limit(
    client, city, api_key, extra, parameter, english, indonesian
):
    for language, expected in (("en", english), ("id", indonesian)):
        sent = {name: value() if callable(value) else value for name, value in extra.items()}  # a file reads once
        form = {"api_key": api_key.raw, "service_code": "sampah-menumpuk", "description": "Sampah.", **pin(), **sent}
        response = client.post(f"{BASE}/requests.json", form, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400, response.content
        (error,) = response.json()
        assert error["code"] == 400 and error["description"].startswith(f"{parameter}: ")
        assert expected in error["description"], error["description"]
    assert not Ticket.objects.exists()


def test_what_standard_clients_send_is_still_taken(client, city, api_key):
    form = {
        "api_key": api_key.raw,
        "service_code": "jalan-rusak",
        "jurisdiction_id": "banjarmasin.go.id",
        "device_id": "android-123",
        "account_id": "42",
        "email": "warga@example.id",
        "phone": "08123456789",
        "first_name": "Siti",
        "last_name": "Warga",
        "description": "Lubang.",
        "address_string": "Jl. Ahmad Yani km 2",
        "attribute[ukuran]": "besar",
        "media_url": "",
        "media": _photo(),
        **pin(),
    }
    response = client.post(f"{BASE}/requests.json", form)
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert ticket.attributes == {"ukuran": "besar"} and ticket.reporter_name == "Siti Warga"
