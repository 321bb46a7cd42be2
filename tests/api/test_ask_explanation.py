"""The inspectorate asks the department for an explanation through the REST API (POST tickets/{reference}/
ask-explanation/), as on the staff ticket page: an internal note emailed once to the ticket's assignee and the
department's active heads; only the inspectorate may ask, anyone else is refused with nothing recorded or sent."""

from __future__ import annotations

import pytest
from django.core import mail

from complaints.mail import deliver_notification
from complaints.models import EventType, Notification, Status, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
QUESTION = "Mengapa laporan ini terlambat 20 hari kerja?"


@pytest.fixture
def dlh_member(city):
    from tests.conftest import make_staff

    return make_staff("anggota.dlh@banjarmasinkota.go.id", "dlh")


def _ask(client, ticket, body=None, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    body = {"message": QUESTION} if body is None else body
    return client.post(f"/api/v1/tickets/{ticket.reference}/ask-explanation/", body, format="json", **EN, **headers)


def _notes(ticket):
    return TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE)


def test_the_inspector_asks_and_the_assignee_and_heads_are_each_emailed_once(
    as_user, city, inspector, head_dlh, dlh_member, citizen, django_capture_on_commit_callbacks
):
    ticket = make_ticket(reporter=citizen, assignee=dlh_member, escalation_level=2)
    client = as_user(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, ticket, key="audit-2026-17")
    assert response.status_code == 200, response.content
    assert response.json()["reference"] == ticket.reference

    note = _notes(ticket).get()
    assert note.public is False
    assert note.payload == {"message": QUESTION, "by": "inspectorate", "explanation_requested": True}
    rows = Notification.objects.filter(ticket=ticket)
    # The assignee and the head, once each; not the department's contact address, the citizen or the inspector.
    assert sorted(row.email for row in rows) == sorted([dlh_member.email, head_dlh.email])
    assert {(row.event_id, row.template) for row in rows} == {(note.pk, Notification.Template.STAFF_TICKET)}

    for row in rows:  # with a broker configured a worker sends them; sent here the way the task does
        deliver_notification(notification_id=row.pk)
    sent = [message for message in mail.outbox if QUESTION in message.body]
    assert sorted(address for message in sent for address in message.to) == sorted([dlh_member.email, head_dlh.email])

    # A retry with the same key (the integration timed out) gets the first answer: no second note, no second email.
    with django_capture_on_commit_callbacks(execute=True):
        again = _ask(client, ticket, key="audit-2026-17")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == response.content
    assert _notes(ticket).count() == 1
    assert Notification.objects.filter(ticket=ticket).count() == 2


def test_a_closed_ticket_may_still_be_asked_about(as_user, city, inspector, head_dlh):
    ticket = make_ticket(status=Status.CLOSED)
    assert _ask(as_user(inspector), ticket).status_code == 200
    assert list(Notification.objects.filter(ticket=ticket).values_list("email", flat=True)) == [head_dlh.email]


@pytest.mark.parametrize("role", ["staff_dlh", "head_dlh", "citizen", "administrator"])
def test_anyone_but_the_inspectorate_is_refused_with_nothing_recorded_or_sent(request, as_user, city, role):
    ticket = make_ticket(reporter=request.getfixturevalue("citizen"), assignee=request.getfixturevalue("staff_dlh"))
    response = _ask(as_user(request.getfixturevalue(role)), ticket)
    assert response.status_code == 403, response.content
    message = response.json()["errors"][0]["message"]
    expected = "Only city staff may do this." if role == "citizen" else "You may not work on this ticket."
    assert message == expected
    assert not _notes(ticket).exists()
    assert not Notification.objects.filter(ticket=ticket).exists()


def test_another_departments_staff_do_not_learn_the_ticket_exists(as_user, city, staff_pupr):
    ticket = make_ticket()
    assert _ask(as_user(staff_pupr), ticket).status_code == 404
    assert not _notes(ticket).exists()


def test_without_a_question_or_anyone_to_ask_the_inspector_is_told_why(as_user, city, inspector):
    ticket = make_ticket()  # DLH has no head here, and the ticket no assignee
    client = as_user(inspector)
    empty = _ask(client, ticket, body={"message": ""})
    assert empty.status_code == 400
    assert empty.json()["errors"][0]["field"] == "message"

    nobody = _ask(client, ticket)
    assert nobody.status_code == 400
    (error,) = nobody.json()["errors"]
    assert error["field"] == "message"
    assert error["message"].startswith("Nobody in the department can be asked")
    assert not _notes(ticket).exists()


def test_the_schema_documents_the_endpoint(api, city):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/tickets/{reference}/ask-explanation/"]["post"]
    assert operation["summary"] == "Ask the department for an explanation (inspectorate)"
    assert "Only the inspectorate may ask" in operation["description"]
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/Message")
    assert "Idempotency-Key" in {parameter["name"] for parameter in operation["parameters"]}
