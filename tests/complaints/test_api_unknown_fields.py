"""A REST body field the API does not take is refused by name (400), not dropped: a filing with "latitude" and
"longitude" was filed without its pin (201), and "email", "phone", "media_url" were accepted and thrown away."""
# ruff: noqa: F811

import pytest

from complaints.models import Ticket
from tests.api.conftest import api, as_user  # noqa: F401 (the REST API tests' client fixtures)
from tests.complaints.conftest import jpeg_bytes
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

KELURAHAN = "63.71.05.1003"


def filing(**extra):
    return {"title": "Sampah menumpuk", "description": "Sudah tiga hari tidak diangkut.", **extra}


def errors(response) -> dict:
    assert response.status_code == 400, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_a_pin_sent_as_latitude_and_longitude_is_refused_with_the_fields_to_use(as_user, city, citizen):
    refused = as_user(citizen).post(
        "/api/v1/tickets/",
        filing(latitude=-3.32, longitude=114.59, address="Pasar Lama"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert errors(refused) == {
        "latitude": "Unknown field: send it as lat.",
        "longitude": "Unknown field: send it as lng.",
    }
    assert not Ticket.objects.exists()


def test_contact_photo_link_and_made_up_fields_are_each_named(as_user, city, citizen):
    body = filing(area=KELURAHAN, email="siti@example.id", phone="0812", media_url="https://x.id/a.jpg", foo=1)
    found = errors(as_user(citizen).post("/api/v1/tickets/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"))
    assert set(found) == {"email", "phone", "media_url", "foo"}
    assert "contact details" in found["email"] and found["phone"] == found["email"]
    assert found["media_url"].startswith("Send photos as files named photos")
    assert found["foo"] == (
        "Unknown field: this request takes only title, description, service, lat, lng, area, address, privacy, "
        "show_name, attributes."
    )
    assert not Ticket.objects.exists()


def test_the_refusal_comes_with_the_body_s_other_errors(as_user, city, citizen):
    refused = as_user(citizen).post(
        "/api/v1/tickets/", {"description": "x", "latitude": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert errors(refused) == {"latitude": "Unknown field: send it as lat.", "title": "This field is required."}


def test_a_multipart_filing_with_photos_and_answers_per_question_is_still_taken(as_user, city, citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    filed = as_user(citizen).post(
        "/api/v1/tickets/",
        {**filing(area=KELURAHAN, service="jalan-rusak"), "attributes[ukuran]": "kecil", "photos": [photo]},
        format="multipart",
    )
    assert filed.status_code == 201, filed.content
    refused = as_user(citizen).post(
        "/api/v1/tickets/", filing(area=KELURAHAN, latitude="-3.3"), format="multipart", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert errors(refused) == {"latitude": "Unknown field: send it as lat."}
    assert Ticket.objects.count() == 1


def test_a_refused_filing_keeps_no_idempotency_answer_and_its_corrected_retry_files_once(as_user, city, citizen):
    api = as_user(citizen)
    wrong = api.post("/api/v1/tickets/", filing(latitude=-3.3), format="json", HTTP_IDEMPOTENCY_KEY="lapor-1")
    assert wrong.status_code == 400
    first = api.post("/api/v1/tickets/", filing(area=KELURAHAN), format="json", HTTP_IDEMPOTENCY_KEY="lapor-1")
    again = api.post("/api/v1/tickets/", filing(area=KELURAHAN), format="json", HTTP_IDEMPOTENCY_KEY="lapor-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true" and again.json()["reference"] == first.json()["reference"]
    assert Ticket.objects.count() == 1


def test_staff_actions_refuse_unknown_fields_too(as_user, city, staff_dlh):
    ticket = make_ticket()
    api = as_user(staff_dlh)
    reply = api.post(
        f"/api/v1/tickets/{ticket.reference}/reply/",
        {"message": "Besok.", "public": False},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert errors(reply) == {"public": "Unknown field: this request takes only message."}
    verify = api.post(
        f"/api/v1/tickets/{ticket.reference}/acknowledge/", {"note": "ok"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert errors(verify) == {"note": "Unknown field: this request takes no body."}
    assert not ticket.events.filter(type__in=["reply", "acknowledged"]).exists()
    assert api.post(f"/api/v1/tickets/{ticket.reference}/acknowledge/", {}, format="json").status_code == 200


def test_add_info_refuses_a_photo_link(as_user, city, citizen):
    ticket = make_ticket(reporter=citizen)
    refused = as_user(citizen).post(
        f"/api/v1/tickets/{ticket.reference}/add-info/",
        {"message": "Di depan SDN 3.", "media_url": "https://x.id/a.jpg"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert list(errors(refused)) == ["media_url"]
