"""What a department head gets in the queue export's cells: in the XLSX the times are date-time cells in WITA (Excel
and LibreOffice sort and filter them as dates, not as text), "Overdue" says Yes or No in the reader's language (it
said "1" or nothing), Supporters is a number, and text that would start a formula stays text. The CSV has the same
words and WITA times as "YYYY-MM-DD HH:MM". Both the export built in the request and the one built by the worker."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from complaints import exports
from complaints.models import ExportJob, Status
from complaints.tasks import build_export
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
EXPORT = "/staf/antrian/ekspor/"
UTC = dt.UTC


@pytest.fixture
def queue(staff_dlh):
    """Three tickets of DLH's queue, filed at known minutes: one overdue, one not, one without a resolution due date.

    17:45 UTC is 01:45 the next day in Banjarmasin (WITA, UTC+8): a time written in UTC would show the wrong day."""
    day = (timezone.now() - dt.timedelta(days=3)).astimezone(UTC).replace(hour=17, minute=45, second=0, microsecond=0)
    late = make_ticket(
        status=Status.IN_PROGRESS,
        title='=HYPERLINK("http://x")',
        created_at=day,
        resolution_due_at=day + dt.timedelta(days=1),
        support_count=12,
    )
    on_time = make_ticket(
        created_at=day + dt.timedelta(minutes=5, seconds=39, microseconds=29_000),
        resolution_due_at=day + dt.timedelta(days=30),
    )
    undated = make_ticket(created_at=day + dt.timedelta(minutes=10), resolution_due_at=None)
    return {"late": late, "on_time": on_time, "undated": undated, "day": day}


def wita(moment: dt.datetime) -> dt.datetime:
    """The wall clock in Banjarmasin, as a spreadsheet holds it (no zone)."""
    return (moment.astimezone(UTC) + dt.timedelta(hours=8)).replace(tzinfo=None)


def xlsx_rows(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    return sheet, rows


def assert_typed_xlsx(content: bytes, queue):
    sheet, rows = xlsx_rows(content)
    late, on_time, undated = (rows[queue[key].reference] for key in ("late", "on_time", "undated"))

    filed = late["Filed at (WITA)"]
    assert filed.is_date and filed.value == wita(queue["day"])  # a date-time cell, 01:45 the next day
    assert filed.value.day == (queue["day"] + dt.timedelta(days=1)).day
    assert filed.number_format == "yyyy-mm-dd hh:mm"
    due = late["Resolution due (WITA)"]
    assert due.is_date and due.value == wita(queue["day"] + dt.timedelta(days=1))
    assert due.number_format == "yyyy-mm-dd hh:mm"
    assert undated["Resolution due (WITA)"].value is None  # an empty cell, not ""
    # To the second: no fraction in the formula bar ("17:50:39.029").
    assert on_time["Filed at (WITA)"].value == wita(queue["day"] + dt.timedelta(minutes=5, seconds=39))

    # Sorting by the filing column orders the tickets by when they were filed (a date, not text).
    by_filing = sorted(rows.values(), key=lambda row: row["Filed at (WITA)"].value)
    assert [row["Reference"].value for row in by_filing] == [
        queue[key].reference for key in ("late", "on_time", "undated")
    ]

    assert [row["Overdue"].value for row in (late, on_time, undated)] == ["Yes", "No", "No"]
    assert late["Supporters"].value == 12 and late["Supporters"].data_type == "n"
    assert late["Title"].value == '=HYPERLINK("http://x")' and late["Title"].data_type == "s"  # text, as typed

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{len(rows) + 1}"
    assert sheet.column_dimensions["B"].width >= 40  # the title is readable without widening the column


def test_the_inline_xlsx_has_date_time_cells_in_wita_and_overdue_in_words(client, staff_dlh, queue):
    client.force_login(staff_dlh)
    response = client.get(EXPORT, {"format": "xlsx", "status": "all"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert_typed_xlsx(response.content, queue)


def test_the_inline_csv_has_wita_times_and_overdue_in_the_readers_language(client, staff_dlh, queue):
    client.force_login(staff_dlh)
    response = client.get(EXPORT, {"format": "csv", "status": "all"}, HTTP_ACCEPT_LANGUAGE="en")
    rows = {row["Reference"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    late, undated = rows[queue["late"].reference], rows[queue["undated"].reference]
    assert late["Filed at (WITA)"] == wita(queue["day"]).strftime("%Y-%m-%d %H:%M")
    assert late["Filed at (WITA)"].endswith(" 01:45")
    assert undated["Resolution due (WITA)"] == ""
    assert {reference: row["Overdue"] for reference, row in rows.items()} == {
        queue["late"].reference: "Yes",
        queue["on_time"].reference: "No",
        queue["undated"].reference: "No",
    }
    assert late["Supporters"] == "12" and late["Title"].startswith("'=")

    indonesian = client.get(EXPORT, {"format": "csv", "status": "all"}, HTTP_ACCEPT_LANGUAGE="id")
    rows = list(csv.DictReader(io.StringIO(indonesian.content.decode("utf-8-sig"))))
    assert sorted(row["Terlambat"] for row in rows) == ["Tidak", "Tidak", "Ya"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_the_worker_builds_has_the_same_cells(client, staff_dlh, queue, monkeypatch, fmt):
    monkeypatch.setattr(exports, "INLINE_LIMIT", 1)
    client.force_login(staff_dlh)
    client.cookies["django_language"] = "en"
    assert client.get(EXPORT, {"format": fmt, "status": "all"}).status_code == 302
    job = ExportJob.objects.get(owner=staff_dlh)
    assert job.language == "en"
    # The worker runs in the site's language (Indonesian); the file is in the language of the page that asked.
    with translation.override("id"):
        if job.state != ExportJob.State.READY:  # with Redis the task is queued, not run
            build_export(job.pk)
            job.refresh_from_db()
    assert job.state == ExportJob.State.READY
    content = b"".join(client.get(f"{EXPORT}{job.pk}/unduh/").streaming_content)
    if fmt == "xlsx":
        assert_typed_xlsx(content, queue)
    else:
        rows = {row["Reference"]: row for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
        assert rows[queue["late"].reference]["Overdue"] == "Yes"
        assert rows[queue["on_time"].reference]["Overdue"] == "No"
        assert rows[queue["late"].reference]["Filed at (WITA)"] == wita(queue["day"]).strftime("%Y-%m-%d %H:%M")
