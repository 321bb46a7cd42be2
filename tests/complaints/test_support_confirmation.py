""" "Me too" without an account is confirmed from the address before it counts, as a report filed without one is.

A QA walk sent 15 made-up addresses from one internet address, each in a fresh session: all were counted at once on
the public page (and in the queue, exports and APIs that rank by it) and subscribed to the report's emails. Now each
address gets one email with a link to a button; only the button counts it and starts the updates. One internet
address may say "me too" a limited number of times. Supporters' update emails speak to them as supporters.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from complaints.actions import confirm_support, support_confirmation_token, support_ticket
from complaints.actions.intake import SUPPORT_CONFIRMATION_DAYS
from complaints.actions.retention import apply_retention
from complaints.events import record_event
from complaints.mail import deliver_notification
from complaints.models import EventType, Notification, Status, Subscription, TicketEvent
from complaints.notifications import notify_followers
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

GUEST = "tetangga.tamu@example.id"


def me_too(ticket, email, *, client=None, ip="10.20.30.40", **headers):
    """A "me too" from the report's page; a fresh browser (session) unless ``client`` is given."""
    return (client or Client()).post(
        f"/laporan/{ticket.reference}/dukung/", {"email": email}, REMOTE_ADDR=ip, **headers
    )


def send_all(**filters) -> list:
    """Send the queued emails (with a broker they wait for a worker: sent here the way its task does)."""
    pending = Notification.objects.filter(state=Notification.State.PENDING, **filters)
    for notification in pending:
        deliver_notification(notification_id=notification.pk)
    return list(mail.outbox)


def update_emails_to(email: str) -> list[Notification]:
    return list(Notification.objects.filter(email=email, template=Notification.Template.TICKET_UPDATE))


def confirmation_path(email: str) -> str:
    body = next(m.body for m in reversed(send_all(template="confirm_support")) if m.to == [email])
    link = re.search(r"https?://\S+/dukung/\S+/", body).group(0)
    return "/" + link.split("/", 3)[3]


def test_made_up_addresses_from_one_connection_move_no_count_and_get_no_updates(city, staff_dlh):
    ticket = make_ticket(department="dlh")
    made_up = [f"fake{i}@example.org" for i in range(15)]
    for email in made_up:
        assert me_too(ticket, email).status_code == 302

    ticket.refresh_from_db()
    assert ticket.support_count == 0
    assert not TicketEvent.objects.filter(ticket=ticket, type=EventType.SUPPORTED).exists()
    assert 'id="support-count">0<' in Client().get(f"/laporan/{ticket.reference}/").content.decode()
    # Each address got one confirmation email, and no update.
    assert sorted(Notification.objects.filter(template="confirm_support").values_list("email", flat=True)) == sorted(
        made_up
    )
    event = record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Segera."})
    notify_followers(ticket=ticket, event=event)
    assert not any(update_emails_to(email) for email in made_up)

    # Asked again and again for one address: no second email within the hours.
    for _ in range(3):
        me_too(ticket, made_up[0])
    assert Notification.objects.filter(template="confirm_support", email=made_up[0]).count() == 1


def test_the_guest_is_told_once_that_the_page_waits_for_their_confirmation(city):
    """A phone showed a message at the top and the box that waits for the confirmation, saying the same thing twice:
    the box alone says it now, and the browser is taken down to it."""
    ticket = make_ticket()
    browser = Client()
    response = me_too(ticket, GUEST, client=browser, HTTP_ACCEPT_LANGUAGE="en")
    assert response.url == f"/laporan/{ticket.reference}/#support-form"
    page = browser.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Check your email to confirm your support" not in page
    assert page.count(GUEST) == 2  # the waiting box's sentence, and the address in the form that sends it again
    assert 'id="support-waiting"' in page and "Until then your support is not counted" in page
    assert "at most once every 6 hours" in page
    assert f'value="{GUEST}"' in page  # the form sends the link again to the same address
    # Another browser knows nothing of it.
    assert 'id="support-waiting"' not in Client().get(f"/laporan/{ticket.reference}/").content.decode()


def test_confirming_from_the_email_counts_once_subscribes_and_the_browser_remembers(city, staff_dlh):
    ticket = make_ticket(department="dlh", title="Lampu jalan mati di Jalan Pramuka")
    me_too(ticket, GUEST, HTTP_ACCEPT_LANGUAGE="en")
    email = next(m for m in send_all(template="confirm_support") if m.to == [GUEST])
    assert email.subject == f"[{ticket.reference}] Please confirm your support"
    assert (
        "Lampu jalan mati di Jalan Pramuka" in email.body
        and f"works for {SUPPORT_CONFIRMATION_DAYS} days" in email.body
    )
    assert "/lapor/berhenti/" not in email.body  # nothing to stop yet
    path = confirmation_path(GUEST)

    phone = Client()  # opened on another device than the one that asked
    page = phone.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'id="confirm-support"' in page.content.decode()
    ticket.refresh_from_db()
    assert ticket.support_count == 0  # a mail scanner's GET confirms nothing

    done = phone.post(path, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200 and "Thank you, your support is confirmed" in done.content.decode()
    phone.post(path)  # twice: still one supporter
    ticket.refresh_from_db()
    assert ticket.support_count == 1
    assert TicketEvent.objects.filter(ticket=ticket, type=EventType.SUPPORTED, payload__count=1).count() == 1
    subscription = Subscription.objects.get(ticket=ticket, email=GUEST)
    assert subscription.email_confirmed and subscription.active and subscription.language == "en"

    report = phone.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"You support this report. We email its updates to {GUEST}." in report
    assert 'id="support-form"' not in report and 'id="support-count">1<' in report

    event = record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Segera."})
    notify_followers(ticket=ticket, event=event)
    assert len(update_emails_to(GUEST)) == 1


def test_a_link_for_another_report_forged_or_of_a_closed_report_counts_nothing(city):
    ticket = make_ticket()
    other = make_ticket()
    subscription = support_ticket(ticket=ticket, email=GUEST)
    token = support_confirmation_token(subscription.pk)
    assert Client().get(f"/laporan/{other.reference}/dukung/{token}/").status_code == 404
    assert Client().post(f"/laporan/{ticket.reference}/dukung/{token}x/").status_code == 404

    ticket.status = Status.CLOSED
    ticket.save(update_fields=["status"])
    page = Client().get(f"/laporan/{ticket.reference}/dukung/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="confirm-support"' not in page.content.decode()
    refused = Client().post(f"/laporan/{ticket.reference}/dukung/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "This report is no longer open." in refused.content.decode()
    ticket.refresh_from_db()
    assert ticket.support_count == 0


def test_the_limit_per_connection_refuses_with_a_message_and_keeps_the_address(city, settings):
    settings.SUPPORT_IP_RATE_LIMIT = "3/h"
    tickets = [make_ticket() for _ in range(4)]
    for ticket in tickets[:3]:
        assert me_too(ticket, GUEST, ip="114.122.0.9").status_code == 302

    refused = me_too(tickets[3], "warga.lain@example.id", ip="114.122.0.9", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Many “me too”s were sent from your internet connection in a short time" in html
    assert re.search(r"Please try again in \d+ minutes?\.", html)
    assert 'value="warga.lain@example.id"' in html  # what was typed is still there
    assert not Subscription.objects.filter(ticket=tickets[3]).exists()

    # From the filing form's similar reports (htmx): the message goes next to the button, the form stays as it was.
    partial = Client().post(
        f"/laporan/{tickets[3].reference}/dukung/",
        {"reporter_email": "warga.lain@example.id"},
        REMOTE_ADDR="114.122.0.9",
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert partial.status_code == 400 and "Many “me too”s were sent" in partial.content.decode()
    # Another connection is not held back by this one.
    assert me_too(tickets[3], "warga.lain@example.id", ip="10.1.1.1").status_code == 302


def test_from_the_filing_form_a_guest_is_told_to_check_their_email_there(city):
    ticket = make_ticket()
    answer = Client().post(
        f"/laporan/{ticket.reference}/dukung/",
        {"reporter_email": GUEST},
        REMOTE_ADDR="10.20.30.40",
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 200 and "HX-Redirect" not in answer.headers
    assert f"Check your email to confirm your support: we sent a link to {GUEST}." in answer.content.decode()
    ticket.refresh_from_db()
    assert ticket.support_count == 0


def test_a_signed_in_citizen_supports_at_once(client, citizen, other_citizen):
    ticket = make_ticket(reporter=other_citizen)
    client.force_login(citizen)
    assert client.post(f"/laporan/{ticket.reference}/dukung/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.support_count == 1
    assert Subscription.objects.get(ticket=ticket, user=citizen).active
    assert not Notification.objects.filter(template="confirm_support").exists()


def test_an_address_that_follows_or_filed_gets_the_same_answer(city):
    """The answer never says whether the address supports or filed the report already."""
    ticket = make_ticket(reporter_email="pelapor.tamu@example.id")
    Subscription.objects.create(ticket=ticket, email="pelapor.tamu@example.id", reason=Subscription.Reason.REPORTER)
    answers = [me_too(ticket, email, HTTP_ACCEPT_LANGUAGE="en") for email in ("pelapor.tamu@example.id", GUEST)]
    assert {answer.status_code for answer in answers} == {302}
    # The reporter's address is sent nothing; it was not a supporter.
    assert list(Notification.objects.filter(template="confirm_support").values_list("email", flat=True)) == [GUEST]
    ticket.refresh_from_db()
    assert ticket.support_count == 0


def test_update_emails_speak_to_supporters_as_supporters_and_to_the_reporter_as_before(city, staff_dlh):
    ticket = make_ticket(department="dlh", reporter_email="pelapor.tamu@example.id")
    Subscription.objects.create(
        ticket=ticket, email="pelapor.tamu@example.id", reason=Subscription.Reason.REPORTER, language="en"
    )
    supporter = support_ticket(ticket=ticket, email=GUEST)
    Subscription.objects.filter(pk=supporter.pk).update(language="en")
    confirm_support(token=support_confirmation_token(supporter.pk))
    event = record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Segera."})
    notify_followers(ticket=ticket, event=event)
    sent = send_all(template="ticket_update")

    to_supporter = next(m.body for m in sent if m.to == [GUEST])
    assert to_supporter.startswith(f"A report you support has news. {ticket.reference}: ")
    assert "Your report" not in to_supporter and "Follow your report" not in to_supporter
    assert "Follow the report here" in to_supporter and "because you support this report" in to_supporter
    to_reporter = next(m.body for m in sent if m.to == ["pelapor.tamu@example.id"])
    assert to_reporter.startswith(f"Your report {ticket.reference} has an update: ")
    assert "Follow your report here" in to_reporter and "because you filed this report" in to_reporter


def test_unconfirmed_supports_go_with_their_emails_once_the_link_expired(city):
    ticket = make_ticket()
    expired = support_ticket(ticket=ticket, email=GUEST)
    recent = support_ticket(ticket=ticket, email="baru@example.id")
    confirmed = support_ticket(ticket=ticket, email="sudah@example.id")
    confirm_support(token=support_confirmation_token(confirmed.pk))
    long_ago = timezone.now() - dt.timedelta(days=SUPPORT_CONFIRMATION_DAYS, hours=1)
    Subscription.objects.filter(pk__in=[expired.pk, confirmed.pk]).update(confirmation_sent_at=long_ago)

    assert apply_retention()["unconfirmed_supports"] == 1
    assert set(Subscription.objects.filter(ticket=ticket).values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert not Notification.objects.filter(email=GUEST).exists()
    assert Notification.objects.filter(email="baru@example.id", template="confirm_support").exists()
    token = support_confirmation_token(expired.pk)
    assert Client().get(f"/laporan/{ticket.reference}/dukung/{token}/").status_code == 404
    assert apply_retention()["unconfirmed_supports"] == 0


def test_a_merge_gives_the_target_the_updates_of_an_address_confirmed_on_the_duplicate(city, staff_dlh):
    """A guest who confirmed "me too" on report A and is still waiting on report B follows B once A is merged into B
    (they lost A's updates and got none of B's until confirming there); confirming B's link later counts nothing
    twice."""
    from complaints.actions import merge_ticket

    duplicate, target = make_ticket(department="dlh"), make_ticket(department="dlh")
    confirm_support(token=support_confirmation_token(support_ticket(ticket=duplicate, email=GUEST).pk))
    waiting = support_ticket(ticket=target, email=GUEST)
    assert not waiting.email_confirmed
    merge_ticket(ticket=duplicate, into=target, actor=staff_dlh)
    waiting.refresh_from_db()
    assert waiting.active and waiting.email_confirmed
    target.refresh_from_db()
    counted = target.support_count
    confirm_support(token=support_confirmation_token(waiting.pk))
    target.refresh_from_db()
    assert target.support_count == counted


def test_a_link_opened_again_once_confirmed_says_so_and_counts_nothing_more(city):
    """Opened in another browser after confirming, the link offered the "Confirm your support" button again."""
    ticket = make_ticket()
    me_too(ticket, GUEST)
    path = confirmation_path(GUEST)
    Client().post(path)

    other_browser = Client()
    page = other_browser.get(path, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="support-already-confirmed"' in html
    assert "This “me too” is already confirmed" in html and 'id="confirm-support"' not in html
    ticket.refresh_from_db()
    assert ticket.support_count == 1
    # That browser shows the report as followed, as the one that confirmed does.
    report = other_browser.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"You support this report. We email its updates to {GUEST}." in report

    # Pressed anyway (a page kept open from before): still one supporter.
    assert other_browser.post(path).status_code == 200
    ticket.refresh_from_db()
    assert ticket.support_count == 1


def test_the_confirmation_page_and_email_name_the_service_in_the_readers_language(city):
    """The English page and email showed only the report's title; the demo's titles are the services' Indonesian
    names ("Bencana dan tanah longsor…"), while staff pages name the service in English."""
    ticket = make_ticket(service="bencana", title="Bencana dan tanah longsor atau turap runtuh")
    service = ticket.service
    me_too(ticket, GUEST, HTTP_ACCEPT_LANGUAGE="en")
    me_too(ticket, "warga.id@example.id", HTTP_ACCEPT_LANGUAGE="id")
    sent = send_all(template="confirm_support")
    english = next(m.body for m in sent if m.to == [GUEST])
    indonesian = next(m.body for m in sent if m.to == ["warga.id@example.id"])
    assert f"Service: {service.name_en}" in english and service.name_id not in english.replace(ticket.title, "")
    assert f"Layanan: {service.name_id}" in indonesian

    page = Client().get(confirmation_path(GUEST), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<span id="service">{service.name_en}</span>' in page
