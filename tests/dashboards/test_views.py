"""Who may open which dashboard, what the public sees, downloads, and a fixed number of queries."""

import csv
import io
import json

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import make_user

from .conftest import CONFIDENTIAL_TITLE, NOW, SECRET_EMAIL, SECRET_NAME, SECRET_PHONE

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}
QUERY_LIMIT = 40


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_public_page_needs_no_login_and_shows_figures(client, dataset, frozen):
    page = client.get(reverse("dashboards:public"), FILTERS)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="dashboard-charts"' in html and "<canvas" in html
    assert "CC BY 4.0, Pemerintah Kota Banjarmasin" in html
    assert "WITA" in html


def _public_payloads(client):
    public = client.get(reverse("dashboards:public"), FILTERS).content.decode()
    catalogue = client.get(reverse("dashboards:open_data")).json()
    payloads = [public, json.dumps(catalogue)]
    for dataset in catalogue["datasets"]:
        for fmt in ("csv", "json"):
            response = client.get(reverse("dashboards:export", args=["public", dataset["key"], fmt]), FILTERS)
            assert response.status_code == 200
            payloads.append(response.content.decode())
    return payloads


def test_public_pages_and_open_data_never_show_confidential_tickets_or_reporters(client, dataset, frozen):
    confidential = dataset["T3"].reference
    anonymous_reporter_ticket = dataset["T9"].reference
    payloads = _public_payloads(client)
    everything = "\n".join(payloads)
    for secret in (
        SECRET_NAME,
        SECRET_EMAIL,
        SECRET_PHONE,
        CONFIDENTIAL_TITLE,
        confidential,
        "warga.biasa@example.id",
        "Warga Biasa",
    ):
        assert secret not in everything
    # The anonymous report itself is public (on the map), only who filed it is not.
    assert anonymous_reporter_ticket in everything


def test_public_figures_leave_confidential_tickets_out_of_counts(client, dataset, frozen):
    response = client.get(reverse("dashboards:export", args=["public", "summary", "json"]), FILTERS)
    body = response.json()
    tickets = next(r for r in body["dataset"]["rows"] if r["measure"] == "tickets")
    # 14 tickets, minus confidential T3 and rejected T5.
    assert tickets["value"] == 12
    assert body["licence"] == "CC BY 4.0, Pemerintah Kota Banjarmasin"


def test_csv_download_of_a_chart_carries_header_rows_and_licence(client, dataset, frozen):
    response = client.get(reverse("dashboards:export", args=["public", "weekly", "csv"]), FILTERS)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 5  # week, filed, done, merged into other reports, when they were computed
    assert all(r and r[0][:1].isdigit() for r in rows[1:])  # every line after the header is a week
    assert sum(int(r[1]) for r in rows[1:]) == 12
    # The licence travels beside the rows, where no spreadsheet reads it as one of them.
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in response["Link"]


def test_citizen_cannot_open_department_or_city_dashboards(client, citizen, dataset):
    client.force_login(citizen)
    assert client.get(reverse("dashboards:department")).status_code == 403
    assert client.get(reverse("dashboards:city")).status_code == 403
    assert client.get(reverse("dashboards:export", args=["city", "departments", "csv"])).status_code == 403
    assert client.get(reverse("dashboards:export", args=["department", "summary", "csv"])).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, city):
    response = client.get(reverse("dashboards:department"))
    assert response.status_code == 302 and "/akun/" in response["Location"]
    assert client.get(reverse("dashboards:export", args=["city", "summary", "json"])).status_code == 403


def test_staff_see_their_own_department_only(client, staff_dlh, dataset, frozen):
    client.force_login(staff_dlh)
    own = client.get(reverse("dashboards:department"), FILTERS)
    assert own.status_code == 200
    assert "Dinas Lingkungan Hidup" in own.content.decode()
    assert client.get(reverse("dashboards:department"), {"department": "pupr"}).status_code == 403
    assert (
        client.get(
            reverse("dashboards:export", args=["department", "summary", "csv"]), {"department": "pupr"}
        ).status_code
        == 403
    )
    assert client.get(reverse("dashboards:city")).status_code == 403


def test_head_sees_the_department_dashboard(client, head_dlh, dataset, frozen):
    client.force_login(head_dlh)
    response = client.get(reverse("dashboards:department"), {"department": "dlh", **FILTERS})
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["inspector", "planner", "administrator"])
def test_city_roles_open_city_and_any_department(client, role, request, dataset, frozen):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(reverse("dashboards:city"), FILTERS).status_code == 200
    page = client.get(reverse("dashboards:department"), {"department": "pupr", **FILTERS})
    assert page.status_code == 200
    assert 'id="department-select"' in page.content.decode()


def test_finance_without_department_is_refused(client, finance):
    client.force_login(finance)
    assert client.get(reverse("dashboards:department")).status_code == 403


def test_not_enough_data_is_shown_below_the_minimum_sample(client, inspector, dataset, frozen):
    client.force_login(inspector)
    html = client.get(reverse("dashboards:city"), FILTERS).content.decode()
    assert "not enough data" in html or "data belum cukup" in html


def test_department_dashboard_with_no_tickets_renders(client, city, frozen):
    user = make_user("kepala.damkar@banjarmasinkota.go.id")
    from services.models import Department, StaffMembership

    StaffMembership.objects.create(user=user, department=Department.objects.get(code="damkar"), role="head")
    client.force_login(user)
    assert client.get(reverse("dashboards:department")).status_code == 200


def test_invalid_filters_fall_back_to_defaults(client, dataset):
    assert client.get(reverse("dashboards:public"), {"date_from": "kemarin", "service": "nope"}).status_code == 200


@pytest.mark.parametrize(
    "name,fixture",
    [
        ("dashboards:public", None),
        ("dashboards:department", "staff_dlh"),
        ("dashboards:city", "inspector"),
        ("dashboards:city", "finance"),
    ],
)
def test_query_count_is_fixed(client, request, name, fixture, plan, frozen, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import DLH_ROWS, build

    if fixture:
        client.force_login(request.getfixturevalue(fixture))
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(name), FILTERS).status_code == 200
    for row in DLH_ROWS:  # twice the tickets
        build(row)
    cache.clear()
    with django_assert_max_num_queries(QUERY_LIMIT):
        with CaptureQueriesContext(connection) as second:
            assert client.get(reverse(name), FILTERS).status_code == 200
    assert len(second) == len(first)
    # A second visit within the cache period is served from the cache.
    with CaptureQueriesContext(connection) as cached:
        client.get(reverse(name), FILTERS)
    assert len(cached) < len(second)


def test_boundaries_are_served_for_the_maps(client, city):
    data = client.get(reverse("dashboards:boundaries", args=["kelurahan"])).json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) > 40
    assert client.get(reverse("dashboards:boundaries", args=["provinsi"])).status_code == 404


def test_pages_show_the_plan_with_rupiah_and_maps(client, inspector, plan, frozen):
    client.force_login(inspector)
    city = client.get(reverse("dashboards:city"), FILTERS).content.decode()
    assert "Rp\u00a0230.000.000" in city  # Banjarmasin Tengah's share of the budget
    assert 'id="kecamatan-spending"' in city and 'data-level="kecamatan"' in city
    department = client.get(reverse("dashboards:department"), {"department": "dlh", **FILTERS}).content.decode()
    assert "Kontrak ditandatangani" in department and "Rp\u00a080.000.000" in department
    public = client.get(reverse("dashboards:public"), FILTERS).content.decode()
    assert "You asked, we did" in public or "Kegiatan A2" in public


def test_date_fields_show_the_window_the_figures_use(client, inspector, dataset, frozen):
    """With no dates asked for, every figure counts the last 182 days: the fields say so (they were blank, and the
    city's "Overdue" differed from the queue's and the department's "Overdue now" with nothing to show why)."""
    client.force_login(inspector)
    html = client.get(reverse("dashboards:city")).content.decode()
    assert 'name="date_from" value="2025-09-06"' in html and 'name="date_to" value="2026-03-06"' in html
    window = html.split('id="dashboard-window"', 1)[1].split("</p>", 1)[0]
    assert "6 Sep 2025" in window and "6 Mar 2026" in window
    # Only an end date: the window ends there and reaches back the default length.
    html = client.get(reverse("dashboards:city"), {"date_to": "2026-02-28"}).content.decode()
    assert 'name="date_from" value="2025-08-31"' in html and 'name="date_to" value="2026-02-28"' in html
    # Dates asked for are shown as given.
    html = client.get(reverse("dashboards:city"), FILTERS).content.decode()
    assert 'name="date_from" value="2026-01-01"' in html and 'name="date_to" value="2026-03-06"' in html


def test_map_legend_classes_come_with_the_page(client, staff_dlh, dataset, frozen):
    client.force_login(staff_dlh)
    html = client.get(reverse("dashboards:department"), FILTERS).content.decode()
    assert 'data-classes="kelurahan-classes"' in html and 'id="kelurahan-classes"' in html


def test_csv_speaks_the_pages_language_and_its_licence_reaches_the_reader(client, dataset, frozen):
    """The licence was a footer row in the page's language; it is now on the page beside the download links (in
    its language), in the HTTP Link header and in the JSON, and the CSV's headings follow the page's language."""
    url = reverse("dashboards:export", args=["public", "weekly", "csv"])
    for language, filed, licence in (("en", "Filed", "Licence"), ("id", "Dilaporkan", "Lisensi")):
        response = client.get(url, FILTERS, HTTP_ACCEPT_LANGUAGE=language)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][1] == filed, language
        assert 'rel="license"' in response["Link"], language
        page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        open_data = page.split('id="open-data"', 1)[1]
        assert "weekly.csv?" in open_data, language  # the download links ...
        assert f'{licence}: <a href="https://creativecommons.org/licenses/by/4.0/" rel="license">' in open_data


def test_dates_in_tables_are_written_like_every_other_date():
    import datetime as dt

    from django.utils import translation

    from dashboards.templatetags.dashboard_tags import cell

    with translation.override("id"):
        assert cell({"due": dt.date(2026, 11, 30)}, "due") == "30 Nov 2026"
        assert cell({"due": dt.date(2026, 7, 2)}, "due") == "2 Jul 2026"


def test_weeks_read_as_dates_on_the_page_and_as_iso_in_downloads(client, dataset, frozen):
    from django.core.cache import cache

    cache.clear()
    page = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "2 Feb 2026" in page and ">2026-02-02<" not in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("dashboards:export", args=["public", "weekly", "csv"]), FILTERS).content.decode()
            )
        )
    )
    assert ["2026-02-02"] == [r[0] for r in rows if r and r[0] == "2026-02-02"]
