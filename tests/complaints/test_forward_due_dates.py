"""A report forwarded to another department says by when the new department answers: forwarding starts the due
dates again, and the citizen's email and the timelines gave the reason only (found in the flood-surge walk)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date

from complaints import actions
from complaints.mail import _render
from complaints.models import EventType, Notification, Ticket
from services.models import Department
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _wita(moment, pattern: str) -> str:
    """``moment`` as the English emails and pages write it, in WITA (UTC+8)."""
    with translation.override("en"):
        return format_date(timezone.localtime(moment, timezone.get_fixed_timezone(8 * 60)), pattern)


@pytest.fixture
def forwarded(citizen, staff_dlh) -> Ticket:
    ticket = make_ticket(reporter=citizen, department="dlh")
    actions.forward_ticket(
        ticket=ticket,
        actor=staff_dlh,
        department=Department.objects.get(code="pupr"),
        reason="Saluran tersumbat: wewenang Dinas PUPR.",
    )
    ticket.refresh_from_db()
    assert ticket.response_due_at and ticket.resolution_due_at
    return ticket


def _email_to(ticket, address: str) -> str:
    notification = Notification.objects.get(ticket=ticket, event__type=EventType.FORWARDED, email=address)
    notification.language = "en"
    return _render(notification)[1]


def test_the_citizens_email_says_by_when_the_new_department_answers(forwarded, citizen):
    body = _email_to(forwarded, citizen.email)
    assert "Reason: Saluran tersumbat: wewenang Dinas PUPR." in body
    verify_by = _wita(forwarded.response_due_at, "j F Y")
    assert f"The deadlines start again with Dinas PUPR: it verifies the report by {verify_by}." in body
    assert f"Follow-up due by {_wita(forwarded.resolution_due_at, 'j F Y')}." in body


def _forward_entry(page: str) -> str:
    (entry,) = re.findall(r'<li class="event-forwarded">.*?</li>', page, flags=re.S)
    return entry


def test_the_public_timeline_says_the_new_due_dates(client, forwarded, citizen):
    for reader in (None, citizen):  # the public, and the reporter on their own report
        if reader is not None:
            client.force_login(reader)
        page = client.get(reverse("complaints:ticket", args=[forwarded.reference]), HTTP_ACCEPT_LANGUAGE="en")
        entry = _forward_entry(page.content.decode())
        assert f"Response now due: {_wita(forwarded.response_due_at, 'j M Y')}" in entry
        assert f"Resolution now due: {_wita(forwarded.resolution_due_at, 'j M Y')}" in entry


def test_the_staff_timeline_and_email_say_them_once(client, forwarded, staff_pupr):
    client.force_login(staff_pupr)
    page = client.get(reverse("staff:ticket", args=[forwarded.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    (entry,) = re.findall(r'<li class="[^"]*" data-type="forwarded".*?</li>', page, flags=re.S)
    assert f"Response now due: {_wita(forwarded.response_due_at, 'j M Y')}" in entry
    body = _email_to(forwarded, forwarded.department.email)
    assert f"Response now due: {_wita(forwarded.response_due_at, 'j M Y')}" in body
    assert body.count("Resolution") == 1, body  # the forward's line, not the ticket's "Resolution due" again


def test_a_reason_as_long_as_the_forms_accept_is_kept_and_a_longer_one_refused(citizen, staff_dlh):
    """The staff page's and the API's reason fields take 4000 characters; the action refused over 2000."""
    from django.core.exceptions import ValidationError

    pupr = Department.objects.get(code="pupr")
    ticket = make_ticket(reporter=citizen, department="dlh")
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            actions.forward_ticket(ticket=ticket, actor=staff_dlh, department=pupr, reason="x" * 4001)
        assert refused.value.message_dict["reason"] == ["Keep it under 4000 characters."]
    actions.forward_ticket(ticket=ticket, actor=staff_dlh, department=pupr, reason="Wewenang PUPR. " + "x" * 3000)
    ticket.refresh_from_db()
    assert ticket.department == pupr
    event = ticket.events.get(type=EventType.FORWARDED)
    assert len(event.payload["reason"]) == 3015
