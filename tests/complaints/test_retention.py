"""Storage limitation (UU 27/2022): the hourly retention job deletes unconfirmed guest filings with their photo files,
blanks old emails' recipients and contents, and deletes old export files; nothing that was accepted is touched."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from complaints.actions import confirm_email, file_ticket, process_attachment
from complaints.actions.retention import (
    apply_retention,
    blank_old_email_log,
    delete_old_exports,
    drop_unconfirmed_filings,
    old_email_log,
)
from complaints.models import (
    Attachment,
    DuplicateCandidate,
    EventType,
    ExportJob,
    Notification,
    Status,
    Subscription,
    Ticket,
    TicketEvent,
)
from tests.factories import make_ticket

from .conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.RETENTION_UNCONFIRMED_DAYS = 30
    settings.RETENTION_EMAIL_LOG_DAYS = 180
    settings.RETENTION_EXPORT_DAYS = 7


def _guest_filing(pin, email="tamu@example.id", photos=1, **fields):
    ticket = file_ticket(
        title="Jalan berlubang",
        description="Lubang besar di depan rumah saya, Jl. Mawar 3, telepon 0812-555.",
        lat=pin[0],
        lng=pin[1],
        reporter_name="Tamu",
        reporter_email=email,
        reporter_phone="0812555",
        photos=[upload(jpeg_bytes()) for _ in range(photos)],
        client_ip=f"10.9.0.{Ticket.objects.count() + 1}",
        **fields,
    )
    for attachment in ticket.attachments.all():
        process_attachment(attachment_id=attachment.pk)
    return ticket


def _age(ticket, days):
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - days * DAY)


def _files_of(ticket) -> list[Path]:
    files = []
    for attachment in Attachment.objects.filter(ticket=ticket):
        files += [Path(attachment.image.path), Path(attachment.thumbnail.path)]
    return files


def test_an_unconfirmed_guest_filing_goes_after_30_days_with_its_photo_files(
    pin, citizen, django_capture_on_commit_callbacks
):
    old = _guest_filing(pin)
    fresh = _guest_filing(pin, email="baru@example.id")
    confirmed = _guest_filing(pin, email="dikonfirmasi@example.id")
    confirm_email(token=confirmed.confirmation_token)
    signed_in = file_ticket(title="Lampu mati", description="Gelap.", lat=pin[0], lng=pin[1], reporter=citizen)
    for ticket, days in ((old, 31), (fresh, 29), (confirmed, 90), (signed_in, 90)):
        _age(ticket, days)
    old_files = _files_of(old)
    kept_files = _files_of(fresh) + _files_of(confirmed)
    assert len(old_files) == 2 and all(path.exists() for path in old_files + kept_files)
    old_notifications = list(Notification.objects.filter(ticket=old).values_list("pk", flat=True))
    assert old_notifications  # the confirmation email

    with django_capture_on_commit_callbacks(execute=True):
        assert drop_unconfirmed_filings() == 1
    assert not Ticket.objects.filter(pk=old.pk).exists()
    assert not Attachment.objects.filter(ticket_id=old.pk).exists()
    assert not TicketEvent.objects.filter(ticket_id=old.pk).exists()
    assert not Subscription.objects.filter(ticket_id=old.pk).exists()
    assert not Notification.objects.filter(pk__in=old_notifications).exists()
    assert not any(path.exists() for path in old_files)  # the photo files themselves, not only their rows
    assert all(path.exists() for path in kept_files)
    assert set(Ticket.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk, signed_in.pk}

    with django_capture_on_commit_callbacks(execute=True):
        assert drop_unconfirmed_filings() == 0  # a second run finds nothing


def test_a_photo_never_re_encoded_loses_its_original_too(pin, django_capture_on_commit_callbacks):
    ticket = file_ticket(
        title="Sampah",
        description="Menumpuk.",
        lat=pin[0],
        lng=pin[1],
        reporter_email="tamu@example.id",
        photos=[upload(jpeg_bytes())],
        client_ip="10.9.1.1",
    )
    original = Path(settings.PRIVATE_UPLOAD_ROOT) / ticket.attachments.get().original_path
    assert original.is_file()
    _age(ticket, 40)
    with django_capture_on_commit_callbacks(execute=True):
        assert drop_unconfirmed_filings() == 1
    assert not original.exists()


def test_a_filing_anything_else_refers_to_is_kept(pin, staff_dlh, django_capture_on_commit_callbacks):
    noted = _guest_filing(pin, photos=0)
    TicketEvent.objects.create(ticket=noted, type=EventType.NOTE, actor=staff_dlh, public=False)
    candidate = _guest_filing(pin, email="dua@example.id", photos=0)
    DuplicateCandidate.objects.create(ticket=make_ticket(), candidate=candidate, distance_m=5)
    routed = _guest_filing(pin, email="tiga@example.id", photos=0)
    Ticket.objects.filter(pk=routed.pk).update(status=Status.ROUTED)
    for ticket in (noted, candidate, routed):
        _age(ticket, 60)
    with django_capture_on_commit_callbacks(execute=True):
        assert drop_unconfirmed_filings() == 0
    assert Ticket.objects.filter(pk__in=[noted.pk, candidate.pk, routed.pk]).count() == 3


def test_batches_reach_every_old_filing_and_a_zero_period_keeps_them(pin, settings, django_capture_on_commit_callbacks):
    tickets = [_guest_filing(pin, email=f"t{i}@example.id", photos=0) for i in range(5)]
    for ticket in tickets:
        _age(ticket, 45)
    settings.RETENTION_UNCONFIRMED_DAYS = 0
    assert drop_unconfirmed_filings() == 0
    settings.RETENTION_UNCONFIRMED_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        assert drop_unconfirmed_filings(batch_size=2) == 5
    assert not Ticket.objects.exists()


def test_the_confirmation_email_and_page_say_when_an_unconfirmed_report_is_deleted(client, pin, settings):
    settings.LANGUAGE_CODE = "en"
    mail.outbox.clear()
    with translation.override("en"):
        ticket = _guest_filing(pin, photos=0)
    from complaints.mail import deliver_notification

    deliver_notification(notification_id=Notification.objects.get(ticket=ticket).pk)
    body = mail.outbox[-1].body
    assert "If it is not confirmed within 30 days, the report is deleted, with its photos" in body
    session = client.session
    session["complaints_filed"] = [ticket.reference]
    session.save()
    page = client.get(f"/lapor/terkirim/{ticket.reference}/").content.decode()
    assert "If it is not confirmed within 30 days, it is deleted, with its photos" in page


# --- the email log -------------------------------------------------------------------------------------


def _email(ticket, *, key, days, state=Notification.State.SENT, attempts=1, recipient=None):
    notification = Notification.objects.create(
        dedup_key=key,
        ticket=ticket,
        recipient=recipient,
        email="warga@example.id",
        template=Notification.Template.TICKET_UPDATE,
        context={"reference": ticket.reference, "title": ticket.title, "url": "https://x/laporan/1/"},
        state=state,
        attempts=attempts,
        sent_at=timezone.now() - days * DAY if state == Notification.State.SENT else None,
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - days * DAY)
    return notification


def test_emails_older_than_180_days_lose_recipient_and_content_but_stay_counted(citizen):
    ticket = make_ticket(reporter=citizen)
    old = _email(ticket, key="ticket_update:1:warga@example.id", days=200, recipient=citizen)
    given_up = _email(ticket, key="ticket_update:2:warga@example.id", days=200, state="pending", attempts=10)
    waiting = _email(ticket, key="ticket_update:3:warga@example.id", days=200, state="pending", attempts=3)
    recent = _email(ticket, key="ticket_update:4:warga@example.id", days=100)

    assert blank_old_email_log(batch_size=1) == 2
    old.refresh_from_db()
    assert (old.email, old.recipient_id, old.context, old.dedup_key) == ("", None, {}, f"retention:{old.pk}")
    # Still counted: which kind of email, for which report, when, and whether it went out.
    assert (old.template, old.ticket_id, old.state, old.sent_at is not None) == (
        "ticket_update",
        ticket.pk,
        "sent",
        True,
    )
    given_up.refresh_from_db()
    assert given_up.email == ""
    for kept in (waiting, recent):
        kept.refresh_from_db()
        assert kept.email == "warga@example.id" and kept.context
    assert blank_old_email_log() == 0  # safe to run twice


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_email_log_walk_reads_the_index_of_rows_not_yet_blanked():
    cutoff = timezone.now() - 180 * DAY
    query = old_email_log(cutoff).order_by("created_at").values_list("pk", flat=True)[:500]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_kept_idx" in plan


# --- export files ----------------------------------------------------------------------------------------


def _export(owner, *, days, name):
    folder = Path(settings.PRIVATE_UPLOAD_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("Reference\nBJM-2026-000001\n")
    when = timezone.now() - days * DAY
    os.utime(path, (when.timestamp(), when.timestamp()))
    job = ExportJob.objects.create(
        owner=owner,
        state=ExportJob.State.READY,
        file_path=f"exports/{name}",
        finished_at=when,
        scope={"roles": [], "departments": []},
    )
    return job, path


def test_export_files_older_than_7_days_are_deleted_and_the_export_says_so(
    client, staff_dlh, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"
    old, old_path = _export(staff_dlh, days=8, name="1-aaaa.csv")
    recent, recent_path = _export(staff_dlh, days=2, name="2-bbbb.csv")
    orphan = old_path.with_name("3-cccc.csv")  # a build a killed worker left behind
    orphan.write_text("half")
    past = (timezone.now() - 9 * DAY).timestamp()
    os.utime(orphan, (past, past))

    with django_capture_on_commit_callbacks(execute=True):
        assert delete_old_exports() == 2
    assert not old_path.exists() and not orphan.exists() and recent_path.exists()
    old.refresh_from_db()
    assert old.file_path == "" and old.state == ExportJob.State.READY  # the row stays: who exported what, when
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_old_exports() == 0

    client.force_login(staff_dlh)
    response = client.get(f"/staf/antrian/ekspor/{old.pk}/unduh/", follow=True)
    assert response.redirect_chain[-1][0] == f"/staf/antrian/ekspor/{old.pk}/"
    assert "This export&#x27;s file was deleted: exports are kept for 7 days." in response.content.decode()


def test_the_task_runs_every_kind_and_is_on_the_beat_schedule(pin, django_capture_on_commit_callbacks):
    from complaints.tasks import apply_retention as task

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "complaints.tasks.apply_retention")
    assert entry["schedule"] <= 3600
    assert settings.CELERY_TASK_ROUTES["complaints.tasks.apply_retention"]["queue"] == settings.DEFERRED_QUEUE
    _age(_guest_filing(pin, photos=0), 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert task.apply().get() == {
            "unconfirmed_filings": 1,
            "unconfirmed_supports": 0,
            "email_log": 0,
            "export_files": 0,
            "idempotency_keys": 0,
        }
    assert apply_retention() == {
        "unconfirmed_filings": 0,
        "unconfirmed_supports": 0,
        "email_log": 0,
        "export_files": 0,
        "idempotency_keys": 0,
    }


def test_the_privacy_notice_states_the_periods_the_job_applies(client, settings):
    settings.LANGUAGE_CODE = "en"
    page = client.get("/privasi/").content.decode()
    assert "30 days after it was filed it is deleted, with its photos" in page
    assert "for 180 days; after that the log keeps only which kind of email went out" in page
    assert "are deleted 7 days after they are made" in page
    assert "no report is ever deleted" not in page and "but kept" not in page
    # The "me too" waiting for its confirmation: as long as its link works, when the job deletes it.
    assert "never confirmed by email</strong> is counted nowhere and sends you nothing more; 7 days after it" in page

    settings.RETENTION_UNCONFIRMED_DAYS = 14
    settings.RETENTION_EXPORT_DAYS = 0
    page = client.get("/privasi/").content.decode()
    assert "14 days after it was filed it is deleted" in page and 'id="retention-exports"' not in page
