"""A mail server that hangs no longer holds a worker process: the send ends within EMAIL_TIMEOUT or the task's soft
time limit, the email is retried, and it still goes out exactly once (complaints/mail.py, complaints/tasks.py)."""

import time
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.db import connection

from complaints.mail import deliver_notification, deliver_notifications
from complaints.models import Notification
from complaints.tasks import send_notification, send_notifications
from tests.fake_smtp import FakeSMTP, use_smtp
from tests.worker import purge_queue, start_worker, stop_worker, wait_for_ping, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def _notification(key="n1"):
    return Notification.objects.create(
        dedup_key=key, email="warga@example.id", template="ticket_update", context={"reference": "BJM-1"}
    )


def _time_runs_out_at_the_first_mark_sent():
    """An execute wrapper: the task's soft time limit falls on the first UPDATE that marks a row sent."""
    state = {"fallen": False}

    def wrapper(execute, sql, params, many, context):
        if not state["fallen"] and sql.startswith("UPDATE") and '"sent_at"' in sql:
            state["fallen"] = True
            raise SoftTimeLimitExceeded()
        return execute(sql, params, many, context)

    return wrapper


def test_the_email_tasks_have_a_time_limit_and_retry_a_timed_out_send():
    for task in (send_notification, send_notifications):
        assert task.soft_time_limit and task.time_limit > task.soft_time_limit + 60  # room to record a sent email
        assert issubclass(SoftTimeLimitExceeded, task.autoretry_for)
        assert issubclass(TimeoutError, task.autoretry_for)
        assert issubclass(ConnectionRefusedError, task.autoretry_for)


def test_a_hung_mail_server_ends_the_send_within_the_timeout_and_the_email_is_sent_once_it_answers(settings):
    notification = _notification()
    with FakeSMTP(hang=True) as server:
        use_smtp(settings, server.port, timeout=1)
        started = time.monotonic()
        with pytest.raises(OSError):  # retried by the task (autoretry_for)
            deliver_notifications(notification_ids=[notification.pk])
        assert time.monotonic() - started < 4  # was: for ever
        notification.refresh_from_db()
        assert notification.state == Notification.State.PENDING  # for the retry (and the sweep)

        server.hang = False
        assert send_notifications.apply(args=[[notification.pk]]).get() == 1
        assert send_notifications.apply(args=[[notification.pk]]).get() == 0  # the retry after all: nothing twice
    (sent,) = server.messages
    assert sent["X-Notification-Id"] == str(notification.pk)
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT


def test_a_soft_time_limit_between_the_send_and_its_commit_records_the_email_as_sent():
    first, second = _notification("n1"), _notification("n2")
    mail.outbox.clear()
    with connection.execute_wrapper(_time_runs_out_at_the_first_mark_sent()), pytest.raises(SoftTimeLimitExceeded):
        deliver_notifications(notification_ids=[first.pk, second.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.attempts) == (Notification.State.SENT, 1)  # was: pending, sent again by the retry
    assert second.state == Notification.State.PENDING  # the task stopped there
    # The task's retry sends the rest, nothing twice.
    assert deliver_notifications(notification_ids=[first.pk, second.pk]) == 1
    assert deliver_notification(notification_id=first.pk) is False
    assert [m.extra_headers["X-Notification-Id"] for m in mail.outbox] == [str(first.pk), str(second.pk)]


def test_a_soft_time_limit_during_the_send_leaves_the_email_for_the_retry():
    notification = _notification()
    mail.outbox.clear()
    with (
        mock.patch("complaints.mail.EmailMessage.send", side_effect=SoftTimeLimitExceeded()),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        deliver_notifications(notification_ids=[notification.pk])
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.PENDING, 1)
    assert deliver_notifications(notification_ids=[notification.pk]) == 1
    assert len(mail.outbox) == 1


@pytest.mark.worker
def test_a_worker_whose_mail_server_hangs_retries_the_email_and_sends_it_once_when_it_answers(tmp_path):
    from django.conf import settings

    from smartcity.celery import app

    if not settings.USING_POSTGRES or not settings.REDIS_URL:
        pytest.skip("a live worker needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    notification = _notification()
    with FakeSMTP(hang=True) as server:
        env = worker_env(EMAIL_URL=f"smtp://127.0.0.1:{server.port}", EMAIL_TIMEOUT="1")
        env["DJANGO_SETTINGS_MODULE"] = "tests.complaints.smtp_worker_settings"
        purge_queue(app)
        worker = start_worker(env=env, log_path=tmp_path / "worker.log", pool="prefork")
        try:
            wait_for_ping(app, worker)
            send_notification.delay(notification.pk)
            deadline = time.monotonic() + 20
            while "retry: Retry in" not in worker.log() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "retry: Retry in" in worker.log(), worker.log()  # the hung send ended (EMAIL_TIMEOUT 1 s)
            assert server.messages == []
            server.hang = False
            server.wait_for(1, timeout=30)
            time.sleep(1)  # no second copy follows
        finally:
            stop_worker(worker)
            purge_queue(app)
    (sent,) = server.messages
    assert sent["X-Notification-Id"] == str(notification.pk)
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
