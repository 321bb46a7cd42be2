"""A citizen who changes their account's email address (allauth's /akun/email/: add it, confirm it, make it primary)
finds the new address on the reports they filed with the account, where staff read it: staff wrote to the old one."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from complaints.actions.personal_data import EMAIL_CHANGED, _note
from complaints.models import EventType, Privacy, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

EMAILS = "/akun/email/"
OLD = "warga@example.id"  # tests.conftest's citizen
NEW = "siti.baru@example.id"


def _confirm_link() -> str:
    return re.search(r"https?://[^/\s]+(/akun/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)


def test_a_new_primary_address_reaches_the_reports_filed_with_the_account(
    client, settings, citizen, other_citizen, staff_dlh
):
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    EmailAddress.objects.create(user=citizen, email=OLD, verified=True, primary=True)
    named = make_ticket(reporter=citizen, show_name=True)
    confidential = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL)
    anonymous = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS)
    # Filed from the old address before signing up, and the neighbour's: not filed with the account.
    before_sign_up = make_ticket(reporter_email=OLD, reporter_name="Siti")
    neighbour = make_ticket(reporter=other_citizen)
    client.force_login(citizen)

    assert client.post(EMAILS, {"action_add": "", "email": NEW}).status_code == 302
    # Not confirmed yet: it cannot be the primary address, and the reports keep the old one.
    client.post(EMAILS, {"action_primary": "", "email": NEW})
    named.refresh_from_db()
    assert named.reporter_email == OLD
    client.post(_confirm_link())
    assert EmailAddress.objects.get(email=NEW).verified
    named.refresh_from_db()
    assert named.reporter_email == OLD  # confirmed, but the old address is still the primary one

    assert client.post(EMAILS, {"action_primary": "", "email": NEW}).status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == NEW
    for ticket in (named, confidential, anonymous):
        ticket.refresh_from_db()
        assert ticket.reporter_email == NEW
        notes = TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE)
        if ticket.privacy == Privacy.ANONYMOUS:  # no note tying it to the citizen's named reports
            assert not notes.exists()
            continue
        (note,) = notes
        assert note.public is False and note.payload["message"] == _note(EMAIL_CHANGED)
        assert note.actor == citizen
    for ticket, address in ((before_sign_up, OLD), (neighbour, "tetangga@example.id")):
        ticket.refresh_from_db()
        assert ticket.reporter_email == address
        assert not TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE).exists()

    # Nothing keyed on the old copy: the citizen still opens their confidential report and finds it among theirs.
    assert client.get(f"/laporan/{confidential.reference}/").status_code == 200
    assert confidential.reference in client.get("/laporan-saya/").content.decode()
    # The staff write to the new address.
    client.force_login(staff_dlh)
    staff_page = client.get(f"/staf/tiket/{named.reference}/").content.decode()
    assert f"mailto:{NEW}" in staff_page and OLD not in staff_page

    # Saving the profile afterwards changes nothing more and adds no note.
    client.force_login(citizen)
    client.post("/akun/profil/", {"full_name": citizen.full_name, "phone": citizen.phone, "language": "id"})
    assert TicketEvent.objects.filter(ticket=named, type=EventType.NOTE).count() == 1


def test_an_email_not_sent_yet_goes_to_the_new_primary_address(client, citizen, other_citizen):
    # The mail server was down when the update was queued: the retry must not write to the address they left.
    from complaints.models import Notification

    EmailAddress.objects.create(user=citizen, email=OLD, verified=True, primary=True)
    ticket = make_ticket(reporter=citizen)

    def queued(user, state=Notification.State.PENDING):
        return Notification.objects.create(
            dedup_key=f"test:{user.pk}:{state}",
            ticket=ticket,
            recipient=user,
            email=user.email,
            state=state,
            template=Notification.Template.TICKET_UPDATE,
            context={"reference": ticket.reference},
        )

    waiting, sent, neighbours = queued(citizen), queued(citizen, Notification.State.SENT), queued(other_citizen)
    client.force_login(citizen)
    client.post(EMAILS, {"action_add": "", "email": NEW})
    client.post(_confirm_link())
    assert client.post(EMAILS, {"action_primary": "", "email": NEW}).status_code == 302
    for notification, address in ((waiting, NEW), (sent, OLD), (neighbours, "tetangga@example.id")):
        notification.refresh_from_db()
        assert notification.email == address
