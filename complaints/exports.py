"""CSV and XLSX exports of a staff queue's current filter.

Small exports are streamed in the request; larger ones (over ``INLINE_LIMIT`` rows) are built by
the ``build_export`` Celery task into ``PRIVATE_UPLOAD_ROOT/exports`` (never MEDIA) and served only
to the person who asked. The rows are always ``queries.queue_tickets`` of the owner: an export
never shows more than the owner's queue. Reporter identity is never exported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartcity import spreadsheets
from smartcity.spreadsheets import CSV_TIME_FORMAT, as_text_cell, as_xlsx_cell, as_xlsx_time, in_wita

from .models import ExportJob, Ticket
from .queries import missed_deadlines

INLINE_LIMIT = 2000
PROGRESS_EVERY = 500
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _overdue(ticket: Ticket, now) -> bool:
    # The queue's rule: the export of "Overdue only" marks every row it holds.
    return bool(missed_deadlines(ticket, now))


# Who has heard of the ticket's missed deadline, by ``Ticket.escalation_level`` (the ticket page's words).
ESCALATION_WORDS = {
    0: pgettext_lazy("escalation level", "None"),
    1: pgettext_lazy("escalation level", "Head"),
    2: pgettext_lazy("escalation level", "Inspectorate"),
}


def _escalation(ticket: Ticket, now) -> str:
    return str(ESCALATION_WORDS[min(ticket.escalation_level, 2)])


def _age_days(ticket: Ticket, now) -> int:
    """Whole days since the ticket was filed, counted in Banjarmasin's calendar days (filed yesterday: 1), as the
    dashboards count an open ticket's age."""
    return (in_wita(now).date() - in_wita(ticket.created_at).date()).days


# (header, the ticket's value, XLSX column width in characters). A getter gives the value as it is: text, a number,
# a time (aware, any zone) or a yes/no; ``csv_cell`` and ``xlsx_cell`` write it as each format can hold it.
COLUMNS: list[tuple[str, Callable, int]] = [
    (_("Reference"), lambda t, now: t.reference or "", 18),
    (_("Title"), lambda t, now: t.title, 40),
    (_("Service"), lambda t, now: t.service.name if t.service_id else "", 28),
    (_("Department"), lambda t, now: t.department.short_name if t.department_id else "", 14),
    (_("Kecamatan"), lambda t, now: t.area.parent.name if t.area_id and t.area.parent_id else "", 20),
    (_("Kelurahan"), lambda t, now: t.area.name if t.area_id else "", 20),
    (_("Status"), lambda t, now: str(t.get_status_display()), 18),
    (_("Priority"), lambda t, now: str(t.get_priority_display()), 12),
    (_("Privacy"), lambda t, now: str(t.get_privacy_display()), 14),
    (_("Filed at (WITA)"), lambda t, now: t.created_at, 17),
    (_("Resolution due (WITA)"), lambda t, now: t.resolution_due_at, 17),
    (_("Overdue"), _overdue, 10),
    (_("Assignee"), lambda t, now: str(t.assignee) if t.assignee_id else "", 24),
    (_("Supporters"), lambda t, now: t.support_count, 11),
    # Added at the end, so a reader of the earlier columns by position still finds them.
    (_("Escalation level"), _escalation, 14),
    (_("Verification due (WITA)"), lambda t, now: t.response_due_at, 17),
    (_("Age (days)"), _age_days, 10),
]


def rows(tickets) -> Iterable[list]:
    """Each ticket's values, one per column, as the getters give them (see ``COLUMNS``)."""
    now = timezone.now()
    for ticket in tickets.select_related("service", "department", "area", "area__parent", "assignee").iterator(
        chunk_size=2000
    ):
        yield [getter(ticket, now) for _label, getter, _width in COLUMNS]


def headers() -> list[str]:
    return [str(label) for label, _getter, _width in COLUMNS]


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def csv_cell(value):
    """A CSV has text only: a time as WITA "YYYY-MM-DD HH:MM" (which sorts as text), a yes/no in words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dt.datetime):
        return in_wita(value).strftime(CSV_TIME_FORMAT)
    return as_text_cell(value)


def xlsx_cell(sheet, _index, value):
    """A time as a date-time cell (WITA) that Excel and LibreOffice sort and filter as one; a number as a number;
    a yes/no in words; text as text (``as_xlsx_cell``), never a formula."""
    if isinstance(value, dt.datetime):
        return as_xlsx_time(sheet, value)
    if isinstance(value, bool):
        return _yes_no(value)
    return as_xlsx_cell(sheet, value)  # None: an empty cell


def write_csv(tickets, stream, progress: Callable[[int], None] | None = None) -> int:
    writer = csv.writer(stream)
    writer.writerow(headers())
    count = 0
    for count, row in enumerate(rows(tickets), start=1):
        writer.writerow([csv_cell(value) for value in row])
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    return count


def write_xlsx(tickets, target, progress: Callable[[int], None] | None = None) -> int:
    return spreadsheets.write_xlsx(
        target,
        title=str(_("Tickets")),
        headers=headers(),
        rows=rows(tickets),
        widths=[width for _label, _getter, width in COLUMNS],
        cell=xlsx_cell,
        progress=progress,
        progress_every=PROGRESS_EVERY,
    )


def inline_export(tickets, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and content type, for exports small enough to build in the request."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(tickets, buffer)
        return buffer.getvalue(), CONTENT_TYPES["xlsx"]
    text = io.StringIO()
    text.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    write_csv(tickets, text)
    return text.getvalue().encode("utf-8"), CONTENT_TYPES["csv"]


def export_filename(fmt: str) -> str:
    return f"tiket-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def request_export(*, owner, query: str, fmt: str, total: int) -> ExportJob:
    """Record a large export and hand it to the worker after commit."""
    from smartcity.taskqueue import enqueue_on_commit

    from .tasks import build_export

    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=owner, query=query[:1000], format=fmt, total=total, language=translation.get_language() or "id"
        )
        enqueue_on_commit(build_export, job.pk)
    return job


def export_dir() -> Path:
    return Path(settings.PRIVATE_UPLOAD_ROOT) / "exports"


def job_file(job: ExportJob) -> Path | None:
    if not job.file_path:
        return None
    path = (Path(settings.PRIVATE_UPLOAD_ROOT) / job.file_path).resolve()
    if export_dir().resolve() not in path.parents:
        return None
    return path


def staff_scope(user) -> dict:
    """What a queue of ``user`` may hold, as ``queries.staff_ticket_filter`` decides it: their city-wide roles
    (inspector: every ticket; administrator: every ticket not confidential) and their active departments."""
    from accounts.roles import ADMINISTRATOR, INSPECTOR, roles_of

    from .queries import department_ids_of

    return {
        "roles": sorted(roles_of(user) & {INSPECTOR, ADMINISTRATOR}),
        "departments": sorted(department_ids_of(user)),
    }


def may_download(user, job: ExportJob) -> bool:
    """Whether ``user`` still sees every ticket the export's file may hold: it was built from their queue of then
    (``job.scope``), and someone moved to another department, or who lost a role, must not take the old one's
    tickets along. An export built before scopes were recorded has none and is refused (export again)."""
    from accounts.roles import ADMINISTRATOR, INSPECTOR

    if not job.scope:
        return False
    now = staff_scope(user)
    if INSPECTOR in now["roles"]:
        return True
    then_roles = set(job.scope.get("roles", []))
    if INSPECTOR in then_roles or (ADMINISTRATOR in then_roles and ADMINISTRATOR not in now["roles"]):
        return False
    return set(job.scope.get("departments", [])) <= set(now["departments"])


def tickets_for_query(owner, query: str):
    """The owner's queue for a saved query string, exactly as the queue page would list it."""
    from .queries import queue_tickets
    from .staff_forms import queue_filter_form

    form, _members = queue_filter_form(owner, QueryDict(query))
    return queue_tickets(owner, **form.filters())


def build_export_job(job_id: int) -> ExportJob | None:
    """Write the file for one export job; a second run of a finished job does nothing."""
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.state == ExportJob.State.READY:
        return job
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, done=0, scope=staff_scope(job.owner))
    tickets = tickets_for_query(job.owner, job.query)
    total = tickets.count()
    ExportJob.objects.filter(pk=job.pk).update(total=total)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    directory = export_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{job.pk}-{secrets.token_hex(8)}.{job.format}"
    path = directory / name
    try:
        with translation.override(job.language):
            if job.format == "xlsx":
                done = write_xlsx(tickets, path, progress)
            else:
                with path.open("w", encoding="utf-8", newline="") as stream:
                    stream.write("\ufeff")
                    done = write_csv(tickets, stream, progress)
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, finished_at=timezone.now())
        path.unlink(missing_ok=True)
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.READY,
        done=done,
        total=done,
        file_path=str(path.relative_to(settings.PRIVATE_UPLOAD_ROOT)),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
