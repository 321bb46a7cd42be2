"""Storage limitation (UU 27/2022 PDP, Pasal 16 ayat (2)): personal data the portal no longer needs goes once its
period is over. ``tasks.apply_retention`` runs this every hour (CELERY_BEAT_SCHEDULE); each period is a setting,
and 0 keeps that kind of data for good.

- **Unconfirmed filings** (``RETENTION_UNCONFIRMED_DAYS``, 30): a web report filed without an account whose
  confirmation link was never opened. It was never accepted: no department saw it, nobody but its filer can find it,
  and the confirmation email and page say it is dropped after this period. It is deleted with everything that is
  only its own (its "filed" event, the reporter's subscription, the confirmation email, its photos and their
  files): the name, address, phone, text and photos of a report the city never took on are no record of its
  service. A confirmed, routed or otherwise answered ticket is never touched; nor is one anything else refers to
  (a link from the plan, a merge, a rating, a note: see ``_used_elsewhere``).
- **Unconfirmed "me too"s** (``intake.SUPPORT_CONFIRMATION_DAYS``, 7, not a setting: the emailed link works that
  long): a "me too" given without an account whose confirmation link was not opened before it expired. It was never
  counted and its address never got an update; it goes with its confirmation emails, and the address with them.
- **The email log** (``RETENTION_EMAIL_LOG_DAYS``, 180): an email's recipient (address and account), its context
  (what it said) and its deduplication key (which holds the address) are blanked; the row stays, so the log still
  counts which kind of email went out for which report and event, when, and whether it was delivered. An email still
  waiting to be sent is left alone.
- **Staff export files** (``RETENTION_EXPORT_DAYS``, 7) under PRIVATE_UPLOAD_ROOT/exports are deleted; the export's
  row stays (who exported how many rows of which filter, when), without its file.
- **Idempotency keys** of the REST API (``API_IDEMPOTENCY_HOURS``, 24; ``smartcity.api_idempotency``, which
  answers retries for as long): the key, account, address and kept answer of a write sent with an Idempotency-Key
  header are deleted. A retry comes within minutes; the answer may hold a reporter's contact details.

Each kind goes in batches of ``BATCH_SIZE``, each batch its own transaction, at most ``MAX_BATCHES`` per run so a run
stays short (the broker would hand a task running past its visibility timeout to another worker); the next hour's
run goes on. The selections read indexes (tickets: status and filing time; the email log: its partial index of rows
not yet blanked), and a row once handled no longer matches: safe to run twice, or twice at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .. import photos as photo_files
from ..models import (
    Attachment,
    Channel,
    EventType,
    ExportJob,
    Notification,
    Status,
    Subscription,
    Ticket,
    TicketEvent,
)

__all__ = [
    "apply_retention",
    "blank_old_email_log",
    "delete_old_exports",
    "delete_old_idempotency_keys",
    "discard_unconfirmed_filing",
    "drop_unconfirmed_filings",
    "drop_unconfirmed_supports",
]

log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_BATCHES = 40
# The rows an unconfirmed filing owns and loses with it; any other row pointing at the ticket keeps it.
OWN_ROWS = (TicketEvent, Subscription, Attachment, Notification)


def _cutoff(days: int, now) -> dt.datetime | None:
    return (now or timezone.now()) - dt.timedelta(days=days) if days > 0 else None


# --- unconfirmed filings ----------------------------------------------------------------------------


def _used_elsewhere():
    """Conditions, one per kind of row outside the filing's own that may point at a ticket (every app's, found
    through the model's relations so that complaints needs to know none of them): a planning link, a proposal, a
    merge, a possible duplicate, a rating. Any one keeps the ticket."""
    conditions = []
    # Hidden ones too: a possible duplicate's candidate points here with related_name "+".
    relations = [f for f in Ticket._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
    for relation in relations:
        if relation.many_to_many:
            model = relation.through
            field = next(f.name for f in model._meta.fields if f.related_model is Ticket)
        else:
            model, field = relation.related_model, relation.field.name
        if model in OWN_ROWS:
            continue
        conditions.append(Exists(model.objects.filter(**{field: OuterRef("pk")})))
    return conditions


def unconfirmed_filings(cutoff) -> QuerySet[Ticket]:
    """Web reports filed without an account before ``cutoff`` whose address was never confirmed, untouched since:
    never routed, no event but their filing, nothing else pointing at them. The status and filing time lead, which
    ``ticket_status_created_idx`` reads (the few tickets still submitted)."""
    others_did_something = TicketEvent.objects.filter(ticket=OuterRef("pk")).exclude(type=EventType.SUBMITTED)
    tickets = Ticket.objects.filter(
        status=Status.SUBMITTED,
        created_at__lt=cutoff,
        email_confirmed=False,
        channel=Channel.WEB,
        reporter__isnull=True,
        department__isnull=True,
    ).exclude(Exists(others_did_something))
    for condition in _used_elsewhere():
        tickets = tickets.exclude(condition)
    return tickets


def _delete_photo_files(files: list[tuple[str, str, str]]) -> None:
    storage = Attachment._meta.get_field("image").storage
    for image, thumbnail, original in files:
        for name in (image, thumbnail):
            if name:
                storage.delete(name)
        if original:
            photo_files.delete_private(original)


def _delete_filings(ids: list[int]) -> None:
    """Delete these tickets (locked by the caller's transaction) with their own rows; their photo files go once the
    transaction commits, so a rolled-back one keeps every photo."""
    attachments = Attachment.objects.select_for_update().filter(ticket_id__in=ids).order_by("pk")
    files = [(a.image.name or "", a.thumbnail.name or "", a.original_path) for a in attachments]
    Ticket.objects.filter(pk__in=ids).delete()
    transaction.on_commit(partial(_delete_photo_files, files))


def discard_unconfirmed_filing(*, token) -> bool:
    """The "This was not me" button: the holder of a confirmation link deletes the report it confirms, while it is an
    unconfirmed filing nobody acted on (``unconfirmed_filings``). Someone who typed a stranger's address filed in
    that stranger's name, and three such filings kept the stranger from filing without an account for 30 days
    (MAX_PENDING_UNCONFIRMED_PER_EMAIL). Whether it was deleted; confirmed or acted-on reports stay."""
    with transaction.atomic():
        ids = list(
            unconfirmed_filings(timezone.now() + dt.timedelta(seconds=1))
            .filter(confirmation_token=token)
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        if ids:
            _delete_filings(ids)
    if ids:
        log.info("retention: an unconfirmed filing was discarded from its confirmation link")
    return bool(ids)


def drop_unconfirmed_filings(*, now=None, batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES) -> int:
    """Delete the unconfirmed web filings older than RETENTION_UNCONFIRMED_DAYS with their photos; how many went.

    Each batch locks its tickets (skipping those another run holds) and their photos: ``confirm_email`` waits on the
    ticket's row, so a filing is either confirmed first (and no longer matches) or deleted first (and its link then
    finds no report). The files go after the batch commits, so a rolled-back batch keeps every photo."""
    cutoff = _cutoff(settings.RETENTION_UNCONFIRMED_DAYS, now)
    if cutoff is None:
        return 0
    removed = 0
    for _batch in range(max_batches):
        with transaction.atomic():
            ids = list(
                unconfirmed_filings(cutoff)
                .order_by("created_at")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            _delete_filings(ids)
        removed += len(ids)
        if len(ids) < batch_size:
            break
    if removed:
        log.info("retention: deleted %s unconfirmed filings older than %s", removed, cutoff.isoformat())
    return removed


# --- unconfirmed "me too"s ------------------------------------------------------------------------------


def drop_unconfirmed_supports(*, now=None, batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES) -> int:
    """Delete the "me too"s given without an account whose last confirmation link expired unopened, with their
    confirmation emails; how many went. Read off ``subscription_unconfirmed_idx``. Each batch locks its rows
    (skipping those another run holds): ``confirm_support`` waits on the row, so a "me too" is either confirmed first
    (and no longer matches) or deleted first (and its link then finds nothing)."""
    from .intake import SUPPORT_CONFIRMATION_DAYS

    cutoff = _cutoff(SUPPORT_CONFIRMATION_DAYS, now)
    removed = 0
    for _batch in range(max_batches):
        with transaction.atomic():
            expired = list(
                Subscription.objects.filter(email_confirmed=False, confirmation_sent_at__lt=cutoff)
                .order_by("confirmation_sent_at")
                .select_for_update(skip_locked=True)
                .values_list("pk", "ticket_id")[:batch_size]
            )
            if not expired:
                break
            ids = [pk for pk, _ticket in expired]
            # Their tickets' index narrows the emails to a few rows before the context is read.
            Notification.objects.filter(
                ticket_id__in={ticket for _pk, ticket in expired},
                template=Notification.Template.CONFIRM_SUPPORT,
                context__subscription_id__in=ids,
            ).delete()
            Subscription.objects.filter(pk__in=ids).delete()
        removed += len(ids)
        if len(ids) < batch_size:
            break
    if removed:
        log.info("retention: deleted %s unconfirmed supports older than %s", removed, cutoff.isoformat())
    return removed


# --- the email log ------------------------------------------------------------------------------------


def old_email_log(cutoff):
    """Emails written before ``cutoff`` that still name their recipient and are no longer waiting to be sent. Read
    off ``notification_kept_idx`` (the rows not blanked yet, by time), so blanked rows cost nothing."""
    from ..tasks import SEND_ATTEMPTS

    return (
        Notification.objects.filter(created_at__lt=cutoff)
        .exclude(email="")
        .exclude(state=Notification.State.PENDING, attempts__lt=SEND_ATTEMPTS)
    )


def blank_old_email_log(*, now=None, batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES) -> int:
    """Blank the recipient, context and deduplication key of emails older than RETENTION_EMAIL_LOG_DAYS; how many."""
    cutoff = _cutoff(settings.RETENTION_EMAIL_LOG_DAYS, now)
    if cutoff is None:
        return 0
    blanked = 0
    for _batch in range(max_batches):
        ids = list(old_email_log(cutoff).order_by("created_at").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        # The key only kept one change from emailing one address twice; each row keeps a unique one without it.
        blanked += (
            old_email_log(cutoff)
            .filter(pk__in=ids)
            .update(
                email="",
                recipient=None,
                context={},
                dedup_key=Concat(Value("retention:"), Cast("pk", output_field=CharField())),
            )
        )
        if len(ids) < batch_size:
            break
    if blanked:
        log.info("retention: blanked %s emails of the log older than %s", blanked, cutoff.isoformat())
    return blanked


# --- staff export files ---------------------------------------------------------------------------------


def delete_old_exports(*, now=None, batch_size: int = BATCH_SIZE) -> int:
    """Delete the export files older than RETENTION_EXPORT_DAYS; how many files went.

    The exports that finished before then lose their file (``file_path`` emptied: the download says it was deleted);
    then every file in the exports folder last written before then goes, also one no export points to (a build a
    killed worker left half-written). A file being written now is newer and stays."""
    from ..exports import export_dir, job_file

    days = settings.RETENTION_EXPORT_DAYS
    cutoff = _cutoff(days, now)
    if cutoff is None:
        return 0
    removed = 0
    handled = set()
    while True:
        with transaction.atomic():
            jobs = list(
                ExportJob.objects.select_for_update(skip_locked=True)
                .filter(finished_at__lt=cutoff)
                .exclude(file_path="")
                .order_by("pk")[:batch_size]
            )
            if not jobs:
                break
            paths = [path for path in (job_file(job) for job in jobs) if path is not None and path.exists()]
            ExportJob.objects.filter(pk__in=[job.pk for job in jobs]).update(file_path="")
            transaction.on_commit(partial(_unlink_all, paths))
        removed += len(paths)
        handled.update(paths)
    folder = export_dir()
    if folder.is_dir():
        oldest_kept = time.time() - days * 86400
        stale = [
            path
            for path in folder.iterdir()
            if path.is_file() and path.resolve() not in handled and path.stat().st_mtime < oldest_kept
        ]
        removed += _unlink_all(stale)
    if removed:
        log.info("retention: deleted %s export files older than %s", removed, cutoff.isoformat())
    return removed


def _unlink_all(paths) -> int:
    for path in paths:
        path.unlink(missing_ok=True)
    return len(paths)


# --- REST API idempotency keys ----------------------------------------------------------------------------


def delete_old_idempotency_keys(*, now=None, batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES) -> int:
    """Delete the REST API's Idempotency-Key records older than ``API_IDEMPOTENCY_HOURS`` (``api_idempotency.kept``);
    how many. Read off their creation time's index. A record being written now is younger and stays."""
    from accounts.models import IdempotentRequest
    from smartcity.api_idempotency import kept

    cutoff = (now or timezone.now()) - kept()
    deleted = 0
    for _batch in range(max_batches):
        ids = list(
            IdempotentRequest.objects.filter(created_at__lt=cutoff)
            .order_by("created_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        deleted += IdempotentRequest.objects.filter(pk__in=ids).delete()[0]
        if len(ids) < batch_size:
            break
    if deleted:
        log.info("retention: deleted %s idempotency keys older than %s", deleted, cutoff.isoformat())
    return deleted


def apply_retention(*, now=None) -> dict[str, int]:
    """Every kind in turn; what each removed (the periodic task's result)."""
    return {
        "unconfirmed_filings": drop_unconfirmed_filings(now=now),
        "unconfirmed_supports": drop_unconfirmed_supports(now=now),
        "email_log": blank_old_email_log(now=now),
        "export_files": delete_old_exports(now=now),
        "idempotency_keys": delete_old_idempotency_keys(now=now),
    }
