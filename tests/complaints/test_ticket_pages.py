import datetime as dt

import pytest
from django.utils import timezone

from complaints.actions import (
    add_citizen_info,
    ask_for_information,
    citizen_reopen,
    confirm_resolution,
    rate_ticket,
    set_ticket_emails,
    support_ticket,
)
from complaints.events import record_event
from complaints.models import EventType, Notification, Privacy, Rating, Status, Subscription, Ticket
from complaints.queries import can_see_reporter
from tests.factories import make_ticket


def resolved(reporter, **fields):
    fields.setdefault("resolved_at", timezone.now())
    ticket = make_ticket(reporter=reporter, status=Status.RESOLVED, **fields)
    record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Sampah sudah diangkut truk DLH."})
    return ticket


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize("privacy", [Privacy.CONFIDENTIAL, Privacy.PUBLIC])
def test_guessing_another_citizens_non_public_ticket_answers_404(client, citizen, other_citizen, privacy):
    # Confidential, or public but not yet routed (submitted): neither is public.
    status = Status.ROUTED if privacy == Privacy.CONFIDENTIAL else Status.SUBMITTED
    ticket = make_ticket(reporter=citizen, privacy=privacy, status=status)
    client.force_login(other_citizen)
    for url in [f"/laporan/{ticket.reference}/", f"/laporan/{ticket.reference}/info/"]:
        assert client.get(url).status_code in (404, 405)
    assert client.post(f"/laporan/{ticket.reference}/dukung/").status_code == 404
    assert client.post(f"/laporan/{ticket.reference}/info/", {"message": "x"}).status_code == 404
    client.logout()
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 404
    client.force_login(citizen)
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 200


def test_confidential_ticket_never_appears_on_public_pages_or_map(client, citizen, city):
    secret = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL, title="Rahasia pungli di sekolah")
    public = make_ticket(reporter=citizen, title="Lampu jalan mati di Jalan Pramuka")
    listing = client.get("/laporan/").content.decode()
    assert public.reference in listing and secret.reference not in listing
    assert "Rahasia pungli" not in listing
    points = client.get("/laporan/peta.json").json()["features"]
    references = {f["properties"]["reference"] for f in points}
    assert public.reference in references and secret.reference not in references
    assert client.get(f"/laporan/{secret.reference}/").status_code == 404


def test_anonymous_reporter_is_never_revealed(client, citizen, staff_dlh, inspector):
    ticket = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS, title="Pembuangan limbah malam hari")
    assert not can_see_reporter(staff_dlh, ticket)
    assert not can_see_reporter(inspector, ticket)
    assert can_see_reporter(citizen, ticket)
    for user in (None, staff_dlh):
        if user:
            client.force_login(user)
        page = client.get(f"/laporan/{ticket.reference}/").content.decode()
        assert "Siti Warga" not in page and "warga@example.id" not in page
    listing = client.get("/laporan/").content.decode()
    assert ticket.reference in listing and "Siti Warga" not in listing
    assert "Siti Warga" not in str(client.get("/laporan/peta.json").json())


def test_public_ticket_shows_name_only_when_opted_in_and_never_contact(client, citizen):
    hidden = make_ticket(reporter=citizen, reporter_phone="0812000111")
    shown = make_ticket(reporter=citizen, show_name=True, reporter_phone="0812000111")
    assert "Siti Warga" not in client.get(f"/laporan/{hidden.reference}/").content.decode()
    page = client.get(f"/laporan/{shown.reference}/").content.decode()
    assert "Siti Warga" in page
    assert "warga@example.id" not in page and "0812000111" not in page


def test_public_list_filters(client, city, django_assert_max_num_queries):
    from services.models import Area

    waste = make_ticket(title="Sampah A")
    road = make_ticket(service="jalan-rusak", title="Jalan B", kelurahan="63.71.01.1001")
    make_ticket(title="Sampah lama", created_at=timezone.now() - dt.timedelta(days=40))
    for _ in range(20):
        make_ticket(title="Banyak")
    with django_assert_max_num_queries(12):
        page = client.get("/laporan/").content.decode()
    assert waste.reference in page
    by_service = client.get(f"/laporan/?service={road.service_id}").content.decode()
    assert road.reference in by_service and waste.reference not in by_service
    kecamatan = Area.objects.get(code="63.71.01")
    by_area = client.get(f"/laporan/?kecamatan={kecamatan.pk}").content.decode()
    assert road.reference in by_area and waste.reference not in by_area
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    recent = client.get(f"/laporan/peta.json?date_from={since}").json()["features"]
    assert "Sampah lama" not in {f["properties"]["title"] for f in recent}
    assert client.get("/laporan/?status=resolved").status_code == 200


def test_public_list_says_when_the_dates_are_the_wrong_way_round(client, city):
    old = make_ticket(title="Sampah lama", created_at=timezone.now() - dt.timedelta(days=40))
    new = make_ticket(title="Sampah baru")
    today = timezone.localdate()
    page = client.get(
        "/laporan/", {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=60)).isoformat()}
    )
    html = page.content.decode()
    assert "Tanggal mulai tidak boleh setelah tanggal akhir." in html
    assert 'id="id_date_to-error"' in html and 'aria-invalid="true"' in html
    # The start date still filters, and both dates stay in their boxes.
    assert new.reference in html and old.reference not in html
    assert f'value="{today.isoformat()}"' in html


def test_one_refused_public_filter_does_not_drop_the_others(client, city):
    road = make_ticket(service="jalan-rusak", title="Jalan B")
    waste = make_ticket(title="Sampah A")
    html = client.get("/laporan/", {"service": road.service_id, "date_from": "2026-13-45"}).content.decode()
    assert road.reference in html and waste.reference not in html


@pytest.mark.parametrize("language,phrase", [("id", 'lang="id"'), ("en", "Timeline")])
def test_ticket_page_in_both_languages(client, city, language, phrase):
    ticket = make_ticket()
    page = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200 and phrase in page.content.decode()


# --- my reports -----------------------------------------------------------------------------


def test_my_reports_lists_filed_and_followed_with_department_and_due(
    client, citizen, other_citizen, django_assert_max_num_queries
):
    mine = make_ticket(reporter=citizen, title="Punyaku")
    followed = make_ticket(reporter=other_citizen, title="Punya tetangga")
    support_ticket(ticket=followed, user=citizen)
    make_ticket(reporter=other_citizen, title="Bukan urusanku")
    for _ in range(10):
        make_ticket(reporter=citizen, title="Lagi")
    client.force_login(citizen)
    with django_assert_max_num_queries(12):
        page = client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mine.reference in page and followed.reference in page and "Bukan urusanku" not in page
    assert "DLH" in page and "due" in page
    only_followed = client.get("/laporan-saya/?role=following").content.decode()
    assert followed.reference in only_followed and mine.reference not in only_followed
    assert client.get("/laporan-saya/?status=closed").status_code == 200


def test_my_reports_needs_login(client, city):
    assert client.get("/laporan-saya/").status_code == 302


# --- me too ---------------------------------------------------------------------------------


def test_me_too_supports_once_and_follows(client, citizen, other_citizen):
    ticket = make_ticket(reporter=other_citizen)
    client.force_login(citizen)
    client.post(f"/laporan/{ticket.reference}/dukung/")
    client.post(f"/laporan/{ticket.reference}/dukung/")
    ticket.refresh_from_db()
    assert ticket.support_count == 1
    assert Subscription.objects.filter(ticket=ticket, user=citizen, reason="supporter").exists()
    page = client.get(f"/laporan/{ticket.reference}/").content.decode()
    assert 'id="support-count">1<' in page


def test_me_too_without_account_by_email(client, other_citizen):
    ticket = make_ticket(reporter=other_citizen)
    client.post(f"/laporan/{ticket.reference}/dukung/", {"email": "Tamu@Example.id"})
    assert Subscription.objects.filter(ticket=ticket, email="tamu@example.id").exists()


def test_reporter_cannot_support_own_ticket(citizen):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        support_ticket(ticket=make_ticket(reporter=citizen), user=citizen)


# --- adding information ---------------------------------------------------------------------


def test_reporter_answers_a_staff_question_and_the_department_is_told(client, citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED)
    # Asked as staff ask: the department then waits for the answer, and only then does the page ask it.
    ask_for_information(ticket=ticket, actor=staff_dlh, message="Di RT berapa?")
    question = ticket.events.get(type=EventType.INFO_REQUESTED)
    client.force_login(citizen)
    page = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Di RT berapa?" in page and "Answer the department" in page
    client.post(f"/laporan/{ticket.reference}/info/", {"message": "RT 05, dekat musala."})
    event = ticket.events.get(type=EventType.CITIZEN_INFO)
    assert event.payload["answer_to"] == question.pk and event.public
    assert Notification.objects.filter(event=event, template="staff_ticket").exists()


def test_follower_can_add_info_but_a_stranger_cannot(citizen, other_citizen):
    from django.core.exceptions import PermissionDenied

    ticket = make_ticket(reporter=other_citizen)
    with pytest.raises(PermissionDenied):
        add_citizen_info(ticket=ticket, actor=citizen, message="Saya juga lihat")
    support_ticket(ticket=ticket, user=citizen)
    assert add_citizen_info(ticket=ticket, actor=citizen, message="Saya juga lihat").payload["by"] == "follower"


def test_anonymous_reporter_info_has_no_actor(citizen):
    ticket = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS)
    event = add_citizen_info(ticket=ticket, actor=citizen, message="Tambahan")
    assert event.actor is None


# --- closing the loop -----------------------------------------------------------------------


def test_reporter_confirms_and_rates(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    page = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sampah sudah diangkut truk DLH." in page and "Yes, it is fixed" in page
    client.post(f"/laporan/{ticket.reference}/selesai/")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.closed_at
    client.post(f"/laporan/{ticket.reference}/nilai/", {"score": "4", "comment": "Cepat"})
    assert Rating.objects.get(ticket=ticket).score == 4
    assert ticket.events.filter(type=EventType.RATED).exists()


def test_reopen_within_window_tells_the_department(citizen, staff_dlh):
    ticket = resolved(citizen)
    citizen_reopen(ticket=ticket, actor=citizen, reason="Masih ada sampah di ujung gang.")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.resolved_at is None  # not resolved after all: open work in every figure, as a head's reopening
    event = ticket.events.get(type=EventType.REOPENED)
    assert event.payload["reason"] == "Masih ada sampah di ujung gang."
    emails = set(Notification.objects.filter(event=event).values_list("email", flat=True))
    assert staff_dlh.email in emails and "dlh@banjarmasinkota.go.id" in emails


def test_reopen_needs_a_reason_and_the_window(client, citizen):
    from django.core.exceptions import ValidationError

    ticket = resolved(citizen)
    client.force_login(citizen)
    response = client.post(f"/laporan/{ticket.reference}/buka-kembali/", {"reason": ""})
    assert response.status_code == 400
    late = resolved(citizen, close_window_ends_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        citizen_reopen(ticket=late, actor=citizen, reason="Belum beres")
    # Without a window set by the department: 10 working days after resolution.
    old = resolved(citizen, resolved_at=timezone.now() - dt.timedelta(days=30))
    with pytest.raises(ValidationError):
        citizen_reopen(ticket=old, actor=citizen, reason="Belum beres")


def test_only_the_reporter_closes_the_loop(citizen, other_citizen):
    from django.core.exceptions import PermissionDenied

    ticket = resolved(citizen)
    with pytest.raises(PermissionDenied):
        confirm_resolution(ticket=ticket, actor=other_citizen)
    with pytest.raises(PermissionDenied):
        rate_ticket(ticket=ticket, actor=other_citizen, score=1)


def test_rating_is_1_to_5(citizen):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rate_ticket(ticket=resolved(citizen), actor=citizen, score=6)


def test_emails_can_be_switched_off_per_ticket(client, citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen)
    client.force_login(citizen)
    client.post(f"/laporan/{ticket.reference}/email/", {"enabled": "0"})
    ticket.refresh_from_db()
    assert not ticket.notify_reporter
    from complaints.notifications import notify_followers

    event = record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Kami cek"})
    assert notify_followers(ticket=ticket, event=event) == 0
    set_ticket_emails(ticket=ticket, actor=citizen, enabled=True)
    assert notify_followers(ticket=ticket, event=event) == 1


def test_ticket_page_query_count_does_not_grow_with_the_timeline(
    client, citizen, staff_dlh, django_assert_max_num_queries
):
    ticket = make_ticket(reporter=citizen)
    for i in range(30):
        record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": f"Balasan {i}"})
    client.force_login(citizen)
    with django_assert_max_num_queries(25):
        page = client.get(f"/laporan/{ticket.reference}/")
    assert "Balasan 29" in page.content.decode()


@pytest.mark.parametrize("language,phrase", [("id", 'lang="id"'), ("en", "Public reports")])
def test_public_list_and_my_reports_in_both_languages(client, citizen, language, phrase):
    make_ticket(reporter=citizen)
    assert phrase in client.get("/laporan/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    client.force_login(citizen)
    assert client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE=language).status_code == 200


def test_migration_0020_settles_tickets_reopened_before_reopening_did(citizen):
    import importlib

    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("complaints.migrations.0020_reopened_not_resolved")
    answered = timezone.now() - dt.timedelta(days=3)
    reopened = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    never_verified = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    done = make_ticket(reporter=citizen, status=Status.RESOLVED)
    waiting = make_ticket(reporter=citizen, status=Status.ROUTED)
    Ticket.objects.filter(pk__in=[reopened.pk, never_verified.pk, done.pk]).update(resolved_at=answered)
    Ticket.objects.filter(pk__in=[never_verified.pk, waiting.pk]).update(acknowledged_at=None)
    migration.settle_reopened_tickets(apps, None)
    assert Ticket.objects.get(pk=reopened.pk).resolved_at is None
    settled = Ticket.objects.get(pk=never_verified.pk)
    assert settled.resolved_at is None and settled.acknowledged_at == answered
    assert Ticket.objects.get(pk=done.pk).resolved_at == answered
    assert Ticket.objects.get(pk=waiting.pk).acknowledged_at is None  # still waiting to be verified


def test_is_public_agrees_with_the_public_filter_for_every_privacy_and_status(citizen):
    from complaints import queries

    for privacy in Privacy.values:
        for status in Status.values:
            ticket = make_ticket(reporter=citizen, privacy=privacy, status=status)
            in_filter = Ticket.objects.filter(queries.public_ticket_filter(), pk=ticket.pk).exists()
            assert queries.is_public(ticket) is in_filter, (privacy, status)


def test_a_rating_without_stars_says_a_score_must_be_chosen(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    response = client.post(f"/laporan/{ticket.reference}/nilai/", {"comment": "Lumayan"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose a score from 1 to 5 stars." in page and "This field is required." not in page
    assert "Lumayan" in page  # the comment typed is still there
    assert not Rating.objects.filter(ticket=ticket).exists()


def test_the_reports_photo_is_shown_once_and_later_photos_in_the_timeline(client, citizen):
    from complaints.models import Attachment

    ticket = make_ticket(reporter=citizen)
    filed = record_event(ticket=ticket, type=EventType.SUBMITTED, actor=citizen)
    report_photo = Attachment.objects.create(ticket=ticket, event=filed, state=Attachment.State.READY)
    added = add_citizen_info(ticket=ticket, actor=citizen, message="Dari sisi lain.")
    info_photo = Attachment.objects.create(
        ticket=ticket, event=added, purpose=Attachment.Purpose.INFO, state=Attachment.State.READY
    )
    client.force_login(citizen)
    page = client.get(f"/laporan/{ticket.reference}/").content.decode()
    page = page[page.index("</head>") :]  # the head's link preview names the report's photo too
    timeline = page[page.index('id="timeline"') :]
    assert page.count(report_photo.thumbnail_url) == 1 and report_photo.thumbnail_url not in timeline
    assert page.count(info_photo.thumbnail_url) == 1 and info_photo.thumbnail_url in timeline


def test_a_second_reopen_from_a_double_click_shows_the_report_as_it_is_now_and_keeps_the_reason(client, citizen):
    ticket = resolved(citizen)
    client.force_login(citizen)
    url = f"/laporan/{ticket.reference}/buka-kembali/"
    client.post(url, {"reason": "Masih ada sampah di ujung gang."})
    again = client.post(url, {"reason": "Masih ada sampah di ujung gang."}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    html = again.content.decode()
    assert "Only a resolved report can be reopened" in html and "Masih ada sampah di ujung gang." in html
    assert again.context["ticket"].status == Status.IN_PROGRESS
    assert ticket.events.filter(type=EventType.REOPENED).count() == 1


def test_information_sent_to_a_report_closed_meanwhile_is_refused_with_the_text_kept(client, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.CLOSED, closed_at=timezone.now())
    client.force_login(citizen)
    response = client.post(f"/laporan/{ticket.reference}/info/", {"message": "Foto tambahan dari sisi timur."})
    assert response.status_code == 400
    assert "Foto tambahan dari sisi timur." in response.content.decode()
    assert not ticket.events.filter(type=EventType.CITIZEN_INFO).exists()
