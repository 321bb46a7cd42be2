"""The machine-interface audit: what a GeoReport client gets for edge input, its own rejected reports, error bodies
on every path under /open311/v2/, Retry-After, and api_key in a POST's query string."""

import re

import pytest
from django.utils import timezone

from complaints.events import record_event
from complaints.models import Channel, EventType, Privacy, Status, Ticket
from open311.models import ApiKey
from services.models import Area
from tests.factories import make_ticket

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"


def pin():
    area = Area.objects.get(code=MAWAR)
    return {"lat": area.label_lat, "long": area.label_lng}


def descriptions(response) -> list[str]:
    return [error["description"] for error in response.json()]


# --- 1. the key that filed a ticket follows it to the end -----------------------------------------


def _rejected_by_the_city(api_key, privacy=Privacy.PUBLIC):
    ticket = make_ticket(status=Status.REJECTED, privacy=privacy, channel=Channel.OPEN311, api_key=api_key)
    record_event(ticket=ticket, type=EventType.REJECTED, payload={"reason": "Lokasi di luar kota Banjarmasin."})
    return ticket


def test_the_filing_key_sees_its_rejected_ticket_with_the_reason(client, city, api_key):
    ticket = _rejected_by_the_city(api_key)
    response = client.get(f"{BASE}/requests/{ticket.reference}.json", {"api_key": api_key.raw})
    assert response.status_code == 200, response.content
    record = response.json()[0]
    assert record["status"] == "closed"
    assert record["status_notes"] == "Lokasi di luar kota Banjarmasin."
    listed = client.get(f"{BASE}/requests.json", {"api_key": api_key.raw}).json()
    assert ticket.reference in [r["service_request_id"] for r in listed]


def test_others_do_not_see_a_rejected_ticket(client, city, api_key):
    ticket = _rejected_by_the_city(api_key)
    _, other_raw = ApiKey.issue(name="Another system")
    assert client.get(f"{BASE}/requests/{ticket.reference}.json").status_code == 404
    assert client.get(f"{BASE}/requests/{ticket.reference}.json", {"api_key": other_raw}).status_code == 404
    listed = client.get(f"{BASE}/requests.json", {"api_key": other_raw}).json()
    assert ticket.reference not in [r["service_request_id"] for r in listed]


def test_a_confidential_ticket_shows_the_filing_key_its_status_without_the_reason(client, city, api_key):
    ticket = _rejected_by_the_city(api_key, privacy=Privacy.CONFIDENTIAL)
    record = client.get(f"{BASE}/requests/{ticket.reference}.json", {"api_key": api_key.raw}).json()[0]
    assert record["status"] == "closed" and "Lokasi" not in record["status_notes"]
    assert record["description"] is None and record["lat"] is None


# --- 2. no 500 for dates and answers out of range -------------------------------------------------


@pytest.mark.parametrize("params", [{"start_date": "0001-01-01"}, {"end_date": "9999-12-31T23:00:00-08:00"}])
def test_dates_without_a_utc_equivalent_are_a_400(client, city, params):
    response = client.get(f"{BASE}/requests.json", params)
    assert response.status_code == 400
    assert "di luar rentang" in descriptions(response)[0]
    english = client.get(f"{BASE}/requests.json", params, HTTP_ACCEPT_LANGUAGE="en")
    assert "out of range" in descriptions(english)[0]


@pytest.mark.parametrize("end", ["0001-01-01", "0001-03-31T00:00:00+08:00"])
def test_the_default_90_days_before_an_early_end_date_start_at_the_beginning(client, city, end):
    make_ticket()
    response = client.get(f"{BASE}/requests.json", {"end_date": end})
    assert response.status_code == 200 and response.json() == []


def test_an_end_date_without_a_time_includes_that_day(client, city):
    ticket = make_ticket()
    today = timezone.localdate(ticket.created_at).isoformat()
    listed = client.get(f"{BASE}/requests.json", {"end_date": today}).json()
    assert [r["service_request_id"] for r in listed] == [ticket.reference]


def _post(client, api_key, service_code, **fields):
    return client.post(
        f"{BASE}/requests.json",
        {"api_key": api_key.raw, "service_code": service_code, "description": "Air mati.", **pin(), **fields},
    )


def test_an_impossible_date_answer_is_a_400_named_as_posted(client, city, api_key):
    response = _post(client, api_key, "air-mati", **{"attribute[sejak]": "2026-02-30T10:00:00"})
    assert response.status_code == 400
    assert descriptions(response)[0].startswith("attribute[sejak]: ")
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("number", ["1e5000", "1e400", "-1000000000000000"])
def test_numbers_are_bounded(client, city, api_key, number):
    response = _post(client, api_key, "genangan-banjir", **{"attribute[kedalaman_cm]": number})
    assert response.status_code == 400
    assert descriptions(response)[0].startswith("attribute[kedalaman_cm]: ")
    assert not Ticket.objects.exists()


def test_a_large_number_within_the_bound_is_kept(client, city, api_key):
    response = _post(client, api_key, "genangan-banjir", **{"attribute[kedalaman_cm]": "999999999999999"})
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().attributes == {"kedalaman_cm": 999999999999999}


# --- 3. media_url --------------------------------------------------------------------------------


NOT_WEB_ADDRESSES = ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.id/a.jpg"]


@pytest.mark.parametrize("url", [*NOT_WEB_ADDRESSES, "https://example.id/" + "a" * 500])
def test_media_url_must_be_a_web_address(client, city, api_key, url):
    response = _post(client, api_key, "sampah-menumpuk", media_url=url)
    assert response.status_code == 400
    assert descriptions(response)[0].startswith("media_url: ")
    assert not Ticket.objects.exists()


def test_an_https_media_url_is_served_back(client, city, api_key):
    response = _post(client, api_key, "sampah-menumpuk", media_url="https://foto.example.id/sampah.jpg")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.ROUTED)
    record = client.get(f"{BASE}/requests/{ticket.reference}.json").json()[0]
    assert record["media_url"] == "https://foto.example.id/sampah.jpg"


# --- 7. errors name the parameters the client sent ------------------------------------------------


def test_errors_name_the_specification_parameters(client, city, api_key):
    response = _post(client, api_key, "jalan-rusak", email="not-an-address", **{"attribute[ukuran]": "raksasa"})
    assert response.status_code == 400
    found = descriptions(response)
    assert any(d.startswith("email: ") for d in found), found
    assert any(d.startswith("attribute[ukuran]: ") for d in found), found
    assert not any(re.match(r"(reporter_email|attr_|area)\b", d) for d in found), found


def test_an_address_id_alone_is_refused_as_unsupported(client, city, api_key):
    """It passed the location check and came back as the web form's "address_string: put a pin on the map"."""
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": api_key.raw, "service_code": "sampah-menumpuk", "address_id": "17"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert descriptions(response) == ["address_id is not supported: give lat and long, or address_string."]
    assert not Ticket.objects.exists()


# --- 9. every answer under /open311/v2/ is a GeoReport error body ----------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "requests.xml", "GET, HEAD, POST"),
        ("post", "services.xml", "GET, HEAD"),
        ("delete", "requests.json", "GET, HEAD, POST"),
    ],
)
def test_a_method_not_offered_is_a_405_error_body(client, city, method, path, allowed):
    response = getattr(client, method)(f"{BASE}/{path}")
    assert response.status_code == 405
    assert response["Allow"] == allowed
    fmt = path.rsplit(".", 1)[1]
    assert response["Content-Type"].startswith("text/xml" if fmt == "xml" else "application/json")
    assert (b"<errors>" in response.content) if fmt == "xml" else response.json()[0]["code"] == 405


@pytest.mark.parametrize("path", ["discovery.json", "services.xml", "services/jalan-rusak.json", "requests.xml"])
def test_head_is_answered_like_get_without_a_body(client, city, path):
    """It was a 405. The test client, like the servers, leaves out the body Django's view made."""
    got, head = client.get(f"{BASE}/{path}"), client.head(f"{BASE}/{path}")
    assert head.status_code == got.status_code == 200
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""


@pytest.mark.parametrize(("path", "fmt"), [("nothing.json", "json"), ("a/b/c.xml", "xml"), ("nothing", "json")])
def test_an_unknown_path_is_a_404_error_body(client, path, fmt):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 404
    if fmt == "xml":
        assert response["Content-Type"].startswith("text/xml") and b"<code>404</code>" in response.content
    else:
        assert response.json()[0]["code"] == 404


def test_too_many_fields_is_a_400_error_body(client, city, api_key):
    data = {f"attribute[x{i}]": "1" for i in range(1100)}
    response = client.post(f"{BASE}/requests.xml", {"api_key": api_key.raw, **data})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/xml") and b"<code>400</code>" in response.content


# --- 11. Retry-After --------------------------------------------------------------------------------


def test_a_used_up_key_is_told_when_to_come_back(client, city):
    key, raw = ApiKey.issue(name="Small", rate_limit_per_hour=1)
    assert client.get(f"{BASE}/services.json", {"api_key": raw}).status_code == 200
    response = client.get(f"{BASE}/services.json", {"api_key": raw})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600


# --- 12. api_key in a POST's query string -----------------------------------------------------------


def test_a_post_may_carry_api_key_in_the_query_string(client, city, api_key):
    response = client.post(
        f"{BASE}/requests.json?api_key={api_key.raw}",
        {"service_code": "sampah-menumpuk", "description": "Sampah.", **pin()},
    )
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().api_key == api_key


def test_a_wrong_key_in_the_query_string_is_refused(client, city):
    response = client.post(
        f"{BASE}/requests.json?api_key=wrong", {"service_code": "sampah-menumpuk", "description": "x", **pin()}
    )
    assert response.status_code == 403
