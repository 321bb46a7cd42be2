"""The staff queue's export says how far each ticket was escalated, when its verification is due and how old it is
(an Inspektorat auditor's finding: the export had none of them, so the escalated tickets could not be picked out in a
spreadsheet). Three columns after the others, which stay where they were: "Escalation level" in words (none, head,
inspectorate), "Verification due (WITA)" (a date-time cell in the XLSX) and "Age (days)", whole WITA calendar days
since filing (a number). Both formats; the export reads no more queries for more tickets."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from complaints import exports
from complaints.models import Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
EXPORT = "/staf/antrian/ekspor/"
EARLIER = ["Reference", "Title", "Service", "Department", "Kecamatan", "Kelurahan", "Status", "Priority", "Privacy"]
EARLIER += ["Filed at (WITA)", "Resolution due (WITA)", "Overdue", "Assignee", "Supporters"]
ADDED = ["Escalation level", "Verification due (WITA)", "Age (days)"]


@pytest.fixture
def tickets(staff_dlh):
    """Three DLH tickets filed at 17:30 UTC, which is 01:30 WITA the next day: their age counts WITA days."""
    now = timezone.now()
    filed = (now - dt.timedelta(days=2)).astimezone(dt.UTC).replace(hour=17, minute=30, second=0, microsecond=0)
    if filed > now:
        filed -= dt.timedelta(days=1)
    due = filed + dt.timedelta(days=1, hours=3)  # 04:30 WITA the day after filing
    return {
        "none": make_ticket(created_at=filed, response_due_at=due),
        "head": make_ticket(created_at=filed, response_due_at=due, escalation_level=1, escalated_deadline="response"),
        "inspectorate": make_ticket(created_at=filed, response_due_at=None, escalation_level=2),
        "filed": filed,
        "due": due,
        "now": now,
    }


def _wita(moment: dt.datetime) -> dt.datetime:
    return (moment.astimezone(dt.UTC) + dt.timedelta(hours=8)).replace(tzinfo=None)


def _age(tickets) -> int:
    return (_wita(timezone.now()).date() - _wita(tickets["filed"]).date()).days


def test_the_csv_ends_with_the_escalation_the_verification_due_and_the_age(client, staff_dlh, tickets):
    client.force_login(staff_dlh)
    response = client.get(EXPORT, {"format": "csv", "status": "all"}, HTTP_ACCEPT_LANGUAGE="en")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == EARLIER + ADDED
    rows = {line[0]: dict(zip(lines[0], line, strict=True)) for line in lines[1:]}
    words = {rows[tickets[key].reference]["Escalation level"] for key in ("none", "head", "inspectorate")}
    assert words == {"None", "Head", "Inspectorate"}
    assert rows[tickets["head"].reference]["Escalation level"] == "Head"
    assert rows[tickets["head"].reference]["Verification due (WITA)"] == _wita(tickets["due"]).strftime(
        "%Y-%m-%d %H:%M"
    )
    assert rows[tickets["inspectorate"].reference]["Verification due (WITA)"] == ""
    assert {row["Age (days)"] for row in rows.values()} == {str(_age(tickets))}


def test_the_xlsx_has_the_due_time_as_a_date_and_the_age_as_a_number(client, staff_dlh, tickets):
    client.force_login(staff_dlh)
    response = client.get(EXPORT, {"format": "xlsx", "status": "all"}, HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == EARLIER + ADDED
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    head = rows[tickets["head"].reference]
    assert head["Escalation level"].value == "Head"
    due = head["Verification due (WITA)"]
    assert due.is_date and due.value == _wita(tickets["due"]) and due.number_format == "yyyy-mm-dd hh:mm"
    assert head["Age (days)"].value == _age(tickets) and head["Age (days)"].data_type == "n"
    assert rows[tickets["inspectorate"].reference]["Verification due (WITA)"].value is None


def test_more_tickets_read_no_more_queries(staff_dlh, tickets):
    def queries_for(queryset) -> int:
        with CaptureQueriesContext(connection) as captured:
            exports.write_csv(queryset, io.StringIO())
            exports.write_xlsx(queryset, io.BytesIO())
        return len(captured)

    one = queries_for(Ticket.objects.filter(pk=tickets["head"].pk))
    for _n in range(5):
        make_ticket(escalation_level=1)
    assert queries_for(Ticket.objects.all()) == one
