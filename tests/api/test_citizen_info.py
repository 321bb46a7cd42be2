"""The reporter answers the department's question through the API (POST tickets/{reference}/add-info/), as on the
ticket's page: a system filing for citizens could file and read the question, but not relay the answer."""

import pytest
from rest_framework.test import APIClient

from complaints.models import Attachment, EventType, Privacy, Status, Subscription, TicketEvent
from tests.api.test_rest_filing_photos import jpeg
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
REPLAYED = "Idempotent-Replayed"


def add_info_url(ticket) -> str:
    return f"/api/v1/tickets/{ticket.reference}/add-info/"


def add_info(client, ticket, body, key=None, **kwargs):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    kwargs.setdefault("format", "json")
    return client.post(add_info_url(ticket), body, HTTP_ACCEPT_LANGUAGE="en", **headers, **kwargs)


def answers(ticket):
    return TicketEvent.objects.filter(ticket=ticket, type=EventType.CITIZEN_INFO)


@pytest.fixture
def asked(as_user, city, citizen, staff_dlh):
    """A report the department asked its reporter about, through the API."""
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    asked = as_user(staff_dlh).post(
        f"/api/v1/tickets/{ticket.reference}/ask-info/", {"message": "Di RT berapa?"}, format="json"
    )
    assert asked.status_code == 200 and asked.json()["waiting_for_citizen_since"], asked.content
    return ticket


def test_the_reporter_answers_the_question_and_the_wait_ends(as_user, citizen, asked):
    response = add_info(as_user(citizen), asked, {"message": "RT 05, depan SDN 3."})
    assert response.status_code == 200, response.content
    assert response.json()["reference"] == asked.reference
    assert response.json()["waiting_for_citizen_since"] is None
    (answer,) = answers(asked)
    question = TicketEvent.objects.get(ticket=asked, type=EventType.INFO_REQUESTED)
    assert answer.payload["message"] == "RT 05, depan SDN 3." and answer.payload["by"] == "reporter"
    assert answer.payload["answer_to"] == question.pk and answer.actor == citizen


def test_a_retry_with_its_idempotency_key_answers_once(as_user, citizen, asked):
    client = as_user(citizen)
    first = add_info(client, asked, {"message": "RT 05."}, key="jawaban-1")
    again = add_info(client, asked, {"message": "RT 05."}, key="jawaban-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert REPLAYED not in first and again[REPLAYED] == "true" and again.json() == first.json()
    other = add_info(client, asked, {"message": "RT 06."}, key="jawaban-1")
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert answers(asked).count() == 1


def test_photos_come_in_a_multipart_body(as_user, citizen, asked):
    response = add_info(as_user(citizen), asked, {"message": "Ini fotonya.", "photos": [jpeg()]}, format="multipart")
    assert response.status_code == 200, response.content
    (answer,) = answers(asked)
    assert Attachment.objects.filter(event=answer, purpose=Attachment.Purpose.INFO).count() == 1
    # A photo alone is an answer too; nothing at all is not, and photos in JSON are refused, not dropped.
    photo_only = add_info(as_user(citizen), asked, {"photos": [jpeg()]}, format="multipart")
    assert photo_only.status_code == 200, photo_only.content
    nothing = add_info(as_user(citizen), asked, {})
    assert nothing.status_code == 400 and nothing.json()["errors"][0]["field"] == "message"
    in_json = add_info(as_user(citizen), asked, {"message": "x", "photos": ["p.jpg"]})
    assert in_json.status_code == 400 and in_json.json()["errors"][0]["field"] == "photos"
    assert answers(asked).count() == 2


def test_who_may_add_information_is_who_may_on_the_page(as_user, citizen, other_citizen, staff_dlh, staff_pupr, asked):
    """The action's rule: the reporter, and followers with an account; staff and strangers are refused (403), a
    ticket out of sight is 404, a guest 401."""
    assert add_info(APIClient(), asked, {"message": "x"}).status_code == 401
    assert add_info(as_user(other_citizen), asked, {"message": "x"}).status_code == 403
    assert add_info(as_user(staff_dlh), asked, {"message": "x"}).status_code == 403
    secret = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen, privacy=Privacy.CONFIDENTIAL)
    assert add_info(as_user(staff_pupr), secret, {"message": "x"}).status_code == 404
    assert not answers(asked).exists()

    Subscription.objects.create(ticket=asked, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    followed = add_info(as_user(other_citizen), asked, {"message": "Saya juga lihat, RT 05."})
    assert followed.status_code == 200, followed.content
    assert answers(asked).get().payload["by"] == "follower"


def test_a_closed_report_takes_no_more_information(as_user, city, citizen):
    ticket = make_ticket(status=Status.CLOSED, department="dlh", reporter=citizen)
    response = add_info(as_user(citizen), ticket, {"message": "Masih ada."})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": None, "message": "This report is no longer open."}]


def test_the_schema_documents_it(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/tickets/{reference}/add-info/"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(operation["responses"])
    assert "Idempotency-Key" in {parameter["name"] for parameter in operation["parameters"]}
