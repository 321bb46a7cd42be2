"""A phone number, an email or a NIK a citizen typed into their report's text is hidden on every public channel (the
report's page and its link preview, the public list, map and search, the REST API, Open311 JSON and XML), for an
anonymous report too; the staff page, the staff API and the reporter's own page keep the text as typed, and the
stored text is never changed."""

import pytest
from django.urls import reverse

from complaints.models import EventType, Privacy, Status, TicketEvent
from tests.factories import make_ticket

PHONE = "081234567890"
EMAIL = "budi.warga@gmail.com"
NIK = "6371012345670001"
HIDDEN = ("[phone number hidden]", "[email hidden]", "[NIK hidden]")
TITLE = f"Sampah menumpuk, hubungi {PHONE}"
DESCRIPTION = f"Sudah tiga hari. Email saya {EMAIL}, NIK {NIK}. Rumah No. 12 RT 05/RW 03."
OFFICE = "0511-3252123"  # the department's own number in its reply: given on purpose, kept


def shows_none_of_them(body: str) -> bool:
    return PHONE not in body and EMAIL not in body and NIK not in body


def shows_them_all(body: str) -> bool:
    return PHONE in body and EMAIL in body and NIK in body


@pytest.fixture
def report(citizen):
    return make_ticket(reporter=citizen, title=TITLE, description=DESCRIPTION)


@pytest.fixture
def anonymous_report(citizen):
    return make_ticket(reporter=citizen, title=TITLE, description=DESCRIPTION, privacy=Privacy.ANONYMOUS)


@pytest.mark.parametrize("which", ["report", "anonymous_report"])
def test_the_public_report_page_hides_them_and_the_staff_page_keeps_them(client, staff_dlh, request, which):
    ticket = request.getfixturevalue(which)
    body = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert shows_none_of_them(body)
    assert all(marker in body for marker in HIDDEN)
    assert "No. 12 RT 05/RW 03" in body  # what only looks like a number stays
    client.force_login(staff_dlh)
    assert shows_them_all(client.get(f"/staf/tiket/{ticket.reference}/").content.decode())
    ticket.refresh_from_db()
    assert ticket.title == TITLE and ticket.description == DESCRIPTION  # stored as typed


def test_the_shared_link_preview_hides_the_number_in_the_title(client, report):
    body = client.get(f"/laporan/{report.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    head = body.split("</head>")[0]
    assert 'property="og:title"' in head and PHONE not in head


def test_the_reporter_reads_their_own_report_as_they_typed_it(client, citizen, report):
    client.force_login(citizen)
    assert shows_them_all(client.get(f"/laporan/{report.reference}/").content.decode())


def test_the_timeline_hides_a_citizens_numbers_but_keeps_the_departments(client, citizen, staff_dlh, report):
    TicketEvent.objects.create(
        ticket=report, type=EventType.REPLY, actor=staff_dlh, payload={"message": f"Silakan hubungi kami di {OFFICE}."}
    )
    TicketEvent.objects.create(
        ticket=report, type=EventType.CITIZEN_INFO, payload={"message": f"Nomor baru saya 0813 9999 8888, {EMAIL}"}
    )
    TicketEvent.objects.create(
        ticket=report, type=EventType.CITIZEN_INFO, payload={"message": "Saya juga: 0857-1111-2222", "by": "follower"}
    )
    TicketEvent.objects.create(
        ticket=report, type=EventType.REOPENED, payload={"reason": "Belum, telp +62 812 7777 6666", "by": "reporter"}
    )
    TicketEvent.objects.create(
        ticket=report, type=EventType.RATED, payload={"score": 2, "comment": "WA 0821 4444 5555", "by": "reporter"}
    )
    public = client.get(f"/laporan/{report.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for typed in ("0813 9999 8888", EMAIL, "0857-1111-2222", "+62 812 7777 6666", "0821 4444 5555"):
        assert typed not in public, typed
    assert OFFICE in public
    # Their own words as typed to the reporter; a follower's are another citizen's, hidden from them too.
    client.force_login(citizen)
    own = client.get(f"/laporan/{report.reference}/").content.decode()
    assert "0813 9999 8888" in own and "+62 812 7777 6666" in own and "0821 4444 5555" in own
    assert "0857-1111-2222" not in own
    client.force_login(staff_dlh)
    staff = client.get(f"/staf/tiket/{report.reference}/").content.decode()
    assert "0813 9999 8888" in staff and "0857-1111-2222" in staff


def test_the_filing_forms_similar_reports_hide_them(client, report):
    offered = client.get(
        reverse("complaints:similar"), {"service": report.service_id, "area": report.area_id}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert report.reference in offered and PHONE not in offered


def test_the_public_list_and_map_hide_them(client, report):
    listing = client.get("/laporan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert report.reference in listing and PHONE not in listing and "[phone number hidden]" in listing
    features = client.get("/laporan/peta.json", HTTP_ACCEPT_LANGUAGE="en").json()["features"]
    (pin,) = [feature for feature in features if feature["properties"]["reference"] == report.reference]
    assert pin["properties"]["title"] == "Sampah menumpuk, hubungi [phone number hidden]"


@pytest.mark.parametrize("typed", [PHONE, EMAIL, NIK])
def test_the_public_search_does_not_find_a_report_by_a_hidden_number(client, report, typed):
    """A number the pages hide is searched only in what they show: nobody learns whose report holds it."""
    response = client.get("/laporan/", {"q": typed}, HTTP_ACCEPT_LANGUAGE="en")
    assert report.reference not in {ticket.reference for ticket in response.context["page"].object_list}
    features = client.get("/laporan/peta.json", {"q": typed}).json()["features"]
    assert report.reference not in {feature["properties"]["reference"] for feature in features}


def test_the_public_search_still_finds_a_report_by_its_words(client, report):
    response = client.get("/laporan/", {"q": "sampah menumpuk"}, HTTP_ACCEPT_LANGUAGE="en")
    assert report.reference in {ticket.reference for ticket in response.context["page"].object_list}


@pytest.mark.parametrize("which", ["report", "anonymous_report"])
def test_the_rest_api_hides_them_from_the_public_and_keeps_them_for_staff_and_the_reporter(
    client, citizen, staff_dlh, request, which
):
    ticket = request.getfixturevalue(which)
    detail = client.get(f"/api/v1/tickets/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["title"] == "Sampah menumpuk, hubungi [phone number hidden]"
    assert shows_none_of_them(detail["description"])
    assert shows_none_of_them(client.get("/api/v1/tickets/").content.decode())
    client.force_login(staff_dlh)
    assert client.get(f"/api/v1/tickets/{ticket.reference}/").json()["description"] == DESCRIPTION
    assert shows_them_all(client.get("/api/v1/tickets/").content.decode())
    client.force_login(citizen)
    assert client.get(f"/api/v1/tickets/{ticket.reference}/").json()["title"] == TITLE


def test_open311_json_and_xml_hide_them(client, report):
    TicketEvent.objects.create(
        ticket=report, type=EventType.REOPENED, payload={"reason": "Belum, telp 0813 9999 8888", "by": "reporter"}
    )
    report.status = Status.IN_PROGRESS
    report.save(update_fields=["status"])
    for url in (
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{report.reference}.json",
        f"/open311/v2/requests/{report.reference}.xml",
    ):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert report.reference in body, url
        assert shows_none_of_them(body) and "0813 9999 8888" not in body, url
        assert "[email hidden]" in body, url
    (record,) = client.get(f"/open311/v2/requests/{report.reference}.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert record["status_notes"] == "Belum, telp [phone number hidden]"


def test_the_rest_api_timeline_hides_a_citizens_numbers_from_the_public(client, staff_dlh, report):
    TicketEvent.objects.create(
        ticket=report, type=EventType.CITIZEN_INFO, payload={"message": f"Nomor baru saya {PHONE}", "by": "reporter"}
    )
    TicketEvent.objects.create(
        ticket=report, type=EventType.REPLY, actor=staff_dlh, payload={"message": f"Hubungi kami di {OFFICE}."}
    )
    for url in (f"/api/v1/tickets/{report.reference}/events/", "/api/v1/events/"):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert PHONE not in body and "Nomor baru saya [phone number hidden]" in body and OFFICE in body, url
    client.force_login(staff_dlh)
    assert PHONE in client.get(f"/api/v1/tickets/{report.reference}/events/").content.decode()
