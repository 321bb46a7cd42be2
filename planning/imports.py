"""Import and export of budget lines and realisation as CSV or XLSX.

An import is all or nothing: every row is checked first and each problem is reported
with its row number (as a spreadsheet shows it, the header being row 1), column and
reason; only a clean file is written, in one transaction. Files above
``ASYNC_THRESHOLD`` rows run as a Celery task whose progress the page shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.roles import FINANCE, has_role
from smartcity.spreadsheets import as_text_cell, as_xlsx_cell, from_text_cell
from smartcity.taskqueue import enqueue_on_commit

from . import actions, queries
from .actions.execution import EXECUTABLE, not_executable_reason
from .forms import MoneyField
from .models import (
    Activity,
    BudgetChange,
    BudgetLine,
    BudgetVersion,
    FiscalYear,
    FundSource,
    ImportJob,
    Realisation,
)
from .money import parse_rupiah

ASYNC_THRESHOLD = 500
MAX_ROWS = 20_000
# A year's budget lines or payments of the whole city fit many times over (20,000 rows of CSV are ~2 MB).
MAX_FILE_BYTES = 10 * 2**20
MAX_UNPACKED_BYTES = 100 * 2**20
MAX_COLUMNS = 50  # the import's columns and the export's extra ones, with room for a planner's notes
# "reason" is asked of revised lines only (as the revision form asks it); "description" is never required.
BUDGET_COLUMNS = ["activity_code", "version", "account_code", "fund_source", "amount", "description", "reason"]
OPTIONAL_COLUMNS = {"description", "reason"}
REALISATION_COLUMNS = ["activity_code", "date", "amount", "document_number", "description"]
COLUMNS = {ImportJob.Kind.BUDGET: BUDGET_COLUMNS, ImportJob.Kind.REALISATION: REALISATION_COLUMNS}
# The versions a file names; its original lines await finance's approval (stored as BudgetVersion.DRAFT).
FILE_VERSIONS = [BudgetVersion.INDICATIVE, BudgetVersion.ORIGINAL, BudgetVersion.REVISED]
# The date forms a file may use, and how the refusal names them: one list, so the message never lists fewer.
DATE_PATTERNS = {"%Y-%m-%d": "YYYY-MM-DD", "%d/%m/%Y": "DD/MM/YYYY", "%d-%m-%Y": "DD-MM-YYYY"}
# Written by the export after the activity code, for people reading the file; the import does not read them.
EXPORT_ABOUT = ["activity_name", "department", "fiscal_year"]
REALISED = "realised"  # the total a realisation file changes, beside the budget versions a budget file changes


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": str(self.reason)}


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)  # see ``_changes``

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading files --------------------------------------------------------------------------------


def file_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise ValidationError(_("Upload a .csv or .xlsx file."))


def _too_many_rows(last_row: int | None = None) -> ValidationError:
    """``last_row``: the last row the sheet says it uses, which names where a stray cell sits."""
    limit = number_format(MAX_ROWS, force_grouping=True)
    if last_row:
        return ValidationError(
            _(
                "A file may hold at most %(n)s rows, and this sheet uses rows down to row %(last)s. If your data "
                "ends higher, a cell down there is not empty: delete the rows under your data and save again."
            )
            % {"n": limit, "last": number_format(last_row, force_grouping=True)}
        )
    return ValidationError(
        _(
            "A file may hold at most %(n)s rows. If yours holds fewer, a cell far below them is not empty: delete "
            "the rows under your data and save again."
        )
        % {"n": limit}
    )


def _xlsx_rows(content: bytes) -> list[list]:
    """The first sheet's rows, read no further than a file may go.

    An XLSX is a zip: a 1.5 KB upload with one cell at ZZ8000 unpacked into 5.6 million cells (openpyxl fills every
    gap) and took the web process from 173 MB to 1.2 GB; its shared strings can be a zip bomb too. So the unpacked
    size is checked first, only the first MAX_COLUMNS columns are read, and reading stops one row past MAX_ROWS."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise ValidationError(_("The file is not a readable XLSX workbook."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _(
                "The workbook is too large once unpacked (%(size)s MB; at most %(limit)s MB). Save only the sheet to "
                "import."
            )
            % {"size": unpacked // 2**20, "limit": MAX_UNPACKED_BYTES // 2**20}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("The file is not a readable XLSX workbook."))
    try:
        rows = []
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append(list(row))
            # The header and MAX_ROWS rows, and one more: too many. What follows is not read (openpyxl would make up
            # every empty row up to the last cell), so a stray cell far below refuses the file, saying where the
            # sheet's own dimension (its last used row) puts it.
            if len(rows) > MAX_ROWS + 1:
                raise _too_many_rows(sheet.max_row)
    finally:
        workbook.close()
    return rows


def read_table(content: bytes, fmt: str) -> list[list]:
    """All rows of the first sheet (or the CSV), header included, as lists of cells; at most MAX_ROWS of data."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is too large (at most %(limit)s MB).") % {"limit": MAX_FILE_BYTES // 2**20})
    if fmt == "xlsx":
        rows = _xlsx_rows(content)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
        dialect = csv.excel
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            pass
        rows = []
        for row in csv.reader(io.StringIO(text), dialect):
            if len(rows) <= MAX_ROWS:  # the header and MAX_ROWS rows
                rows.append(row[:MAX_COLUMNS])
            elif any(cell.strip() for cell in row):  # blank lines below the data are no rows
                raise _too_many_rows()
    while rows and all(cell in (None, "") for cell in rows[-1]):
        rows.pop()
    return rows


def rows_as_dicts(table: list[list], columns: list[str]) -> tuple[list[tuple[int, dict]], list[RowError]]:
    if not table:
        return [], [RowError(1, "", _("The file is empty."))]
    header = [str(c or "").strip().lower() for c in table[0]]
    missing = [c for c in columns if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        return [], [RowError(1, c, _("This column is missing from the header.")) for c in missing]
    if len(table) - 1 > MAX_ROWS:
        return [], [RowError(1, "", _("A file may hold at most %(n)s rows.") % {"n": MAX_ROWS})]
    index = {name: header.index(name) for name in columns if name in header}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(cell in (None, "") for cell in cells):
            continue
        rows.append((number, {name: cells[i] if i < len(cells) else None for name, i in index.items()}))
    return rows, []


def parse_amount(value) -> Decimal:
    """A spreadsheet cell's amount: a number as the file stored it, or text as people write Rupiah."""
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return parse_rupiah(_text(value))  # "'-5", as the portal writes text that would start a formula, is -5


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for pattern in DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return from_text_cell(str(value).strip())


# --- checking and writing -----------------------------------------------------------------------


# Who may import each kind of file: the one rule for the upload (``check_may_import``) and for the kinds the import
# page offers (``may_import``).
IMPORTERS = {ImportJob.Kind.BUDGET: (FINANCE,), ImportJob.Kind.REALISATION: (FINANCE, "head")}


def may_import(actor, kind: str) -> bool:
    return kind in IMPORTERS and has_role(actor, *IMPORTERS[kind])


def import_refusal(actor, kind: str) -> str:
    """Why ``actor`` may not import files of ``kind``; empty when they may."""
    if may_import(actor, kind):
        return ""
    if kind == ImportJob.Kind.BUDGET:
        return _("Only finance (BPKPAD) may import budget lines.")
    return _("Only finance or a department head may import realisation.")


def check_may_import(actor, kind: str) -> None:
    if refusal := import_refusal(actor, kind):
        raise PermissionDenied(refusal)


def _activities(fiscal_year, rows) -> dict[str, Activity]:
    codes = {_text(r.get("activity_code")) for _, r in rows}
    return {
        a.code: a
        for a in queries.with_figures(
            Activity.objects.filter(fiscal_year=fiscal_year, code__in=codes).select_related("fiscal_year")
        )
    }


def _not_found(fiscal_year, rows, activities) -> dict[str, str]:
    """Per code the file names that the chosen year lacks, why: the year searched, and the years that do have the
    code (a December file uploaded in January, with the new year preselected, found nothing and did not say so)."""
    missing = {_text(r.get("activity_code")) for _, r in rows} - activities.keys()
    elsewhere: dict[str, list[int]] = {}
    found = Activity.objects.filter(code__in=missing).exclude(fiscal_year=fiscal_year)
    for code, year in found.order_by("-fiscal_year__year").values_list("code", "fiscal_year__year").distinct():
        elsewhere.setdefault(code, []).append(year)
    reasons = {}
    for code in missing:
        values = {"year": fiscal_year.year, "years": ", ".join(str(y) for y in elsewhere.get(code, []))}
        if code in elsewhere:
            reasons[code] = (
                _(
                    "No activity with this code in fiscal year %(year)s; it exists in %(years)s. If the file is for "
                    "that year, choose it as the file's fiscal year."
                )
                % values
            )
        else:
            reasons[code] = _("No activity with this code in fiscal year %(year)s.") % values
    return reasons


def _amount_problem(value, *, above_zero: bool) -> tuple[Decimal | None, str]:
    """The cell's amount, or why not: an amount that cannot be read is told how to write one (as the forms' amount
    field says), apart from one read but below what the column allows."""
    try:
        amount = parse_amount(value)
    except ValueError:
        return None, str(MoneyField.default_error_messages["invalid"])
    if above_zero and amount <= 0:
        return None, _("Enter an amount above zero in Rupiah.")
    if amount < 0:
        return None, _("Enter an amount of zero or more in Rupiah.")
    return amount, ""


def _check_budget_rows(actor, fiscal_year, rows, progress) -> tuple[list, list[RowError]]:
    activities = _activities(fiscal_year, rows)
    not_found = _not_found(fiscal_year, rows, activities)
    errors, clean, seen = [], [], {}
    for done, (number, row) in enumerate(rows, start=1):
        before = len(errors)
        code = _text(row.get("activity_code"))
        activity = activities.get(code)
        if activity is None:
            errors.append(RowError(number, "activity_code", not_found[code]))
        version = _text(row.get("version")).lower()
        if version not in FILE_VERSIONS:
            errors.append(RowError(number, "version", _("Use indicative, original or revised.")))
        elif activity is not None:
            try:
                actions.check_budget_version_allowed(activity, version)
            except ValidationError as error:
                errors.append(RowError(number, "version", " ".join(error.messages)))
        account = _text(row.get("account_code"))
        if not account:
            errors.append(RowError(number, "account_code", _("An account code is required.")))
        fund = _text(row.get("fund_source")).lower()
        if fund not in FundSource.values:
            errors.append(
                RowError(number, "fund_source", _("Use one of: %(values)s.") % {"values": ", ".join(FundSource.values)})
            )
        amount, problem = _amount_problem(row.get("amount"), above_zero=False)
        if problem:
            errors.append(RowError(number, "amount", problem))
        reason = _text(row.get("reason"))[:500]
        if version == BudgetVersion.REVISED and not reason:
            errors.append(RowError(number, "reason", _("Give the reason for the revision.")))
        key = (code, version, account, fund)
        if key in seen:
            errors.append(RowError(number, "account_code", _("Same line as row %(row)s.") % {"row": seen[key]}))
        seen.setdefault(key, number)
        if len(errors) == before:
            description = _text(row.get("description"))[:255]
            clean.append((number, activity, version, account, fund, amount, description, reason))
        if progress and done % 100 == 0:
            progress(done)
    if not errors:
        errors = _revisions_below_realised(clean)
    return clean, errors


def _revisions_below_realised(clean) -> list[RowError]:
    """A revision may not fall below what is already paid (as ``actions.revise_budget`` refuses): the lines an
    activity would have after the file (its revised lines, or its original ones carried over by a first
    revision, with the file's lines written over them) are added up before anything is written."""
    rows_of: dict[int, list] = {}
    for row in clean:
        if row[2] == BudgetVersion.REVISED:
            rows_of.setdefault(row[1].pk, []).append(row)
    errors = []
    for rows in rows_of.values():
        activity = rows[0][1]
        existing = BudgetLine.objects.filter(activity=activity, version=BudgetVersion.REVISED)
        if not existing.exists():
            existing = BudgetLine.objects.filter(activity=activity, version=BudgetVersion.ORIGINAL)
        lines = {(ln.account_code, ln.fund_source): ln.amount for ln in existing}
        lines.update({(account, fund): amount for _n, _a, _v, account, fund, amount, _d, _r in rows})
        total = sum(lines.values(), Decimal("0"))
        if total < activity.realised:
            message = _("The revised budget (%(total)s) is below what is already realised (%(realised)s).") % {
                "total": actions.rupiah_text(total),
                "realised": actions.rupiah_text(activity.realised),
            }
            errors.append(RowError(rows[-1][0], "amount", message))
    return errors


def _check_realisation_rows(actor, fiscal_year, rows, progress) -> tuple[list, list[RowError]]:
    activities = _activities(fiscal_year, rows)
    not_found = _not_found(fiscal_year, rows, activities)
    finance = has_role(actor, FINANCE)
    headed = set()
    if not finance:
        headed = {a.department_id for a in activities.values() if actions.is_head_of(actor, a.department_id)}
    # Payment documents are compared in any case (SP2D-1 is sp2d-1), as the database's constraint does.
    known_docs = {
        (activity_id, document.upper())
        for activity_id, document in Realisation.objects.filter(activity__in=activities.values()).values_list(
            "activity_id", "document_number"
        )
    }
    running = {a.pk: a.realised for a in activities.values()}
    errors, clean, seen = [], [], {}
    for done, (number, row) in enumerate(rows, start=1):
        before = len(errors)
        code = _text(row.get("activity_code"))
        activity = activities.get(code)
        if activity is None:
            errors.append(RowError(number, "activity_code", not_found[code]))
        elif not finance and activity.department_id not in headed:
            errors.append(RowError(number, "activity_code", _("You do not head this activity's department.")))
        elif activity.stage not in EXECUTABLE:
            reason = not_executable_reason(activity, _("Realisation is reported only once the budget is approved."))
            errors.append(RowError(number, "activity_code", reason))
        try:
            date = parse_date(row.get("date"))
        except ValueError:
            date = None
            errors.append(
                RowError(
                    number,
                    "date",
                    _("Enter a date as one of %(formats)s, e.g. 31/03/2026.")
                    % {"formats": ", ".join(DATE_PATTERNS.values())},
                )
            )
        if date is not None and activity is not None:
            try:
                actions.check_activity_date(activity, date, field="date")
            except ValidationError as error:
                errors.append(RowError(number, "date", " ".join(error.messages)))
        amount, problem = _amount_problem(row.get("amount"), above_zero=True)
        if problem:
            errors.append(RowError(number, "amount", problem))
        document = _text(row.get("document_number"))
        if not document:
            errors.append(RowError(number, "document_number", _("The payment document number is required.")))
        elif activity is not None:
            key = (activity.pk, document.upper())
            if key in known_docs:
                errors.append(RowError(number, "document_number", _("This payment document is already recorded.")))
            elif key in seen:
                errors.append(
                    RowError(number, "document_number", _("Same document as row %(row)s.") % {"row": seen[key]})
                )
            seen.setdefault(key, number)
        if activity is not None and amount is not None and len(errors) == before:
            budget = queries.figures_of(activity)["budget"]
            if running[activity.pk] + amount > budget:
                errors.append(
                    RowError(
                        number,
                        "amount",
                        _("Realisation would exceed the current budget of %(budget)s.")
                        % {"budget": actions.rupiah_text(budget)},
                    )
                )
            else:
                running[activity.pk] += amount
        if len(errors) == before:
            clean.append((number, activity, date, amount, document, _text(row.get("description"))[:255]))
        if progress and done % 100 == 0:
            progress(done)
    return clean, errors


def _totals(kind: str, activities) -> dict[tuple[int, str], Decimal]:
    """Per activity, the totals a file of ``kind`` may change: each budget version, or the realised amount."""
    if kind == ImportJob.Kind.BUDGET:
        lines = BudgetLine.objects.filter(activity__in=activities).order_by().values("activity_id", "version")
        return {
            (a, version): t
            for a, version, t in lines.annotate(t=Sum("amount")).values_list("activity_id", "version", "t")
        }
    paid = Realisation.objects.filter(activity__in=activities).order_by().values("activity_id")
    return {(a, REALISED): t for a, t in paid.annotate(t=Sum("amount")).values_list("activity_id", "t")}


def _changes(activities, before: dict, after: dict) -> list[dict]:
    """What the import changed, as the finished page lists it: which activity (name and year, since codes repeat
    every year), which total, from what to what. Amounts are kept as text so the job's JSON holds them exactly."""
    by_id = {a.pk: a for a in activities}
    changes = []
    for key in sorted(after.keys() | before.keys(), key=lambda k: (by_id[k[0]].code, k[1])):
        old, new = before.get(key), after.get(key)
        if old != new:
            activity = by_id[key[0]]
            changes.append(
                {
                    "code": activity.code,
                    "name": activity.name,
                    "year": activity.fiscal_year.year,
                    "total": key[1],
                    "old": None if old is None else str(old),
                    "new": "0" if new is None else str(new),
                }
            )
    return changes


def import_rows(*, actor, fiscal_year: FiscalYear, kind: str, rows, progress=None) -> ImportResult:
    """Check every row; write all of them in one transaction only when none has a problem."""
    check_may_import(actor, kind)
    checker = _check_budget_rows if kind == ImportJob.Kind.BUDGET else _check_realisation_rows
    clean, errors = checker(actor, fiscal_year, rows, progress)
    if errors:
        return ImportResult(errors=errors)
    activities = list({row[1].pk: row[1] for row in clean}.values())
    number = 0
    try:
        with transaction.atomic():
            before = _totals(kind, activities)
            if kind == ImportJob.Kind.BUDGET:
                revisions: dict[int, tuple[Activity, list[dict], str]] = {}
                for number, activity, version, account, fund, amount, description, reason in clean:  # noqa: B007
                    line = {"account_code": account, "fund_source": fund, "amount": amount, "description": description}
                    if version == BudgetVersion.REVISED:
                        # Through the revision itself: a first revision carries the original lines over (a file
                        # of one changed line used to leave the activity with that line as its whole budget).
                        revisions.setdefault(activity.pk, (activity, [], reason))[1].append(line)
                    else:
                        if version == BudgetVersion.ORIGINAL:
                            version = BudgetVersion.DRAFT  # the budget once "Approve budget" says so, not before
                        actions.write_budget_line(
                            actor=actor, activity=activity, version=version, reason=_("Imported"), **line
                        )
                for activity, lines, reason in revisions.values():
                    actions.revise_budget(actor=actor, activity=activity, lines=lines, reason=reason)
            else:
                locked = {}
                for number, activity, date, amount, document, description in clean:  # noqa: B007
                    if activity.pk not in locked:
                        locked[activity.pk] = Activity.objects.select_for_update().get(pk=activity.pk)
                    actions.add_realisation(
                        actor=actor,
                        activity=locked[activity.pk],
                        date=date,
                        amount=amount,
                        document_number=document,
                        description=description,
                    )
            changes = _changes(activities, before, _totals(kind, activities))
    except ValidationError as error:  # the data changed between checking and writing
        return ImportResult(errors=[RowError(number, "", " ".join(error.messages))])
    if progress:
        progress(len(rows))
    return ImportResult(imported=len(clean), changes=changes)


def import_file(*, actor, fiscal_year, kind: str, content: bytes, filename: str, progress=None) -> ImportResult:
    try:
        table = read_table(content, file_format(filename))
    except ValidationError as error:
        return ImportResult(errors=[RowError(1, "", " ".join(error.messages))])
    rows, errors = rows_as_dicts(table, COLUMNS[kind])
    if errors:
        return ImportResult(errors=errors)
    return import_rows(actor=actor, fiscal_year=fiscal_year, kind=kind, rows=rows, progress=progress)


# --- jobs (the page's entry point) -----------------------------------------------------------------


def _job_dir() -> Path:
    path = Path(settings.PRIVATE_UPLOAD_ROOT) / "planning-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_import(*, actor, fiscal_year, kind: str, uploaded) -> ImportJob:
    """Run a small file now; store a large one privately and hand it to a Celery task."""
    check_may_import(actor, kind)
    content = uploaded.read()
    fmt = file_format(uploaded.name)
    job = ImportJob.objects.create(fiscal_year=fiscal_year, kind=kind, owner=actor, filename=uploaded.name[:255])
    try:
        table = read_table(content, fmt)
    except ValidationError as error:
        return _finish(job, ImportResult(errors=[RowError(1, "", " ".join(error.messages))]))
    job.total = max(len(table) - 1, 0)
    if job.total > ASYNC_THRESHOLD:
        path = _job_dir() / f"{uuid.uuid4().hex}.{fmt}"
        path.write_bytes(content)
        job.file_path = str(path)
        job.save(update_fields=["total", "file_path"])
        from .tasks import run_import_job

        enqueue_on_commit(run_import_job, job.pk)
        return job
    job.save(update_fields=["total"])
    rows, errors = rows_as_dicts(table, COLUMNS[kind])
    result = (
        ImportResult(errors=errors)
        if errors
        else import_rows(actor=actor, fiscal_year=fiscal_year, kind=kind, rows=rows)
    )
    return _finish(job, result)


def _finish(job: ImportJob, result: ImportResult) -> ImportJob:
    job.state = ImportJob.State.DONE if result.ok else ImportJob.State.FAILED
    job.imported = result.imported
    job.errors = [e.as_dict() for e in result.errors[:200]]
    job.changes = result.changes
    job.done = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "imported", "errors", "changes", "done", "finished_at"])
    return job


def run_import_job(*, job_id: int) -> ImportJob | None:
    """The task's body: claim the job once (a second run is a no-op), import, record the outcome."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.PENDING).update(state=ImportJob.State.RUNNING)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("owner", "fiscal_year").get(pk=job_id)
    path = Path(job.file_path)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=min(done, job.total))

    try:
        result = import_file(
            actor=job.owner,
            fiscal_year=job.fiscal_year,
            kind=job.kind,
            content=path.read_bytes(),
            filename=path.name,
            progress=progress,
        )
    except PermissionDenied as error:
        result = ImportResult(errors=[RowError(1, "", str(error))])
    _finish(job, result)
    path.unlink(missing_ok=True)
    return job


# --- export ---------------------------------------------------------------------------------------


def _file_version(version: str) -> str:
    """A line's version as a file names it: lines awaiting approval are original lines, so an export imports back."""
    return BudgetVersion.ORIGINAL if version == BudgetVersion.DRAFT else version


def _about(activity: Activity) -> list:
    """What a reader needs beside the code, which repeats every year: the activity's name, department and year."""
    return [activity.name, activity.department.short_name, activity.fiscal_year.year]


def export_table(*, fiscal_year, kind: str) -> list[list]:
    """The year's lines or payments, in the import's columns (the import reads them by name and leaves the others:
    an export imports back) with ``EXPORT_ABOUT`` after the code."""
    if kind == ImportJob.Kind.BUDGET:
        # A revised line's reason, as a file gives it (and the import asks it back): that of the revision that last
        # changed the line, else (a line the revision carried over from the original unchanged) the activity's
        # latest revision's.
        changes = BudgetChange.objects.exclude(reason="").order_by("-created_at", "-id").values("reason")
        own = changes.filter(line=OuterRef("pk"))[:1]
        latest_revision = changes.filter(line__activity=OuterRef("activity"), line__version=BudgetVersion.REVISED)[:1]
        lines = (
            BudgetLine.objects.filter(activity__fiscal_year=fiscal_year)
            .select_related("activity__department", "activity__fiscal_year")
            .annotate(last_reason=Coalesce(Subquery(own), Subquery(latest_revision)))
        )
        body = [
            [
                ln.activity.code,
                *_about(ln.activity),
                _file_version(ln.version),
                ln.account_code,
                ln.fund_source,
                ln.amount,
                ln.description,
                (ln.last_reason or "") if ln.version == BudgetVersion.REVISED else "",
            ]
            for ln in lines.order_by("activity__code", "version", "account_code")
        ]
        return [_with_about(BUDGET_COLUMNS), *body]
    items = Realisation.objects.filter(activity__fiscal_year=fiscal_year).select_related(
        "activity__department", "activity__fiscal_year"
    )
    body = [
        # The date as a date: a date cell in XLSX (Excel sorts and filters it as one), YYYY-MM-DD in CSV.
        [r.activity.code, *_about(r.activity), r.date, r.amount, r.document_number, r.description]
        for r in items.order_by("activity__code", "date", "id")
    ]
    return [_with_about(REALISATION_COLUMNS), *body]


def _with_about(columns: list[str]) -> list[str]:
    return [columns[0], *EXPORT_ABOUT, *columns[1:]]


def as_csv(table: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table:
        writer.writerow(["" if c is None else as_text_cell(c) for c in row])
    # With a byte order mark, as the portal's other CSV downloads: without it Excel reads UTF-8 as ANSI.
    return buffer.getvalue().encode("utf-8-sig")


# Rupiah in the planning XLSX: thousands grouped and two decimals, as a number Excel and LibreOffice sum.
XLSX_AMOUNT_FORMAT = "#,##0.00"


def _xlsx_amount(sheet, amount: Decimal):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=float(amount))
    cell.number_format = XLSX_AMOUNT_FORMAT
    return cell


def as_xlsx(table: list[list], title: str = "") -> bytes:
    """``table`` as a one-sheet XLSX named ``title`` (Excel's "Sheet" without one); amounts as grouped numbers."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or None)
    for row in table:
        sheet.append([_xlsx_amount(sheet, c) if isinstance(c, Decimal) else as_xlsx_cell(sheet, c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
