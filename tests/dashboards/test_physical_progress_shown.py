"""An activity's physical progress on the dashboards reads as on the plan's pages (a Bappeda planner's walk): an
activity without a progress report showed 0,0 (the pages: "No report yet"), and a report nobody had verified showed
its bare % (the public activity page: "not yet verified")."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}


def _cell(html: str, code: str) -> str:
    """The physical progress cell of activity ``code`` in the page's activities table."""
    table = html.split('data-table="activities"', 1)[1].split("</table>", 1)[0]
    row = next(row for row in table.split("<tr>") if f">{code}<" in row)
    return row.split("<td>")[8]  # after department, code, activity, stage, budget, realised, absorption


def test_the_public_table_says_no_report_yet_and_marks_a_report_not_verified(client, plan):
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No report yet" in _cell(page, "A2") and "0.0" not in _cell(page, "A2")
    assert _cell(page, "A1").startswith("25.0") and "not yet verified" in _cell(page, "A1")


def test_a_verified_report_is_shown_without_the_mark(client, plan):
    from planning.models import ProgressReport

    ProgressReport.objects.filter(activity=plan["A1"]).update(verified_at=timezone.now())
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _cell(page, "A1").startswith("25.0") and "not yet verified" not in _cell(page, "A1")


def test_the_department_files_give_none_and_whether_it_is_verified(client, staff_dlh, plan):
    client.force_login(staff_dlh)
    url = reverse("dashboards:export", args=["department", "activities", "json"])
    with time_machine.travel(NOW, tick=False):
        rows = client.get(url, {**FILTERS, "department": "dlh"}).json()["dataset"]["rows"]
        csv_text = client.get(
            reverse("dashboards:export", args=["department", "activities", "csv"]),
            {**FILTERS, "department": "dlh"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    by_code = {row["code"]: row for row in rows}
    assert (by_code["A2"]["physical"], by_code["A2"]["physical_verified"]) == (None, None)
    assert (by_code["A1"]["physical"], by_code["A1"]["physical_verified"]) == (25, False)
    csv_rows = {row["Code"]: row for row in csv.DictReader(io.StringIO(csv_text.content.decode("utf-8-sig")))}
    assert (csv_rows["A2"]["Physical progress (%)"], csv_rows["A2"]["Physical progress verified"]) == ("", "")
    assert (csv_rows["A1"]["Physical progress (%)"], csv_rows["A1"]["Physical progress verified"]) == ("25.0", "No")
