"""POST requests: filing through file_ticket with an API key, tokens, and the round trip."""

from xml.etree import ElementTree as ET

import pytest

from complaints.models import Channel, Privacy, Status, Ticket
from services.models import Area

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"


def pin():
    area = Area.objects.get(code=MAWAR)
    return {"lat": area.label_lat, "long": area.label_lng}


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_post_files_a_ticket_with_the_key_and_returns_a_token(client, city, api_key):
    response = post(
        client,
        api_key=api_key.raw,
        service_code="sampah-menumpuk",
        description="Sampah menumpuk di depan pasar.",
        email="warga@example.id",
        first_name="Siti",
        last_name="Warga",
        phone="08123456789",
        jurisdiction_id="banjarmasin.go.id",
        **pin(),
    )
    assert response.status_code == 201, response.content
    body = response.json()[0]
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.OPEN311 and ticket.api_key == api_key
    assert ticket.email_confirmed is True  # a key holder is a trusted integration
    assert ticket.reporter_name == "Siti Warga" and ticket.reporter_phone == "08123456789"
    assert ticket.title.startswith("Sampah tidak diangkut") or ticket.title.startswith("Uncollected")
    assert ticket.privacy == Privacy.PUBLIC
    assert body["service_notice"]
    # Not routed yet inside this test's transaction: the client gets a token.
    assert body["token"] == str(ticket.confirmation_token)
    waiting = client.get(f"{BASE}/tokens/{body['token']}.json").json()[0]
    assert waiting == {"service_request_id": None, "token": body["token"]}


def test_the_token_is_no_reporter_link_on_the_web(client, city, api_key):
    """The GeoReport token the client (and its logs, and tokens/{token}) holds is the ticket's stored token; the web's
    confirmation page, which makes whoever opens it the reporter of a guest's report, must not take it."""
    body = post(
        client,
        api_key=api_key.raw,
        service_code="sampah-menumpuk",
        description="Sampah menumpuk di depan rumah saya.",
        email="siti@example.id",
        **pin(),
    ).json()[0]
    ticket = Ticket.objects.get()
    confirm_url = f"/lapor/konfirmasi/{body['token']}/"
    assert client.get(confirm_url).status_code == 404
    assert client.post(confirm_url).status_code == 404
    page = client.get(f"/laporan/{ticket.reference}/").content.decode()
    assert "Tambahkan informasi" not in page and "Dilaporkan oleh Anda" not in page


def test_attributes_and_address_string(client, city, api_key):
    response = post(
        client,
        "xml",
        api_key=api_key.raw,
        service_code="jalan-rusak",
        description="Lubang besar.",
        address_string="Jl. Ahmad Yani km 2",
        **{"attribute[ukuran]": "besar"},
    )
    assert response.status_code == 201, response.content
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests" and root.find("request/token") is not None
    ticket = Ticket.objects.get()
    assert ticket.attributes == {"ukuran": "besar"} and ticket.address == "Jl. Ahmad Yani km 2"
    assert "Jl. Ahmad Yani km 2" in ticket.title


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "data, status",
    [
        ({"service_code": "sampah-menumpuk", "description": "x"}, 403),  # no api_key
        ({"api_key": "salah", "service_code": "sampah-menumpuk", "description": "x"}, 403),
        ({"description": "tanpa layanan"}, 400),
        ({"service_code": "tidak-ada", "description": "x"}, 404),
        ({"service_code": "sampah-menumpuk", "description": "tanpa lokasi"}, 400),
        ({"service_code": "sampah-menumpuk", "description": "x", "lat": "utara", "long": "1"}, 400),
        ({"service_code": "sampah-menumpuk", "description": "x", "lat": "95", "long": "114"}, 400),
        ({"service_code": "sampah-menumpuk", "description": "x", "lat": "-6.2", "long": "106.8"}, 400),  # Jakarta
        ({"service_code": "jalan-rusak", "description": "x", "address_string": "Jl. A", "attribute[ukuran]": "?"}, 400),
        ({"service_code": "jalan-rusak", "description": "x", "address_string": "Jl. A"}, 400),  # required attribute
        ({"service_code": "sampah-menumpuk", "description": "x" * 5000, "address_string": "Jl. A"}, 400),
        ({"service_code": "sampah-menumpuk", "description": "x", "address_string": "Jl. A", "email": "bukan"}, 400),
    ],
)
def test_bad_posts_get_spec_errors_never_500(client, city, api_key, data, status, fmt):
    data = dict(data)
    if data.get("api_key") != "salah" and status != 403:
        data["api_key"] = api_key.raw
    response = post(client, fmt, **data)
    assert response.status_code == status, response.content
    if fmt == "json":
        errors = response.json()
        assert errors and all(e["code"] == status and e["description"] for e in errors)
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        assert root.find("error/code").text == str(status)
    assert not Ticket.objects.exists()


def test_each_key_has_its_own_rate_limit(client, city, api_key):
    from open311.models import ApiKey

    ApiKey.objects.filter(pk=api_key.pk).update(rate_limit_per_hour=2)
    other, other_raw = ApiKey.issue(name="Command centre")
    codes = [client.get(f"{BASE}/services.json", {"api_key": api_key.raw}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get(f"{BASE}/services.xml", {"api_key": api_key.raw}).status_code == 429
    assert client.get(f"{BASE}/services.json", {"api_key": other_raw}).status_code == 200


def test_inactive_key_is_refused(client, city, api_key):
    api_key.active = False
    api_key.save()
    assert client.get(f"{BASE}/services.json", {"api_key": api_key.raw}).status_code == 403


def test_round_trip_post_read_and_see_staff_act(client, city, api_key, staff_dlh, django_capture_on_commit_callbacks):
    from complaints.actions import acknowledge_ticket, resolve_ticket

    # Routing runs after commit (eager without a broker); here the callbacks are run explicitly.
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            api_key=api_key.raw,
            service_code="sampah-menumpuk",
            description="Sampah menumpuk di depan pasar.",
            **pin(),
        )
    assert response.status_code == 201
    body = response.json()[0]
    ticket = Ticket.objects.get()
    if "token" in body:  # a broker took the routing job: finish it here the way the worker would
        from complaints.actions.dispatch import route_ticket

        route_ticket(ticket_id=ticket.pk)
        token = client.get(f"{BASE}/tokens/{body['token']}.json").json()[0]
        assert token["service_request_id"] == ticket.reference
    else:
        assert body["service_request_id"] == ticket.reference
    ticket.refresh_from_db()
    assert ticket.status == Status.ROUTED and ticket.department.code == "dlh"

    record = client.get(f"{BASE}/requests/{ticket.reference}.json").json()[0]
    assert record["status"] == "open" and record["agency_responsible"] == "Dinas Lingkungan Hidup"
    listed = client.get(f"{BASE}/requests.json", {"service_code": "sampah-menumpuk"}).json()
    assert ticket.reference in [r["service_request_id"] for r in listed]

    acknowledge_ticket(ticket=ticket, actor=staff_dlh)
    resolve_ticket(ticket=ticket, actor=staff_dlh, note="Sampah sudah diangkut pagi ini.")
    record = client.get(f"{BASE}/requests/{ticket.reference}.xml")
    request = ET.fromstring(record.content).find("request")
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == "Sampah sudah diangkut pagi ini."
    closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [ticket.reference]


def test_media_upload_extension_attaches_a_photo(client, city, api_key):
    import io as _io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = _io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "JPEG")
    photo = SimpleUploadedFile("lubang.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key.raw,
            "service_code": "sampah-menumpuk",
            "description": "Foto terlampir.",
            "media": photo,
            **pin(),
        },
    )
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().attachments.count() == 1


def test_services_list_query_count_is_constant(client, city, memory_cache, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert len(client.get(f"{BASE}/services.json").json()) > 30


def test_nul_characters_are_dropped_not_a_server_error(client, city, api_key):
    response = post(
        client, api_key=api_key.raw, service_code="sampah-menumpuk", description="Sampah\x00 menumpuk", **pin()
    )
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().description == "Sampah menumpuk"
