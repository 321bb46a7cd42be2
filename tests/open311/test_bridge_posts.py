"""What the SP4N-LAPOR! bridge found: a POST retried after a network timeout filed a second ticket. POST requests
honours Idempotency-Key as the REST API's filing does, per api_key; account_id is echoed."""

from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache

from complaints.models import Ticket
from open311.models import ApiKey
from services.models import Area

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"


def report(api_key, **extra):
    area = Area.objects.get(code=MAWAR)
    return {
        "api_key": api_key.raw,
        "service_code": "sampah-menumpuk",
        "description": "Sampah menumpuk di depan pasar.",
        "lat": area.label_lat,
        "long": area.label_lng,
        **extra,
    }


def post(client, data, key=None, fmt="json"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(f"{BASE}/requests.{fmt}", data, **headers)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_files_nothing(client, city, api_key):
    first = post(client, report(api_key), "lapor-123")
    assert first.status_code == 201, first.content
    assert first.get("Idempotent-Replayed") is None
    again = post(client, report(api_key), "lapor-123")
    assert again.status_code == 200, again.content
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Ticket.objects.count() == 1
    # Asked in XML, the same answer in XML.
    root = ET.fromstring(post(client, report(api_key), "lapor-123", fmt="xml").content)
    assert root.findtext("request/token") == first.json()[0]["token"]
    assert Ticket.objects.count() == 1


def test_a_retry_finds_its_ticket_when_the_kept_answer_is_gone(client, city, api_key):
    """The cache lost the claim (Redis restarted, or 24 hours passed): the ticket's filing key still finds it."""
    first = post(client, report(api_key), "lapor-123").json()[0]
    cache.clear()
    again = post(client, report(api_key), "lapor-123")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()[0]["token"] == first["token"]
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_same_key_with_another_report_is_refused_in_open311_format(client, city, api_key, fmt):
    assert post(client, report(api_key), "lapor-123").status_code == 201
    other = post(client, report(api_key, description="Lampu jalan mati."), "lapor-123", fmt=fmt)
    assert other.status_code == 422
    if fmt == "json":
        (error,) = other.json()
        code, description = error["code"], error["description"]
    else:
        error = ET.fromstring(other.content).find("error")
        code, description = int(error.findtext("code")), error.findtext("description")
    # Named once, by the message itself ("Idempotency-Key: Idempotency-Key ini sudah digunakan…" named it twice).
    assert code == 422 and description.count("Idempotency-Key") == 1
    assert Ticket.objects.count() == 1


def test_keys_are_per_api_key_and_a_refused_post_keeps_nothing(client, city, api_key):
    other_key, raw = ApiKey.issue(name="Another bridge")
    other_key.raw = raw
    assert post(client, report(api_key), "lapor-123").status_code == 201
    # Another bridge's key with the same text is its own.
    assert post(client, report(other_key), "lapor-123").status_code == 201
    assert Ticket.objects.count() == 2
    # A refusal is not kept: the corrected retry with the same key files.
    refused = post(client, report(api_key, email="bukan-alamat"), "lapor-456")
    assert refused.status_code == 400
    corrected = post(client, report(api_key, email="warga@example.id"), "lapor-456")
    assert corrected.status_code == 201, corrected.content
    assert Ticket.objects.count() == 3


def test_without_the_header_each_post_files(client, city, api_key):
    assert post(client, report(api_key)).status_code == 201
    assert post(client, report(api_key)).status_code == 201
    assert Ticket.objects.count() == 2


def test_an_idempotency_key_too_long_is_a_400(client, city, api_key):
    response = post(client, report(api_key), "k" * 201)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("Idempotency-Key: ")
    assert not Ticket.objects.exists()


def test_the_answer_echoes_the_account_id_sent(client, city, api_key):
    body = post(client, report(api_key, account_id="lapor-user-42")).json()[0]
    assert body["account_id"] == "lapor-user-42"
    assert post(client, report(api_key)).json()[0]["account_id"] is None


# --- 9. refusals in a client's words -----------------------------------------------------------------------------


def test_an_over_long_description_names_the_limit_it_keeps(client, city, api_key):
    response = client.post(f"{BASE}/requests.json", report(api_key, description="x" * 4001), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": "description: Ensure this value has at most 4000 characters (it has 4001)."}
    ]
    assert post(client, report(api_key, description="x" * 4000)).status_code == 201


def test_a_point_outside_the_city_is_refused_in_a_clients_words(client, city, api_key):
    response = client.post(
        f"{BASE}/requests.json", report(api_key, lat="-3.0", long="114.0"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    (error,) = response.json()
    assert error["description"] == (
        "lat/long: This place is outside Banjarmasin: send lat and long of a point inside the city, or send the "
        "request to the city where the problem is."
    )
    assert "pin" not in error["description"]
