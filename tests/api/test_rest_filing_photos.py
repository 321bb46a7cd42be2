"""REST filing with photos (multipart, through the filing action's photo checks, answered with their addresses)
and an agency's system filing under the REST API filing limit its administrator gave its account."""

import io

import pytest
from PIL import Image

from accounts.tokens import issue_token
from complaints.models import Attachment, EventType, Ticket
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"
TICKETS = "/api/v1/tickets/"


def errors(response) -> list[dict]:
    return response.json()["errors"]


def fields(response) -> set:
    return {e["field"] for e in errors(response)}


def jpeg(name="p.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG")
    out.seek(0)
    out.name = name
    return out


ROAD = {"title": "Jalan berlubang", "description": "Lubang besar.", "service": "jalan-rusak", "area": MAWAR}


# --- photos ------------------------------------------------------------------------------------------------------


def test_multipart_filing_attaches_its_photos_and_reads_bracketed_answers(as_user, city, citizen):
    """The integrator's request: photos=@p.jpg with attributes[ukuran]=kecil answered 201 with nothing attached (and
    the answer read as missing). The photos go through the filing action, the answer lists them."""
    response = as_user(citizen).post(
        TICKETS, {**ROAD, "attributes[ukuran]": "kecil", "photos": [jpeg(), jpeg("q.jpg")]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert ticket.attributes == {"ukuran": "kecil"}
    photos = ticket.attachments.order_by("id")
    assert [(p.purpose, p.state) for p in photos] == [("report", "pending")] * 2
    assert ticket.events.get(type=EventType.SUBMITTED).attachments.count() == 2
    assert [(p["id"], p["state"], p["url"]) for p in response.json()["photos"]] == [
        (p.pk, "pending", None) for p in photos
    ]


def test_a_ready_photo_has_an_address_the_token_opens(api, city, citizen):
    from complaints.actions import process_attachment

    key = issue_token(citizen)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    filed = api.post(TICKETS, {**ROAD, "attributes": '{"ukuran": "besar"}', "photos": [jpeg()]}, format="multipart")
    assert filed.status_code == 201, filed.content
    reference = filed.json()["reference"]
    assert Ticket.objects.get(reference=reference).attributes == {"ukuran": "besar"}  # attributes as JSON text
    photo = Attachment.objects.get(ticket__reference=reference)
    process_attachment(attachment_id=photo.pk)
    shown = api.get(f"{TICKETS}{reference}/").json()["photos"]
    assert shown[0]["state"] == "ready" and shown[0]["url"].startswith("http://testserver/api/v1/tickets/")
    # The ticket is the filer's own and still submitted: not public, so only the token opens its photo.
    image = api.get(shown[0]["url"], HTTP_ACCEPT="image/*")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    assert api.get(shown[0]["thumbnail_url"]).status_code == 200
    api.credentials()
    hidden = api.get(shown[0]["url"])
    assert hidden.status_code == 404 and errors(hidden)[0]["message"]
    # A photo of another ticket under this ticket's address is not found either.
    other = make_ticket()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(f"{TICKETS}{other.reference}/photos/{photo.pk}/").status_code == 404


def test_lists_leave_photos_out(api, city):
    make_ticket()
    assert api.get(TICKETS).json()["results"][0]["photos"] is None


@pytest.mark.parametrize(
    "body,field",
    [
        ({"media": "photo"}, "media"),  # Open311's name for the file
        ({"photo": "photo"}, "photo"),
    ],
)
def test_a_file_under_another_name_is_refused_not_dropped(as_user, city, citizen, body, field):
    data = {**ROAD, "attributes[ukuran]": "kecil", **{name: jpeg() for name in body}}
    response = as_user(citizen).post(TICKETS, data, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and fields(response) == {field}
    assert "photos" in errors(response)[0]["message"]
    assert not Ticket.objects.exists()


def test_photos_in_a_json_body_are_refused(as_user, city, citizen):
    response = as_user(citizen).post(
        TICKETS,
        {**ROAD, "attributes": {"ukuran": "kecil"}, "photos": ["aGVsbG8="]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and fields(response) == {"photos"}
    assert "multipart/form-data" in errors(response)[0]["message"]
    assert not Ticket.objects.exists()


def test_a_file_that_is_no_photo_is_refused_by_the_filing_checks(as_user, city, citizen):
    fake = io.BytesIO(b"<?php echo 1; ?>" * 10)
    fake.name = "x.jpg"
    response = as_user(citizen).post(
        TICKETS, {**ROAD, "attributes[ukuran]": "kecil", "photos": [fake]}, format="multipart"
    )
    assert response.status_code == 400 and fields(response) == {"photos"}
    assert not Ticket.objects.exists()


def test_answers_in_a_form_body(as_user, city, citizen):
    client = as_user(citizen)
    several = client.post(
        TICKETS,
        {
            "title": "KTP",
            "description": "Belum jadi",
            "service": "ktp-el",
            "area": MAWAR,
            "attributes[masalah][]": ["belum_jadi"],
        },
        format="multipart",
    )
    assert several.status_code == 201, several.content
    assert Ticket.objects.get(reference=several.json()["reference"]).attributes == {"masalah": ["belum_jadi"]}
    both = client.post(
        TICKETS, {**ROAD, "attributes": '{"ukuran": "kecil"}', "attributes[ukuran]": "kecil"}, format="multipart"
    )
    assert both.status_code == 400 and fields(both) == {"attributes"}
    broken = client.post(TICKETS, {**ROAD, "attributes": "{ukuran: kecil"}, format="multipart")
    assert broken.status_code == 400 and fields(broken) == {"attributes"}
    missing = client.post(TICKETS, ROAD, format="multipart")
    assert missing.status_code == 400 and fields(missing) == {"attributes.ukuran"}


# --- a filing limit for an agency's system -----------------------------------------------------------------------


def test_an_account_with_its_own_filing_limit_files_beyond_the_citizens_limit(api, city, settings):
    settings.FILING_RATE_LIMIT = "2/h"
    bridge = make_user("jembatan@sp4n-lapor.go.id", full_name="SP4N-LAPOR bridge")
    bridge.api_filing_limit = 4
    bridge.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(bridge)}")
    payload = {"title": "t", "description": "d", "area": MAWAR}
    answers = [api.post(TICKETS, payload | {"title": f"t{n}"}, format="json").status_code for n in range(5)]
    assert answers == [201, 201, 201, 201, 429]
    refused = api.post(TICKETS, payload, format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # A citizen's account keeps the citizens' limit.
    citizen = make_user("warga.lain@example.id")
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(citizen)}")
    assert [api.post(TICKETS, payload, format="json").status_code for _ in range(3)] == [201, 201, 429]
    assert Ticket.objects.filter(reporter=bridge).count() == 4


def test_the_token_list_shows_each_accounts_filing_limit(admin_client, city, settings):
    settings.FILING_RATE_LIMIT = "10/h"
    bridge = make_user("jembatan@sp4n-lapor.go.id")
    bridge.api_filing_limit = 500
    bridge.save()
    issue_token(bridge)
    issue_token(make_user("warga.token@example.id"))
    page = admin_client.get("/admin/accounts/apitoken/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "500 per window of 10/h" in page and "as citizens (10/h)" in page
    form = admin_client.get(f"/admin/accounts/user/{bridge.pk}/change/").content.decode()
    assert 'name="api_filing_limit"' in form and 'value="500"' in form
