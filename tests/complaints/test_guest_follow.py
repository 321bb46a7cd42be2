"""A reporter without an account follows their report with the personal link from our emails, in their language.

The link opens their report (a confidential one too) exactly as a signed-in reporter sees it, lets them close the
loop, and opens nothing else; the emails show due dates in WITA, in the reader's language, under the right label.
"""

import datetime as dt
import re

import pytest
from django.core import signing
from django.utils import timezone, translation

from complaints import follow
from complaints.actions import confirm_email, file_ticket, resolve_ticket, start_work
from complaints.events import record_event
from complaints.mail import _render
from complaints.models import EventType, Notification, Privacy, Rating, Status, Subscription, Ticket
from complaints.notifications import notify_followers, notify_staff
from services.models import Area, Department
from tests.factories import make_ticket

GUEST = "tamu@example.id"
MAWAR = "63.71.05.1003"


def guest_ticket(*, privacy=Privacy.CONFIDENTIAL, status=Status.RESOLVED, language="id", **fields):
    fields.setdefault("resolved_at", timezone.now() if status == Status.RESOLVED else None)
    ticket = make_ticket(reporter=None, reporter_email=GUEST, privacy=privacy, status=status, **fields)
    Subscription.objects.create(ticket=ticket, email=GUEST, reason=Subscription.Reason.REPORTER, language=language)
    return ticket


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def open_follow_link(client, ticket):
    response = client.get(path_of(follow.follow_url(ticket)))
    assert response.status_code == 302 and response["Location"] == f"/laporan/{ticket.reference}/"
    return client.get(response["Location"])


def test_follow_link_opens_a_confidential_report_and_the_guest_confirms_and_rates(client, city):
    ticket = guest_ticket()
    other = guest_ticket(title="Laporan rahasia orang lain")
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 404  # as today without the link

    page = open_follow_link(client, ticket)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="close-loop"' in html and 'id="confirm-fixed"' in html and 'id="rating-form"' in html
    assert "Anda" in html  # "Reported by: You", as a signed-in reporter sees it
    assert 'id="emails-form"' in html and 'id="reporter-hint"' not in html
    assert "/ikuti/" not in html  # the token never reaches the page (nor its links)
    # The grant opens this ticket only.
    assert client.get(f"/laporan/{other.reference}/").status_code == 404
    assert client.post(f"/laporan/{other.reference}/selesai/").status_code == 404

    client.post(f"/laporan/{ticket.reference}/nilai/", {"score": "4", "comment": "Cepat."})
    assert Rating.objects.get(ticket=ticket).score == 4
    client.post(f"/laporan/{ticket.reference}/selesai/")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    confirmed = ticket.events.get(type=EventType.CONFIRMED)
    assert confirmed.actor is None
    other.refresh_from_db()
    assert other.status == Status.RESOLVED


def test_guest_reopens_with_a_reason_answers_a_question_and_switches_emails_off(client, city):
    ticket = guest_ticket(privacy=Privacy.PUBLIC)
    open_follow_link(client, ticket)
    client.post(f"/laporan/{ticket.reference}/buka-kembali/", {"reason": "Sampahnya masih ada."})
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    reopened = ticket.events.get(type=EventType.REOPENED)
    # The guest made this change: no email to them about it.
    assert not Notification.objects.filter(event=reopened, email=GUEST).exists()

    record_event(ticket=ticket, type=EventType.INFO_REQUESTED, payload={"message": "Di gang yang mana?"})
    assert 'id="info-form"' in client.get(f"/laporan/{ticket.reference}/").content.decode()
    client.post(f"/laporan/{ticket.reference}/info/", {"message": "Gang Mawar 3."})
    answer = ticket.events.get(type=EventType.CITIZEN_INFO)
    assert answer.payload["by"] == "reporter" and answer.actor is None

    client.post(f"/laporan/{ticket.reference}/email/", {"enabled": "0"})
    ticket.refresh_from_db()
    assert ticket.notify_reporter is False
    assert not Subscription.objects.get(ticket=ticket, email=GUEST).active


def test_wrong_forged_or_moved_tokens_answer_404(client, city):
    ticket = guest_ticket()
    other = guest_ticket()
    token = follow.follow_url(ticket).rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/laporan/{other.reference}/ikuti/{token}/").status_code == 404  # moved to another ticket
    assert client.get(f"/laporan/{ticket.reference}/ikuti/{token[:-2]}xx/").status_code == 404  # tampered
    forged = signing.dumps(ticket.reference, salt=follow.FOLLOW_SALT)  # right key, wrong binding
    assert client.get(f"/laporan/{ticket.reference}/ikuti/{forged}/").status_code == 404
    Ticket.objects.filter(pk=ticket.pk).update(reporter_email="baru@example.id")
    assert client.get(f"/laporan/{ticket.reference}/ikuti/{token}/").status_code == 404  # signed for the old address
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 404


def test_a_grant_stops_working_when_the_reporter_address_changes(client, city):
    ticket = guest_ticket()
    open_follow_link(client, ticket)
    Ticket.objects.filter(pk=ticket.pk).update(reporter_email="baru@example.id")
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 404


def test_a_signed_in_reporters_ticket_has_no_follow_link_and_other_accounts_get_nothing(client, citizen, city):
    ticket = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL)
    assert not follow.has_follow_link(ticket)
    forged = signing.dumps(ticket.reference, salt=f"{follow.FOLLOW_SALT}:{ticket.pk}:{citizen.email}")
    assert client.get(f"/laporan/{ticket.reference}/ikuti/{forged}/").status_code == 404


def test_logged_out_visitor_of_a_resolved_public_report_is_told_where_to_act(client, city):
    ticket = guest_ticket(privacy=Privacy.PUBLIC)
    html = client.get(f"/laporan/{ticket.reference}/").content.decode()
    assert 'id="reporter-hint"' in html and 'id="close-loop"' not in html


def test_confirming_the_address_opens_the_report_in_that_browser(client, city):
    with translation.override("en"):
        ticket = file_ticket(
            title="Lampu jalan mati",
            description="Sudah seminggu.",
            area=Area.objects.get(code=MAWAR),
            privacy=Privacy.CONFIDENTIAL,
            reporter_email="Tamu.Baru@example.id",
        )
    response = client.post(f"/lapor/konfirmasi/{ticket.confirmation_token}/")
    assert 'id="follow-report"' in response.content.decode()
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 200


# --- the emails ------------------------------------------------------------------------------------


def update_for(ticket, event, email=GUEST) -> tuple[Notification, str, str]:
    notification = Notification.objects.get(event=event, email=email)
    subject, body = _render(notification)
    return notification, subject, body


def test_a_guest_filing_in_english_gets_every_email_in_english_with_the_personal_link(client, city):
    with translation.override("en"):
        ticket = file_ticket(
            title="Streetlight out",
            description="Dark for a week.",
            area=Area.objects.get(code=MAWAR),
            privacy=Privacy.CONFIDENTIAL,
            reporter_email=GUEST,
        )
    assert Notification.objects.get(template="confirm_ticket").language == "en"
    confirm_email(token=ticket.confirmation_token)
    # 16:30 UTC is half past midnight the next day in WITA: the emails show the WITA day.
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Status.ROUTED,
        department=Department.objects.get(code="dlh"),
        response_due_at=dt.datetime(2026, 12, 8, 16, 30, tzinfo=dt.UTC),
        resolution_due_at=dt.datetime(2026, 12, 15, 16, 30, tzinfo=dt.UTC),
    )
    ticket.refresh_from_db()
    event = record_event(ticket=ticket, type=EventType.ROUTED, payload={"department": "DLH"})
    notify_followers(ticket=ticket, event=event)
    notification, subject, body = update_for(ticket, event)
    assert notification.language == "en"
    assert "Sent to department" in subject
    assert "The department verifies it by 9 December 2026." in body
    assert "Follow-up due by 16 December 2026." in body
    assert "2026-12" not in body and "Answer due" not in body
    link = re.search(r"https?://\S+/laporan/\S+/ikuti/\S+/", body).group(0)
    assert "on the report's page" not in body and "/lapor/berhenti/" in body
    assert "This link is personal" in body

    page = client.get(path_of(link), follow=True)
    assert page.status_code == 200 and ticket.reference in page.content.decode()


def test_update_emails_format_dates_in_indonesian_and_label_them(city):
    ticket = guest_ticket(
        status=Status.ROUTED,
        response_due_at=dt.datetime(2026, 12, 8, 16, 30, tzinfo=dt.UTC),
        resolution_due_at=dt.datetime(2026, 12, 15, 3, 0, tzinfo=dt.UTC),
    )
    event = record_event(ticket=ticket, type=EventType.ROUTED, payload={"department": "DLH"})
    notify_followers(ticket=ticket, event=event)
    _notification, _subject, body = update_for(ticket, event)
    assert "9 Desember 2026" in body and "15 Desember 2026" in body
    assert "2026-12" not in body


def test_the_resolved_email_tells_the_reporter_what_to_do_and_until_when(city, staff_dlh):
    ticket = guest_ticket(status=Status.IN_PROGRESS, department="dlh", language="en")
    resolve_ticket(ticket=ticket, actor=staff_dlh, note="Sudah diangkut.")
    event = ticket.events.get(type=EventType.RESOLVED)
    _notification, _subject, body = update_for(ticket, event)
    assert "Please confirm it on your report's page, or reopen it" in body
    assert re.search(r"You can reopen or rate it until \d{1,2} \w+ \d{4}\.", body)
    assert "/ikuti/" in body


def test_supporters_get_the_public_page_and_no_reporter_instructions(city, staff_dlh):
    from complaints.actions import confirm_support, support_confirmation_token, support_ticket

    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh")
    with translation.override("en"):
        supporter = support_ticket(ticket=ticket, email="tetangga@example.id")
    confirm_support(token=support_confirmation_token(supporter.pk))  # from the emailed link
    resolve_ticket(ticket=ticket, actor=staff_dlh, note="Sudah diangkut.")
    event = ticket.events.get(type=EventType.RESOLVED)
    notification, _subject, body = update_for(ticket, event, email="tetangga@example.id")
    assert notification.language == "en"
    assert f"/laporan/{ticket.reference}/\n" in body and "/ikuti/" not in body
    assert "Please confirm it" not in body and "because you support this report" in body


def test_work_started_is_emailed_to_followers_who_want_emails(city, staff_dlh):
    ticket = guest_ticket(status=Status.ACKNOWLEDGED, department="dlh")
    start_work(ticket=ticket, actor=staff_dlh)
    event = ticket.events.get(type=EventType.STARTED)
    _notification, subject, body = update_for(ticket, event)
    assert "Penanganan dimulai" in subject  # "Work started"
    assert "Batas waktu tindak lanjut" in body

    quiet = guest_ticket(status=Status.ACKNOWLEDGED, department="dlh")
    Ticket.objects.filter(pk=quiet.pk).update(notify_reporter=False)
    quiet.refresh_from_db()
    start_work(ticket=quiet, actor=staff_dlh)
    assert not Notification.objects.filter(ticket=quiet, template="ticket_update").exists()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_staff_email_links_the_staff_ticket_page(city, staff_dlh, language):
    staff_dlh.language = language
    staff_dlh.save(update_fields=["language"])
    ticket = make_ticket(department="dlh", response_due_at=dt.datetime(2026, 12, 8, 16, 30, tzinfo=dt.UTC))
    event = record_event(ticket=ticket, type=EventType.ROUTED, payload={"department": "DLH"})
    notify_staff(ticket=ticket, event=event, users=[staff_dlh], include_department_email=False)
    notification = Notification.objects.get(event=event, email=staff_dlh.email)
    _subject, body = _render(notification)
    assert re.search(rf"https?://\S+/staf/tiket/{ticket.reference}/", body)
    assert ("9 Desember 2026" if language == "id" else "9 December 2026") in body


def test_a_used_confirmation_link_opens_the_report_in_no_other_browser(client, city):
    """A confirmation email is forwarded, kept in old mailboxes, opened on shared computers: once used, its link
    confirms nothing more and opens the confidential report nowhere else, nor again after "Forget this browser"."""
    ticket = file_ticket(
        title="Orang terlantar",
        description="Di depan Jl. Rahasia No 12.",
        area=Area.objects.get(code=MAWAR),
        privacy=Privacy.CONFIDENTIAL,
        reporter_email=GUEST,
    )
    link = f"/lapor/konfirmasi/{ticket.confirmation_token}/"
    assert 'id="follow-report"' in client.post(link).content.decode()
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 200
    # The browser that confirmed it, opening the link again, still finds its way to the report.
    assert 'id="follow-report"' in client.get(link).content.decode()

    other_browser = client.__class__()
    for response in (other_browser.get(link), other_browser.post(link)):
        page = response.content.decode()
        assert response.status_code == 200 and 'id="follow-report"' not in page
        assert 'id="confirm-report"' not in page  # nothing left to press
    assert other_browser.get(f"/laporan/{ticket.reference}/").status_code == 404

    client.post(f"/laporan/{ticket.reference}/lupakan/")
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 404
    client.post(link)
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 404
    # The reporter still follows it with the personal link our emails carry.
    open_follow_link(other_browser, ticket)
