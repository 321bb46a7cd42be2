"""A supporter who follows by email only can stop a ticket's emails from the email itself."""

import re

from django.core import mail

from complaints.actions import confirm_support, support_confirmation_token, support_ticket
from complaints.events import record_event
from complaints.mail import deliver_notification
from complaints.models import EventType, Notification, Subscription
from complaints.notifications import notify_followers
from tests.factories import make_ticket


def test_update_email_carries_a_working_stop_link(city, client, django_capture_on_commit_callbacks):
    ticket = make_ticket()
    subscription = support_ticket(ticket=ticket, email="tetangga@example.id")
    confirm_support(token=support_confirmation_token(subscription.pk))  # from the emailed link

    with django_capture_on_commit_callbacks(execute=True):
        event = record_event(ticket=ticket, type=EventType.REPLY, payload={"message": "Petugas menuju lokasi."})
        notify_followers(ticket=ticket, event=event)

    notification = Notification.objects.get(email="tetangga@example.id", event=event)
    # With a broker configured the email waits for a worker; deliver it here the way the task does.
    deliver_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    body = next(m.body for m in mail.outbox if m.to == ["tetangga@example.id"])
    link = re.search(r"https?://\S+/lapor/berhenti/\S+/", body).group(0)

    path = "/" + link.split("/", 3)[3]
    client.post(path)
    client.get(path)
    subscription.refresh_from_db()
    assert subscription.active is False

    with django_capture_on_commit_callbacks(execute=True):
        later = record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Sudah diangkut."})
        notify_followers(ticket=ticket, event=later)
    assert not Notification.objects.filter(email="tetangga@example.id", event=later).exists()
    assert Subscription.objects.filter(ticket=ticket, email="tetangga@example.id", active=False).exists()


def test_the_stop_page_names_the_report_and_a_made_up_link_is_not_found(city, client):
    from complaints.actions import email_off_url

    ticket = make_ticket(title="Lampu jalan mati di Jalan Pramuka", description="Sudah seminggu gelap.")
    subscription = support_ticket(ticket=ticket, email="tetangga@example.id")
    confirm_support(token=support_confirmation_token(subscription.pk))  # from the emailed link
    path = "/" + email_off_url(subscription).split("/", 3)[3]

    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Stop emails about report {ticket.reference}?" in html and "Lampu jalan mati di Jalan Pramuka" in html
    assert "Sudah seminggu gelap." not in html and "pelapor@example.id" not in html  # the title is all it shows
    subscription.refresh_from_db()
    assert subscription.active  # only the button stops them

    for made_up in ("/lapor/berhenti/bukan-token/", path.replace("/berhenti/", "/berhenti/x")):
        assert client.get(made_up).status_code == 404
        assert client.post(made_up).status_code == 404
    # Pressed: asked again, the link says the emails are stopped instead of offering the button again.
    assert client.post(path).status_code == 200
    again = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"You will no longer receive emails about report {ticket.reference}." in again
    assert "Yes, stop these emails" not in again
    # A link we signed whose follow is gone (the account deleted, a "me too" never confirmed) says nothing is sent
    # any more (it was a bare "not found"), and names no report.
    subscription.delete()
    gone = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert gone.status_code == 410 and "This link sends you no more emails." in gone.content.decode()
    assert ticket.reference not in gone.content.decode()
