"""Photos are never left pending for good: the beat sweep re-sends the ones whose task was refused or lost, and an
original the worker cannot read (PRIVATE_UPLOAD_ROOT not shared, volume not mounted yet) waits, with an error in
the log, until it can be read or PHOTO_PROCESSING_GIVE_UP_HOURS have passed."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from complaints import tasks
from complaints.actions import attach_photos, process_attachment
from complaints.models import Attachment, Notification
from tests.factories import make_ticket

from .conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

INTAKE_LOGGER = "complaints.actions.intake"


@pytest.fixture
def in_process_tasks():
    """Published tasks run at once in this process, as in the embedded mode (no Redis) and ``run_periodic``."""
    from celery import current_app

    saved = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        yield
    finally:
        current_app.conf.task_always_eager = saved


@pytest.fixture
def ticket(city, citizen):
    return make_ticket(reporter=citizen)


def _refuse(*args, **kwargs):
    raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _lose(*args, **kwargs):
    """Published, then gone: Redis restarted without persistence before a worker took it."""
    return None


def _pending_photo(ticket, monkeypatch, django_capture_on_commit_callbacks, *, publish=_lose) -> Attachment:
    """A citizen's photo saved as filing saves it, its task published after commit through ``publish``."""
    with monkeypatch.context() as patch:
        patch.setattr(tasks.process_attachment, "apply_async", publish)
        with django_capture_on_commit_callbacks(execute=True):
            (attachment,) = attach_photos(ticket=ticket, photos=[upload(jpeg_bytes())], validated=False)
    attachment.refresh_from_db()
    assert attachment.state == Attachment.State.PENDING and attachment.original_path
    return attachment


def _age(attachment: Attachment, **elapsed) -> None:
    Attachment.objects.filter(pk=attachment.pk).update(created_at=timezone.now() - dt.timedelta(**elapsed))


def _original(attachment: Attachment, settings) -> Path:
    return Path(settings.PRIVATE_UPLOAD_ROOT) / attachment.original_path


def _intake_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == INTAKE_LOGGER and r.levelno == logging.ERROR]


def _sweep(django_capture_on_commit_callbacks) -> int:
    # The processing deletes the original after its commit: run those callbacks too.
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.sweep_attachments()


# --- (a) a refused or lost publish --------------------------------------------------------------


@pytest.mark.parametrize("publish", [_refuse, _lose], ids=["broker-refused", "message-lost"])
def test_a_photo_whose_task_never_ran_is_processed_by_the_sweep(
    ticket, publish, settings, in_process_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    attachment = _pending_photo(ticket, monkeypatch, django_capture_on_commit_callbacks, publish=publish)
    original = _original(attachment, settings)

    assert _sweep(django_capture_on_commit_callbacks) == 0  # still within the grace period: its task may be queued
    _age(attachment, minutes=3)
    assert _sweep(django_capture_on_commit_callbacks) == 1

    attachment.refresh_from_db()
    assert attachment.state == Attachment.State.READY
    assert attachment.image and Path(attachment.image.path).is_file() and attachment.width
    assert attachment.original_path == "" and not original.exists()


def test_the_embedded_mode_runs_the_photo_sweep_too(
    ticket, settings, in_process_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    """``manage.py run_periodic`` (no Redis, no beat) runs the schedule's new entry in-process."""
    attachment = _pending_photo(ticket, monkeypatch, django_capture_on_commit_callbacks)
    _age(attachment, minutes=3)
    settings.REDIS_URL = ""

    call_command("run_periodic", "--once")

    attachment.refresh_from_db()
    assert attachment.state == Attachment.State.READY and attachment.image


def test_the_sweep_stops_at_the_first_refusal_while_the_broker_is_down(ticket, monkeypatch):
    for _ in range(3):
        attachment = Attachment.objects.create(ticket=ticket, original_path="originals/x")
        _age(attachment, minutes=10)
    attempts = []

    def refuse_and_count(*args, **kwargs):
        attempts.append(args)
        _refuse()

    monkeypatch.setattr(tasks.process_attachment, "apply_async", refuse_and_count)
    assert tasks.sweep_attachments() == 0
    assert len(attempts) == 1  # each further publish would only have waited for the broker's timeout


# --- (b) and (c) an original the worker cannot read ----------------------------------------------


def test_a_missing_original_leaves_the_photo_pending_with_an_error_until_it_appears(
    ticket, settings, in_process_tasks, monkeypatch, django_capture_on_commit_callbacks, caplog, tmp_path
):
    attachment = _pending_photo(ticket, monkeypatch, django_capture_on_commit_callbacks)
    original = _original(attachment, settings)
    elsewhere = original.rename(tmp_path / "not-mounted-yet")
    _age(attachment, hours=5)

    with caplog.at_level(logging.ERROR, logger=INTAKE_LOGGER):
        assert _sweep(django_capture_on_commit_callbacks) == 1

    attachment.refresh_from_db()
    assert attachment.state == Attachment.State.PENDING
    assert _original(attachment, settings) == original  # still knows where to look
    (error,) = _intake_errors(caplog)
    assert f"attachment {attachment.pk}" in error and str(original) in error
    assert "PRIVATE_UPLOAD_ROOT must be one directory shared by the web and worker machines" in error

    elsewhere.rename(original)  # the shared volume is mounted
    caplog.clear()
    assert _sweep(django_capture_on_commit_callbacks) == 1

    attachment.refresh_from_db()
    assert attachment.state == Attachment.State.READY and attachment.image
    assert not original.exists() and not _intake_errors(caplog)


@pytest.mark.parametrize(
    "hours_old,give_up_hours,expected",
    [
        (47, None, Attachment.State.PENDING),  # default: 48 hours
        (49, None, Attachment.State.REJECTED),
        (2, 1, Attachment.State.REJECTED),  # the setting is read, not a constant
    ],
)
def test_a_photo_whose_original_stays_missing_is_rejected_after_the_give_up_limit(
    ticket, hours_old, give_up_hours, expected, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    if give_up_hours is not None:
        settings.PHOTO_PROCESSING_GIVE_UP_HOURS = give_up_hours
    attachment = _pending_photo(ticket, monkeypatch, django_capture_on_commit_callbacks)
    _original(attachment, settings).unlink()
    _age(attachment, hours=hours_old)

    with caplog.at_level(logging.ERROR, logger=INTAKE_LOGGER):
        process_attachment(attachment_id=attachment.pk)

    attachment.refresh_from_db()
    assert attachment.state == expected
    (error,) = _intake_errors(caplog)
    assert f"attachment {attachment.pk}" in error
    if expected == Attachment.State.REJECTED:
        assert "rejected" in error and attachment.original_path == "" and not attachment.image
    else:
        assert "Left pending" in error and attachment.original_path


def test_an_original_that_is_no_image_is_still_rejected_at_once(
    ticket, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    attachment = _pending_photo(ticket, monkeypatch, django_capture_on_commit_callbacks)
    _original(attachment, settings).write_bytes(b"%PDF-1.4 not a photo after all")

    with caplog.at_level(logging.WARNING, logger=INTAKE_LOGGER):
        process_attachment(attachment_id=attachment.pk)

    attachment.refresh_from_db()
    assert attachment.state == Attachment.State.REJECTED and attachment.original_path == ""
    assert any("could not be re-encoded" in r.getMessage() for r in caplog.records)
    assert not _intake_errors(caplog)  # the photo's fault, not the installation's


# --- (d) what the sweep leaves alone ---------------------------------------------------------------


def test_the_sweep_sends_only_old_pending_photos_oldest_first(ticket, monkeypatch):
    def attachment(state, **elapsed):
        row = Attachment.objects.create(ticket=ticket, state=state, original_path="originals/x")
        _age(row, **elapsed)
        return row

    older = attachment(Attachment.State.PENDING, hours=50)  # past the limit: processing decides to give up
    old = attachment(Attachment.State.PENDING, minutes=10)
    attachment(Attachment.State.PENDING, seconds=30)  # fresh: its own task is probably still queued
    attachment(Attachment.State.READY, hours=1)
    attachment(Attachment.State.REJECTED, hours=1)
    sent = []
    monkeypatch.setattr(tasks.process_attachment, "apply_async", lambda args, kwargs=None, **kw: sent.append(args[0]))

    assert tasks.sweep_attachments() == 2
    assert sent == [older.pk, old.pk]


def test_one_sweep_sends_at_most_500_photos(ticket, monkeypatch):
    Attachment.objects.bulk_create(
        Attachment(ticket=ticket, state=Attachment.State.PENDING, original_path="originals/x") for _ in range(501)
    )
    Attachment.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    newest = Attachment.objects.create(ticket=ticket, original_path="originals/x")
    _age(newest, minutes=10)
    sent = []
    monkeypatch.setattr(tasks.process_attachment, "apply_async", lambda args, kwargs=None, **kw: sent.append(args[0]))

    assert tasks.sweep_attachments() == 500
    assert len(set(sent)) == 500 and newest.pk not in sent


# --- (e) twice is once -------------------------------------------------------------------------------


def test_processing_twice_changes_nothing_and_the_sweep_then_has_nothing_to_send(
    ticket, settings, monkeypatch, django_capture_on_commit_callbacks
):
    attachment = _pending_photo(ticket, monkeypatch, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        first = process_attachment(attachment_id=attachment.pk)
    assert first.state == Attachment.State.READY
    image, thumbnail = first.image.name, first.thumbnail.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = process_attachment(attachment_id=attachment.pk)

    assert again.state == Attachment.State.READY
    assert (again.image.name, again.thumbnail.name) == (image, thumbnail)
    assert not callbacks  # nothing written, nothing deleted
    assert len(list(Path(settings.MEDIA_ROOT).rglob("*.jpg"))) == 2  # one image, one thumbnail
    _age(attachment, hours=1)
    assert tasks.sweep_attachments() == 0


# --- the notification sweep shares the publishing helper ---------------------------------------------


def test_the_notification_sweep_still_resends_old_pending_emails_oldest_first(monkeypatch):
    def notification(key, **elapsed):
        row = Notification.objects.create(dedup_key=key, email="warga@example.id", template="ticket_update")
        Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(**elapsed))
        return row

    older, old = notification("n1", minutes=30), notification("n2", minutes=10)
    notification("n3", seconds=30)
    Notification.objects.filter(pk=notification("n4", hours=1).pk).update(state=Notification.State.SENT)
    Notification.objects.filter(pk=notification("n5", hours=1).pk).update(attempts=10)
    sent = []
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda args, kwargs=None, **kw: sent.append(args[0]))

    assert tasks.sweep_notifications() == 2
    assert sent == [older.pk, old.pk]
