"""Email subjects are plain text: a title or department name with & " < > reads as typed, not as HTML entities."""

import pytest

from complaints.mail import _render
from complaints.models import EventType, Notification
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

TITLE = 'Air "mati" & <bocor> di Jl. A. Yani'


@pytest.mark.parametrize(
    "template,expected",
    [
        (Notification.Template.TICKET_UPDATE, f"Resolved: {TITLE}"),
        (Notification.Template.STAFF_TICKET, "Resolved · Dinas PU & <PR>"),
    ],
)
def test_a_subject_shows_the_title_and_department_as_typed(city, template, expected):
    ticket = make_ticket(title=TITLE)
    notification = Notification(
        ticket=ticket,
        email="warga@example.id",
        language="en",
        template=template,
        context={
            "reference": ticket.reference,
            "title": TITLE,
            "department": "Dinas PU & <PR>",
            "event_type": EventType.RESOLVED,
        },
    )
    subject, _body = _render(notification)
    assert subject.endswith(expected), subject
    assert "&amp;" not in subject and "&quot;" not in subject and "&lt;" not in subject
