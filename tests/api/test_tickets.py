"""Tickets through the REST API: same visibility, same actions, same errors as the pages."""

import pytest

from complaints.models import EventType, Privacy, Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def refs(response):
    assert response.status_code == 200, response.content
    return {t["reference"] for t in response.json()["results"]}


def test_anonymous_sees_public_tickets_only(api, city, citizen):
    public = make_ticket()
    secret = make_ticket(privacy=Privacy.CONFIDENTIAL)
    waiting = make_ticket(status=Status.SUBMITTED, reporter=citizen)
    listed = refs(api.get("/api/v1/tickets/"))
    assert public.reference in listed
    assert secret.reference not in listed and waiting.reference not in listed
    assert api.get(f"/api/v1/tickets/{secret.reference}/").status_code == 404


def test_citizen_sees_own_submitted_ticket_and_own_contact_details(as_user, city, citizen):
    mine = make_ticket(status=Status.SUBMITTED, reporter=citizen)
    client = as_user(citizen)
    assert mine.reference in refs(client.get("/api/v1/tickets/", {"mine": "true"}))
    detail = client.get(f"/api/v1/tickets/{mine.reference}/").json()
    assert detail["reporter"]["email"] == citizen.email


def test_public_never_sees_contact_details(api, as_user, city, citizen, other_citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen)
    anonymous = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS)
    assert api.get(f"/api/v1/tickets/{ticket.reference}/").json()["reporter"] is None
    assert as_user(other_citizen).get(f"/api/v1/tickets/{ticket.reference}/").json()["reporter"] is None
    staff = as_user(staff_dlh)
    assert staff.get(f"/api/v1/tickets/{ticket.reference}/").json()["reporter"]["email"] == citizen.email
    assert staff.get(f"/api/v1/tickets/{anonymous.reference}/").json()["reporter"] is None
    assert citizen.email not in staff.get("/api/v1/tickets/").content.decode()


def test_staff_see_confidential_tickets_of_their_department_only(as_user, city, staff_dlh, staff_pupr, inspector):
    secret = make_ticket(privacy=Privacy.CONFIDENTIAL)  # DLH's
    assert secret.reference in refs(as_user(staff_dlh).get("/api/v1/tickets/"))
    assert secret.reference not in refs(as_user(staff_pupr).get("/api/v1/tickets/"))
    assert secret.reference in refs(as_user(inspector).get("/api/v1/tickets/"))


def test_list_filters(api, city):
    road = make_ticket(service="jalan-rusak")
    waste = make_ticket(status=Status.RESOLVED)
    assert refs(api.get("/api/v1/tickets/", {"service": "jalan-rusak"})) == {road.reference}
    assert refs(api.get("/api/v1/tickets/", {"status": "resolved"})) == {waste.reference}
    assert refs(api.get("/api/v1/tickets/", {"department": "pupr"})) == {road.reference}


def test_list_query_count_does_not_grow(api, city, django_assert_max_num_queries):
    for _ in range(20):
        make_ticket()
    with django_assert_max_num_queries(4):
        assert len(refs(api.get("/api/v1/tickets/"))) == 20


def test_citizen_files_a_ticket_through_file_ticket(as_user, city, citizen):
    area = city.get(code="63.71.05.1003")
    response = as_user(citizen).post(
        "/api/v1/tickets/",
        {
            "title": "Sampah menumpuk",
            "description": "Sudah tiga hari tidak diangkut.",
            "service": "sampah-menumpuk",
            "lat": area.label_lat,
            "lng": area.label_lng,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "api" and body["status"] == "submitted" and body["area"] == area.code
    assert body["reporter"]["email"] == citizen.email


def test_a_retried_filing_with_its_idempotency_key_returns_the_first_ticket(as_user, city, citizen, other_citizen):
    from complaints.models import Ticket

    report = {"title": "Sampah menumpuk", "description": "Belum diangkut.", "area": "63.71.05.1003"}
    api = as_user(citizen)
    first = api.post("/api/v1/tickets/", report, format="json", HTTP_IDEMPOTENCY_KEY="laporan-42")
    retry = api.post("/api/v1/tickets/", report, format="json", HTTP_IDEMPOTENCY_KEY="laporan-42")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["reference"] == first.json()["reference"] and Ticket.objects.count() == 1
    # Another key, no key, or another account's same key: a new report each.
    assert api.post("/api/v1/tickets/", report, format="json", HTTP_IDEMPOTENCY_KEY="laporan-43").status_code == 201
    assert api.post("/api/v1/tickets/", report, format="json").status_code == 201
    other = as_user(other_citizen).post("/api/v1/tickets/", report, format="json", HTTP_IDEMPOTENCY_KEY="laporan-42")
    assert other.status_code == 201 and other.json()["reference"] != first.json()["reference"]
    assert Ticket.objects.count() == 4
    too_long = api.post("/api/v1/tickets/", report, format="json", HTTP_IDEMPOTENCY_KEY="x" * 201)
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["field"] == "Idempotency-Key"


def test_filing_errors_use_the_common_error_body(as_user, city, citizen):
    response = as_user(citizen).post(
        "/api/v1/tickets/",
        {"title": "Jalan rusak", "description": "Berlubang.", "service": "jalan-rusak", "lat": 0.0, "lng": 0.0},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    (outside,) = [e["message"] for e in response.json()["errors"] if e["field"] == "lat"]
    # In a client's words: it sends lat and lng, it drops no pin on a map.
    assert "outside Banjarmasin" in outside and "lat and lng" in outside and "drop the pin" not in outside


def test_anonymous_cannot_file(api, city):
    response = api.post("/api/v1/tickets/", {"title": "x", "description": "y"}, format="json")
    assert response.status_code in (401, 403)
    assert response.json()["errors"][0]["message"]


def test_filing_is_rate_limited_with_429(as_user, city, citizen, settings):
    """The account's allowance is FILING_RATE_LIMIT; a refused filing says so and saves nothing."""
    from complaints.models import Ticket

    settings.FILING_RATE_LIMIT = "2/h"
    client = as_user(citizen)
    payload = {"title": "t", "description": "d", "area": "63.71.05.1003"}
    responses = [client.post("/api/v1/tickets/", payload, format="json") for _ in range(3)]
    assert [r.status_code for r in responses] == [201, 201, 429]
    assert responses[2].json()["errors"][0]["message"]
    assert Ticket.objects.filter(reporter=citizen).count() == 2


def test_invalid_filings_do_not_use_up_the_allowance(as_user, city, citizen, settings):
    settings.FILING_RATE_LIMIT = "1/h"
    client = as_user(citizen)
    for _ in range(3):
        assert client.post("/api/v1/tickets/", {"title": "t"}, format="json").status_code == 400
    payload = {"title": "t", "description": "d", "area": "63.71.05.1003"}
    assert client.post("/api/v1/tickets/", payload, format="json").status_code == 201


def test_staff_act_through_the_same_actions(as_user, city, staff_dlh):
    ticket = make_ticket()
    client = as_user(staff_dlh)
    base = f"/api/v1/tickets/{ticket.reference}"
    assert client.post(f"{base}/acknowledge/").json()["status"] == "acknowledged"
    assert client.post(f"{base}/start/").json()["status"] == "in_progress"
    assert client.post(f"{base}/reply/", {"message": "Truk datang besok."}, format="json").status_code == 200
    assert client.post(f"{base}/note/", {"message": "Internal."}, format="json").status_code == 200
    assert client.post(f"{base}/priority/", {"priority": 3}, format="json").json()["priority"] == 3
    resolved = client.post(f"{base}/resolve/", {"note": "Sudah diangkut."}, format="json")
    assert resolved.json()["status"] == "resolved"
    types = [e["type"] for e in client.get(f"{base}/events/").json()]
    assert EventType.NOTE in types and EventType.RESOLVED in types


def test_public_timeline_hides_internal_notes(api, as_user, city, staff_dlh):
    ticket = make_ticket()
    as_user(staff_dlh).post(f"/api/v1/tickets/{ticket.reference}/note/", {"message": "Internal."}, format="json")
    api.force_authenticate(None)
    types = [e["type"] for e in api.get(f"/api/v1/tickets/{ticket.reference}/events/").json()]
    assert EventType.NOTE not in types
    assert "Internal." not in api.get("/api/v1/events/").content.decode()


@pytest.mark.parametrize(
    "who, expected",
    [("citizen", 403), ("staff_pupr", 404), ("inspector", 403), ("staff_dlh", 200), ("head_dlh", 200)],
)
def test_who_may_verify_a_ticket(request, as_user, city, who, expected):
    user = request.getfixturevalue(who)
    ticket = make_ticket()
    response = as_user(user).post(f"/api/v1/tickets/{ticket.reference}/acknowledge/")
    assert response.status_code == expected
    if expected != 200:
        assert response.json()["errors"][0]["message"]


def test_action_on_an_invisible_ticket_is_404(as_user, city, staff_pupr):
    secret = make_ticket(privacy=Privacy.CONFIDENTIAL)
    response = as_user(staff_pupr).post(f"/api/v1/tickets/{secret.reference}/acknowledge/")
    assert response.status_code == 404


def test_invalid_transition_is_a_clear_error_not_500(as_user, city, staff_dlh):
    ticket = make_ticket(status=Status.CLOSED)
    response = as_user(staff_dlh).post(f"/api/v1/tickets/{ticket.reference}/acknowledge/")
    assert response.status_code in (400, 403)
    missing = as_user(staff_dlh).post(f"/api/v1/tickets/{make_ticket().reference}/reply/", {}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "message"


def test_token_auth_works(api, city, staff_dlh):
    from accounts.tokens import issue_token

    secret = make_ticket(privacy=Privacy.CONFIDENTIAL)
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(staff_dlh)}")
    assert secret.reference in refs(api.get("/api/v1/tickets/"))


def test_nul_characters_in_answers_are_a_400(as_user, city, citizen):
    response = as_user(citizen).post(
        "/api/v1/tickets/",
        {"title": "t", "description": "d", "area": "63.71.05.1003", "attributes": {"x": "a\u0000b"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "attributes"


def test_filing_answers_without_re_checking_the_filers_roles(
    as_user, city, citizen, settings, django_assert_max_num_queries
):
    """The filer is the reporter: the answer reads the new ticket once, with no visibility or role lookups."""
    # The filing throttle's counter in memory (a database cache on SQLite would add its own queries).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    area = city.get(code="63.71.05.1003")
    body = {"title": "Lampu mati", "description": "Sudah seminggu.", "service": "sampah-menumpuk"}
    body |= {"lat": area.label_lat, "lng": area.label_lng}
    client = as_user(citizen)
    assert client.post("/api/v1/tickets/", body, format="json").status_code == 201  # loads the kelurahan index
    with django_assert_max_num_queries(10) as captured:
        response = client.post("/api/v1/tickets/", body, format="json")
    assert response.status_code == 201, response.content
    assert not any("staffmembership" in q["sql"] or "auth_group" in q["sql"] for q in captured.captured_queries)
    # The service, its questions and the kelurahan come from this process's catalogue copies (services.lookups).
    assert not any('"services_' in q["sql"] for q in captured.captured_queries)
    # No photo was sent: the answer says so without looking photos up.
    assert not any("attachment" in q["sql"] for q in captured.captured_queries)
    assert response.json()["photos"] == []
    assert response.json()["reporter"]["email"] == citizen.email
    assert response.json()["service_name"] and response.json()["area"] == area.code
