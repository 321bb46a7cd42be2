"""Account emails (allauth's: address confirmation, password reset, notices) leave the web request.

The adapter renders them in the request (the citizen's language, the portal's name) and hands them here. With a mail
server to talk to, a worker sends them (``accounts.tasks.send_account_email``, deferred queue), retrying for about an
hour while the server refuses or does not answer: the page answers at once and a broken mail server never turns a
sign-up or a password reset into an error page. The message, which holds a confirmation key or a reset link, is never
stored: it travels in the broker's transient task message only, and the task's logged arguments are redacted.

Without a broker (tasks run in-process: the embedded demo) or with a local backend (console, in-memory, file), the
email is sent in the request, as it cannot wait for anything. When the broker is unreachable it is sent in the request
too, bounded by ``EMAIL_TIMEOUT``; if that fails as well, ``deliver`` answers False and the caller tells the citizen.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives

from smartcity.taskqueue import BROKER_DOWN

log = logging.getLogger(__name__)

# Backends that write locally: nothing to wait for, nothing to retry.
LOCAL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    }
)
# What the worker's log, its events and monitors show instead of the message.
REDACTED_ARGS = "()"
REDACTED_KWARGS = "{'message': '<redacted>', 'kind': %r}"


def to_data(message: EmailMessage) -> dict:
    """The message as JSON for the task (the broker's serializer is JSON)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


def from_data(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data.get("cc") or None,
        bcc=data.get("bcc") or None,
        reply_to=data.get("reply_to") or None,
        headers=data.get("headers") or None,
    )
    message.content_subtype = data.get("content_subtype") or "plain"
    for content, mimetype in data.get("alternatives") or []:
        message.attach_alternative(content, mimetype)
    return message


def sends_locally() -> bool:
    from celery import current_app

    return settings.EMAIL_BACKEND in LOCAL_BACKENDS or bool(current_app.conf.task_always_eager)


def _send_now(message: EmailMessage, kind: str) -> bool:
    try:
        message.send()  # the SMTP backend waits at most EMAIL_TIMEOUT for each step
    except Exception as error:
        # Neither the address nor the message (it holds the key or link) goes to the log.
        log.error("account email %s could not be sent: %s", kind, type(error).__name__)
        return False
    return True


def queue(message: EmailMessage, kind: str) -> bool:
    """Publish the send task; False (logged) when the broker is unreachable."""
    from .tasks import send_account_email

    try:
        send_account_email.apply_async(
            kwargs={"message": to_data(message), "kind": kind},
            argsrepr=REDACTED_ARGS,
            kwargsrepr=REDACTED_KWARGS % kind,
        )
    except Exception as error:
        log.warning(
            "could not queue account email %s (%s: %s); sending it now",
            kind,
            type(error).__name__,
            error,
            exc_info=not isinstance(error, BROKER_DOWN),  # as smartcity.taskqueue: a traceback only if unexpected
        )
        return False
    return True


def deliver(message: EmailMessage, *, kind: str) -> bool:
    """Queue the email for a worker, or send it now (see the module's docstring). False: it did not go and is not
    queued; the citizen has to ask again."""
    if sends_locally():
        return _send_now(message, kind)
    return queue(message, kind) or _send_now(message, kind)
