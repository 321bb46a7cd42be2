"""A department switched off keeps its history open (found in the QA walk of a department reorganisation: Perkim
merged into a new Disperkim). The city and public tables still showed a "Perkim" row with its past figures, yet the
city planner's department page refused it ("Not allowed"), the pickers left it out, the public page refused the
filter and the open-data download answered 400. It is choosable where the viewer may see every department, after the
active ones and labelled as no longer active; a department's own staff and heads still see their own only."""

import csv
import io
import re

import pytest
import time_machine
from django.urls import reverse

from services.models import Department
from tests.conftest import make_staff

from .conftest import NOW, Row, _at, build

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}
INACTIVE_LABEL = "Perkim (no longer active)"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def perkim_switched_off(dataset):
    """Three past Perkim reports (two closed, one still open), then Perkim switched off."""
    for name, day, status in (("K1", 3, "closed"), ("K2", 4, "closed"), ("K3", 5, "routed")):
        build(Row(name, _at(day), 2, 20 if status == "closed" else None, status), department="perkim")
    Department.objects.filter(code="perkim").update(active=False)


def _en(client, url, params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def _kpi(response, measure: str):
    return next(row["value"] for row in response.context["tables"]["summary"].rows if row["measure"] == measure)


def _options(page: str, select_attrs: str) -> list[str]:
    """The labels of a <select>'s options, in order (the empty choice left out)."""
    select = re.search(rf"<select[^>]*{select_attrs}[^>]*>(.*?)</select>", page, re.S).group(1)
    return [
        label.strip() for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select) if value
    ]


def _active_short_names() -> list[str]:
    return list(Department.objects.filter(active=True).order_by("short_name").values_list("short_name", flat=True))


@pytest.mark.parametrize("role", ["planner", "inspector", "administrator"])
def test_city_roles_open_the_department_page_of_a_department_switched_off(
    client, request, role, perkim_switched_off, frozen
):
    client.force_login(request.getfixturevalue(role))
    page = _en(client, reverse("dashboards:department"), {"department": "perkim", **FILTERS})
    assert page.status_code == 200
    assert page.context["department"].code == "perkim"
    assert _kpi(page, "tickets") == 3
    html = page.content.decode()
    assert "This department is no longer active" in html
    # The picker: every active department by name, then Perkim, said to be no longer active.
    assert _options(html, 'id="department-select"') == [*_active_short_names(), INACTIVE_LABEL]
    # Without a department asked for, the page opens on an active one.
    default = _en(client, reverse("dashboards:department"), FILTERS)
    assert default.context["department"].active
    assert "This department is no longer active" not in default.content.decode()


@pytest.mark.parametrize("role", ["planner", "finance"])
def test_the_city_page_filters_by_a_department_switched_off(client, request, role, perkim_switched_off, frozen):
    client.force_login(request.getfixturevalue(role))
    page = _en(client, reverse("dashboards:city"), {"department": "perkim", **FILTERS})
    assert page.status_code == 200
    assert not page.context["form"].errors
    assert page.context["window"].department_id == Department.objects.get(code="perkim").pk
    assert _kpi(page, "tickets") == 3
    assert _options(page.content.decode(), 'name="department"') == [*_active_short_names(), INACTIVE_LABEL]


def test_the_city_table_row_of_a_department_switched_off_leads_to_its_page(
    client, planner, perkim_switched_off, frozen
):
    client.force_login(planner)
    page = _en(client, reverse("dashboards:city"), FILTERS)
    row = next(row for row in page.context["tables"]["departments"].rows if row["code"] == "perkim")
    assert row["total"] == 3
    assert row["links"]["department"].startswith(f"{reverse('dashboards:department')}?department=perkim&")


def test_the_public_page_and_its_downloads_filter_by_a_department_switched_off(client, perkim_switched_off, frozen):
    page = _en(client, reverse("dashboards:public"), {"department": "perkim", **FILTERS})
    assert page.status_code == 200
    assert not page.context["form"].errors
    assert "Select a valid choice" not in page.content.decode()
    assert _kpi(page, "tickets") == 3
    assert _options(page.content.decode(), 'name="department"')[-1] == INACTIVE_LABEL
    assert "summary.csv?" in page.content.decode() and "department=perkim" in page.content.decode()

    download = _en(
        client, reverse("dashboards:export", args=["public", "summary", "csv"]), {"department": "perkim", **FILTERS}
    )
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert ["Tickets filed", "3"] in [row[:2] for row in rows]
    as_json = _en(
        client, reverse("dashboards:export", args=["public", "summary", "json"]), {"department": "perkim", **FILTERS}
    )
    assert as_json.status_code == 200
    assert {row["measure"]: row["value"] for row in as_json.json()["dataset"]["rows"]}["tickets"] == 3


@pytest.mark.parametrize("other", ["perkim", "pupr"])
def test_a_head_still_opens_only_their_own_department_active_or_not(
    client, head_dlh, perkim_switched_off, frozen, other
):
    client.force_login(head_dlh)
    assert client.get(reverse("dashboards:department"), {"department": other}).status_code == 403
    export = reverse("dashboards:export", args=["department", "summary", "csv"])
    assert client.get(export, {"department": other}).status_code == 403
    own = _en(client, reverse("dashboards:department"), FILTERS)
    assert own.context["department"].code == "dlh"
    assert 'id="department-select"' not in own.content.decode()  # one department: nothing to choose


def test_the_staff_of_a_department_switched_off_still_see_its_history_and_nothing_else(
    client, perkim_switched_off, frozen
):
    client.force_login(make_staff("petugas.perkim@example.id", "perkim", role="head"))
    own = _en(client, reverse("dashboards:department"), FILTERS)
    assert own.status_code == 200 and own.context["department"].code == "perkim"
    assert _kpi(own, "tickets") == 3
    assert "This department is no longer active" in own.content.decode()
    assert client.get(reverse("dashboards:department"), {"department": "dlh"}).status_code == 403
