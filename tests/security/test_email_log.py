"""The outgoing email log and the ticket admin keep the reports' privacy promises.

An email row never holds a link that acts without logging in (a guest reporter's personal follow link, the
confirmation link, the "stop these emails" link): the sender makes them when it sends, also for a row queued before
the upgrade. An administrator who is not a superuser reads, about an anonymous or confidential report, neither to
whom an email went nor what it said, and cannot find those rows by address; the ticket admin hides what the staff
ticket page hides of an anonymous report (who filed it and the answers that identify them).
"""

from __future__ import annotations

import importlib
import json
import re

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from complaints import follow
from complaints.actions import confirm_email, email_off_url, file_ticket
from complaints.events import record_event
from complaints.mail import deliver_notification
from complaints.models import EventType, Notification, Privacy, Status, Subscription, Ticket
from complaints.notifications import notify_followers
from services.models import Area, Department
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

GUEST = "pelapor.rahasia@example.id"
MAWAR = "63.71.05.1003"
LIVE_LINKS = ("/ikuti/", "/lapor/konfirmasi/", "/lapor/berhenti/")


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def guest_files(privacy=Privacy.CONFIDENTIAL) -> Ticket:
    return file_ticket(
        title="Pungutan liar di kantor kelurahan",
        description="Petugas meminta uang untuk surat pengantar.",
        area=Area.objects.get(code=MAWAR),
        privacy=privacy,
        reporter_email=GUEST,
    )


def routed_with_update(ticket: Ticket) -> Notification:
    """The guest's report routed to DLH, and the update email its reporter gets."""
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Status.ROUTED, department=Department.objects.get(code="dlh"), routed_at=timezone.now()
    )
    ticket.refresh_from_db()
    event = record_event(ticket=ticket, type=EventType.ROUTED, payload={"department": "DLH"})
    notify_followers(ticket=ticket, event=event)
    return Notification.objects.get(event=event, email=GUEST)


def sent_body(notification: Notification) -> str:
    assert deliver_notification(notification_id=notification.pk)
    return mail.outbox[-1].body


def test_no_email_row_holds_a_link_that_acts_without_logging_in_and_the_sent_emails_carry_them(client, city):
    ticket = guest_files()
    confirmation = Notification.objects.get(ticket=ticket, template="confirm_ticket")
    confirm_email(token=ticket.confirmation_token)
    update = routed_with_update(ticket)
    for row in (confirmation, update):
        stored = json.dumps(row.context)
        assert not any(link in stored for link in LIVE_LINKS), stored

    body = sent_body(confirmation)
    assert f"/lapor/konfirmasi/{ticket.confirmation_token}/" in body and "/lapor/berhenti/" in body
    body = sent_body(update)
    follow_link = re.search(r"https?://\S+/ikuti/\S+/", body).group(0)
    stop_link = re.search(r"https?://\S+/lapor/berhenti/\S+/", body).group(0)
    assert "Tautan ini bersifat pribadi" in body  # "This link is personal"
    # The links made at sending work: the follow link opens the confidential report, the stop link stops emails.
    assert client.get(path_of(follow_link), follow=True).status_code == 200
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 200
    assert client.post(path_of(stop_link)).status_code == 200
    assert not Subscription.objects.get(ticket=ticket, email=GUEST).active


def test_a_follow_link_goes_only_to_the_address_the_report_has_when_the_email_is_sent(city):
    ticket = guest_files()
    confirm_email(token=ticket.confirmation_token)
    update = routed_with_update(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(reporter_email="alamat.baru@example.id")
    body = sent_body(update)
    assert "/ikuti/" not in body and f"/laporan/{ticket.reference}/" in body


def test_an_email_queued_before_the_upgrade_is_sent_with_links_made_at_sending(client, city):
    """A row written by the old code (links stored) loses them in the migration and still goes out working."""
    ticket = make_ticket(reporter=None, reporter_email=GUEST, privacy=Privacy.CONFIDENTIAL)
    subscription = Subscription.objects.create(ticket=ticket, email=GUEST, reason=Subscription.Reason.REPORTER)
    event = record_event(ticket=ticket, type=EventType.ACKNOWLEDGED)
    base = {"reference": ticket.reference, "title": ticket.title, "event_type": "acknowledged", "payload": {}}
    old_update = Notification.objects.create(
        dedup_key=f"ticket_update:{event.pk}:{GUEST}",
        ticket=ticket,
        event=event,
        email=GUEST,
        template="ticket_update",
        context={
            **base,
            "url": follow.follow_url(ticket),
            "is_reporter": True,
            "personal_link": True,
            "email_off_url": email_off_url(subscription),
        },
    )
    unconfirmed = guest_files()
    old_confirmation = Notification.objects.get(ticket=unconfirmed, template="confirm_ticket")
    old_confirmation.context = {
        "reference": unconfirmed.reference,
        "title": unconfirmed.title,
        "url": f"http://testserver/lapor/konfirmasi/{unconfirmed.confirmation_token}/",
        "stop_url": email_off_url(Subscription.objects.get(ticket=unconfirmed)),
    }
    old_confirmation.save(update_fields=["context"])

    migration = importlib.import_module("complaints.migrations.0023_notification_links_made_at_sending")
    migration.take_links_out(apps, None)

    old_update.refresh_from_db()
    old_confirmation.refresh_from_db()
    for row in (old_update, old_confirmation):
        assert not any(link in json.dumps(row.context) for link in LIVE_LINKS), row.context
    assert old_update.context["url"].endswith(f"/laporan/{ticket.reference}/")
    assert old_update.context["subscription_id"] == subscription.pk
    body = sent_body(old_update)
    assert "/ikuti/" in body and "/lapor/berhenti/" in body
    assert client.get(path_of(re.search(r"https?://\S+/ikuti/\S+/", body).group(0))).status_code == 302
    body = sent_body(old_confirmation)
    assert f"/lapor/konfirmasi/{unconfirmed.confirmation_token}/" in body and "/lapor/berhenti/" in body


# --- the admin -------------------------------------------------------------------------------------------------


@pytest.fixture
def superuser(city):
    return make_user("super@banjarmasinkota.go.id", is_staff=True, is_superuser=True)


def test_the_administrator_group_does_not_read_who_an_anonymous_or_confidential_reports_emails_went_to(
    client, administrator, superuser
):
    private = {privacy: guest_files(privacy) for privacy in (Privacy.ANONYMOUS, Privacy.CONFIDENTIAL)}
    public = make_ticket(reporter=None, reporter_email="terbuka@example.id")
    shown = Notification.objects.create(
        dedup_key="ticket_update:1:terbuka@example.id",
        ticket=public,
        email="terbuka@example.id",
        template="ticket_update",
    )
    client.force_login(administrator)
    listing = client.get("/admin/complaints/notification/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert GUEST not in html and "terbuka@example.id" in html
    assert "Hidden: about an anonymous or confidential report" in html or "Disembunyikan" in html
    # Searching the address, or a deduplication key, does not find their rows.
    for term in (GUEST, "pelapor.rahasia", f"confirm_ticket:{private[Privacy.ANONYMOUS].pk}"):
        found = client.get("/admin/complaints/notification/", {"q": term})
        assert found.context["cl"].result_count == 0, term
    assert client.get("/admin/complaints/notification/", {"q": "terbuka"}).context["cl"].result_count == 1
    # Each row's page shows neither the address, the key nor the content (the reference, the title).
    for ticket in private.values():
        row = Notification.objects.get(ticket=ticket)
        page = client.get(reverse("admin:complaints_notification_change", args=[row.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert GUEST not in html and ticket.reference not in html and "Pungutan liar" not in html
    page = client.get(reverse("admin:complaints_notification_change", args=[shown.pk])).content.decode()
    assert "terbuka@example.id" in page

    # A superuser reads everything.
    client.force_login(superuser)
    assert client.get("/admin/complaints/notification/", {"q": GUEST}).context["cl"].result_count == 2


@pytest.mark.parametrize(
    "query",
    [
        {"email": GUEST},
        {"email__startswith": "pelapor"},
        {"dedup_key__contains": "rahasia"},
        {"ticket": "1"},
        {"recipient": "1"},
        {"context__reference": "BJM"},
    ],
)
def test_hand_made_filters_on_hidden_fields_are_refused(client, administrator, superuser, query):
    guest_files(Privacy.ANONYMOUS)
    for user in (administrator, superuser):
        client.force_login(user)
        assert client.get("/admin/complaints/notification/", query).status_code == 400, (user, query)
    client.force_login(administrator)
    assert client.get("/admin/complaints/notification/", {"state__exact": "pending"}).status_code == 200
    assert client.get("/admin/complaints/notification/", {"created_at__year": "2026"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"reporter_email": GUEST},
        {"reporter_email__icontains": "rahasia"},
        {"reporter": "1"},
        {"reporter_phone__startswith": "08"},
        {"reporter_name__icontains": "a"},
        {"attributes__nomor_pelanggan": "0123456789"},
    ],
)
def test_the_ticket_list_cannot_be_filtered_by_who_reported(client, administrator, query):
    guest_files(Privacy.ANONYMOUS)
    client.force_login(administrator)
    assert client.get("/admin/complaints/ticket/", {**query, "privacy__exact": "anonymous"}).status_code == 400
    assert client.get("/admin/complaints/ticket/", {"privacy__exact": "anonymous"}).status_code == 200


NUMBER = "0123456789"


@pytest.mark.parametrize("privacy", [Privacy.ANONYMOUS, Privacy.PUBLIC])
def test_the_ticket_admin_hides_what_the_staff_page_hides(client, citizen, administrator, superuser, privacy):
    ticket = make_ticket(
        service="air-mati",
        reporter=citizen,
        privacy=privacy,
        reporter_phone="0812777666",
        attributes={"nomor_pelanggan": NUMBER, "sejak": "2026-12-06"},
    )
    for user in (administrator, superuser):
        client.force_login(user)
        page = client.get(reverse("admin:complaints_ticket_change", args=[ticket.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        hidden = privacy == Privacy.ANONYMOUS
        assert (NUMBER not in html) is hidden, user
        assert (citizen.email not in html and "0812777666" not in html) is hidden, user
        assert "6 Des" in html or "6 Dec" in html  # the answer that does not identify them stays
