"""What a researcher needs to join the public plan's files (a researcher's walk: activities.csv had no id, which the
JSON had, no programme, no planned dates, no address of the activity's page; programmes.csv no programme code, which
the JSON had). They come last, before "Computed at (WITA)": the columns before stay where they were. The page's
table is unchanged: it links each activity to its page already."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from smartcity.site_links import absolute_url

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}
PAGE_COLUMNS = [
    "Department",
    "Code",
    "Activity",
    "Stage",
    "Budget (Rp)",
    "Realised (Rp)",
    "Budget absorption (%)",
    "Physical progress (%)",
    "Time elapsed (%)",
]
JOIN_COLUMNS = ["Activity id", "Programme code", "Planned start", "Planned end", "Public page"]
# After them, whether the physical progress was verified (``test_physical_progress_shown``).
VERIFIED = "Physical progress verified"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _export(client, key: str, fmt: str):
    return client.get(reverse("dashboards:export", args=["public", key, fmt]), FILTERS, HTTP_ACCEPT_LANGUAGE="en")


def _csv(client, key: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_export(client, key, "csv").content.decode("utf-8-sig"))))


def test_the_activities_csv_ends_with_the_id_programme_dates_and_page(client, plan, frozen):
    rows = _csv(client, "activities")
    assert list(rows[0]) == [*PAGE_COLUMNS, *JOIN_COLUMNS, VERIFIED, "Computed at (WITA)"]
    a1 = next(row for row in rows if row["Code"] == "A1")
    page = absolute_url(reverse("planning:public_activity", args=[plan["A1"].pk]))
    assert [a1[column] for column in JOIN_COLUMNS] == [str(plan["A1"].pk), "P-DLH-01", "2026-01-01", "2026-12-31", page]
    # The JSON says the same, under the same columns.
    dataset = _export(client, "activities", "json").json()["dataset"]
    assert [column["label"] for column in dataset["columns"]][-6:] == [*JOIN_COLUMNS, VERIFIED]
    row = next(row for row in dataset["rows"] if row["code"] == "A1")
    assert (row["id"], row["programme_code"], row["start_date"], row["end_date"], row["page"]) == (
        plan["A1"].pk,
        "P-DLH-01",
        "2026-01-01",
        "2026-12-31",
        page,
    )


def test_the_xlsx_has_them_as_cells_and_the_page_does_not_show_them(client, plan, frozen):
    sheet = load_workbook(io.BytesIO(_export(client, "activities", "xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == [*PAGE_COLUMNS, *JOIN_COLUMNS, VERIFIED, "Computed at (WITA)"]
    a1 = dict(zip(header, next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "A1"), strict=True))
    assert a1["Activity id"].value == plan["A1"].pk and a1["Programme code"].value == "P-DLH-01"
    assert a1["Planned start"].is_date and a1["Planned start"].value == dt.datetime(2026, 1, 1)
    page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    table = page.content.decode().split('data-table="activities"', 1)[1].split("</thead>", 1)[0]
    assert "Public page" not in table and "Activity id" not in table


def test_the_programmes_csv_names_each_programme_by_its_code(client, plan, frozen):
    rows = _csv(client, "programmes")
    assert list(rows[0])[-2:] == ["Programme code", "Computed at (WITA)"]
    assert list(rows[0])[0] == "Programme"  # the columns before stay where they were
    assert {row["Programme"]: row["Programme code"] for row in rows} == {"Pengelolaan Persampahan": "P-DLH-01"}


def test_the_department_activities_files_end_with_the_same_columns(client, staff_dlh, plan, frozen):
    """The department dashboard's activities files lacked what the public one's carry (a researcher joining a
    department's file with the public plan had only the code); both now end with the same columns, from one place."""
    client.force_login(staff_dlh)
    url = reverse("dashboards:export", args=["department", "activities", "csv"])
    response = client.get(url, {**FILTERS, "department": "dlh"}, HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # No department column there.
    assert list(rows[0]) == [*PAGE_COLUMNS[1:], *JOIN_COLUMNS, VERIFIED, "Computed at (WITA)"]
    a1 = next(row for row in rows if row["Code"] == "A1")
    page = absolute_url(reverse("planning:public_activity", args=[plan["A1"].pk]))
    assert [a1[column] for column in JOIN_COLUMNS] == [str(plan["A1"].pk), "P-DLH-01", "2026-01-01", "2026-12-31", page]
    department_json = client.get(
        reverse("dashboards:export", args=["department", "activities", "json"]),
        {**FILTERS, "department": "dlh"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()["dataset"]
    public_json = _export(client, "activities", "json").json()["dataset"]
    assert department_json["columns"][-5:] == public_json["columns"][-5:]
    row = next(row for row in department_json["rows"] if row["code"] == "A1")
    assert row["page"] == page and row["programme_code"] == "P-DLH-01"
