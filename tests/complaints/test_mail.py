"""Sending a notification: each email once, even when the database fails right after it went out."""

import pytest
from django.core import mail
from django.db import OperationalError, connection

from complaints.mail import deliver_notification, deliver_notifications
from complaints.models import Notification


def _notification(key="n1"):
    return Notification.objects.create(
        dedup_key=key, email="warga@example.id", template="ticket_update", context={"reference": "BJM-1"}
    )


def _fail_first_mark_sent():
    """An execute wrapper: the first UPDATE that marks a row sent fails as if PostgreSQL had restarted."""
    state = {"failed": False}

    def wrapper(execute, sql, params, many, context):
        if not state["failed"] and sql.startswith("UPDATE") and '"sent_at"' in sql:
            state["failed"] = True
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.django_db(transaction=True)
def test_an_email_sent_before_the_database_failed_is_recorded_as_sent_and_not_sent_again():
    notification = _notification()
    mail.outbox.clear()
    with connection.execute_wrapper(_fail_first_mark_sent()):
        assert deliver_notifications(notification_ids=[notification.pk]) == 1
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.SENT, 1)
    assert notification.sent_at is not None
    # The sweep would send it again if it were still pending: nothing goes out twice.
    assert deliver_notification(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-Notification-Id"] == str(notification.pk)


@pytest.mark.django_db(transaction=True)
def test_a_database_failure_before_sending_leaves_the_notification_pending():
    notification = _notification()
    mail.outbox.clear()

    def fail_lock(execute, sql, params, many, context):
        if sql.startswith("SELECT") and '"complaints_notification"' in sql:  # locking the row
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_lock), pytest.raises(OperationalError):
        deliver_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.state == Notification.State.PENDING and not mail.outbox
