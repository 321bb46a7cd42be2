"""The public list of the plan's activities: a researcher or a journalist browses a year's activities, filters them and
downloads them (CSV, JSON) with what each activity's public page shows, and nothing it keeps from the public."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from complaints.models import Privacy, Status
from planning import actions
from planning.models import Activity, Stage
from services.models import Area, Department, Service
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"
OTHER_KELURAHAN = "63.71.01.1001"
SP2D = "SP2D-00917/2026"
PAYMENT_NOTE = "Termin pertama rekanan"
BUDGET_LINE = "Belanja modal jembatan internal"
SECRET_FINDINGS = "Temuan internal: rekanan terlambat menyerahkan laporan"
SECRET_RECOMMENDATIONS = "Rekomendasi internal: tegur rekanan"
SECRET_PROBLEMS = "Masalah internal: cuaca buruk"
STAGE_NOTE = "Catatan internal serah terima"
PROBLEM_STATEMENT = "Deskripsi internal usulan: jembatan lapuk"
PRIVATE_WORDS = (
    SP2D,
    PAYMENT_NOTE,
    BUDGET_LINE,
    SECRET_FINDINGS,
    SECRET_RECOMMENDATIONS,
    SECRET_PROBLEMS,
    STAGE_NOTE,
    PROBLEM_STATEMENT,
    "5.1.02",  # the budget line's account code
)


@pytest.fixture
def june(time_machine):
    """June 2026: fiscal year 2026 is being executed."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))


def new_activity(fiscal_year, planner, code, name, *, department="pupr", kelurahan=MAWAR, service="drainase-tersumbat"):
    return actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year,
        code=code,
        name=name,
        department=Department.objects.get(code=department),
        start_date=dt.date(fiscal_year.year, 2, 1),
        end_date=dt.date(fiscal_year.year, 11, 30),
        kelurahans=[Area.objects.get(code=kelurahan)] if kelurahan else [],
        services=[Service.objects.get(code=service)] if service else [],
    )


@pytest.fixture
def evaluated(june, budgeted_activity, planner, finance, head_pupr, inspector, citizen):
    """The bridge of Mawar: Rp 1.5 billion approved, Rp 1.2 billion paid, built, completed and evaluated, with
    internal words at every step; four public reports linked to it, and two that are not public."""
    activity = budgeted_activity
    Activity.objects.filter(pk=activity.pk).update(description=PROBLEM_STATEMENT)
    activity.budget_lines.update(description=BUDGET_LINE)
    public = [
        make_ticket(service="drainase-tersumbat", reporter=citizen, title=f"Saluran mampet {i}") for i in range(3)
    ]
    anonymous = make_ticket(service="drainase-tersumbat", privacy=Privacy.ANONYMOUS, reporter=citizen, title="Got")
    confidential = make_ticket(
        service="drainase-tersumbat", privacy=Privacy.CONFIDENTIAL, reporter=citizen, title="Rahasia: pungli"
    )
    submitted = make_ticket(service="drainase-tersumbat", status=Status.SUBMITTED, title="Belum dirutekan")
    actions.link_tickets(actor=planner, activity=activity, tickets=[*public, anonymous, confidential, submitted])
    actions.record_realisation(
        actor=head_pupr,
        activity=activity,
        date=dt.date(2026, 3, 10),
        amount="1200000000",
        document_number=SP2D,
        description=PAYMENT_NOTE,
    )
    actions.report_progress(
        actor=head_pupr, activity=activity, month=dt.date(2026, 5, 1), physical_pct=100, problems=SECRET_PROBLEMS
    )
    actions.complete_activity(actor=head_pupr, activity=activity, completed_on=dt.date(2026, 6, 15), note=STAGE_NOTE)
    actions.evaluate_activity(
        actor=inspector, activity=activity, findings=SECRET_FINDINGS, recommendations=SECRET_RECOMMENDATIONS
    )
    activity.refresh_from_db()
    return activity


@pytest.fixture
def plan(evaluated, fiscal_year, fiscal_year_2027, planner):
    """Besides the bridge: a DLH activity of 2026 elsewhere, still planned, and an activity of 2027."""
    return {
        "evaluated": evaluated,
        "planned": new_activity(
            fiscal_year,
            planner,
            "2.11.01.2.01.0002",
            "Penataan bank sampah Kelurahan lain",
            department="dlh",
            kelurahan=OTHER_KELURAHAN,
            service="jalan-rusak",
        ),
        "next_year": new_activity(fiscal_year_2027, planner, "1.03.02.2.01.0050", "Jembatan tahun depan"),
    }


def list_page(client, language="id", **params):
    return client.get(reverse("planning:public_activities"), params, HTTP_ACCEPT_LANGUAGE=language)


def names(response) -> list[str]:
    return [row["name"] for _activity, row in response.context["rows"]]


def row_html(html: str, activity) -> str:
    return html.split(f'id="kegiatan-{activity.pk}"')[1].split("</tr>")[0]


def test_anyone_lists_the_year_in_execution_with_each_activitys_public_figures(client, plan):
    response = list_page(client, "en")
    assert response.status_code == 200
    assert response.context["year"] == 2026
    assert sorted(names(response)) == sorted([plan["evaluated"].name, plan["planned"].name])
    html = response.content.decode()
    assert "Activities of the city&#x27;s plan, fiscal year 2026" in html
    bridge = row_html(html, plan["evaluated"])
    assert reverse("planning:public_activity", args=[plan["evaluated"].pk]) in bridge
    assert plan["evaluated"].code in bridge and plan["evaluated"].department.name in bridge
    assert "Mawar" in bridge
    assert "Rp\u00a01.500.000.000" in bridge and "Rp\u00a01.200.000.000" in bridge  # as on the activity page
    assert "80.0%" in bridge and "100.0%" in bridge
    assert "Evaluated" in bridge
    assert plan["evaluated"].evaluations.get().get_grade_display() in bridge
    assert '<td class="text-end activity-reports">4</td>' in bridge  # 3 public and 1 anonymous: not the 2 others
    planned = row_html(html, plan["planned"])
    assert "Not budgeted yet" in planned and "No report yet" in planned and "Planned" in planned
    assert "Jembatan tahun depan" not in html


def test_the_page_shows_rupiah_and_stages_as_the_activity_page_does(client, plan):
    html = list_page(client).content.decode()
    bridge = row_html(html, plan["evaluated"])
    assert "Rp\u00a01.500.000.000" in bridge and "Rp\u00a01.200.000.000" in bridge
    assert "80,0%" in bridge and "100,0%" in bridge
    activity_page = client.get(reverse("planning:public_activity", args=[plan["evaluated"].pk])).content.decode()
    assert "Sudah dievaluasi" in bridge and "Sudah dievaluasi" in activity_page
    assert 'id="stage-meanings"' in html


def test_nothing_kept_from_the_public_appears_in_the_page_or_the_files(
    client, plan, head_pupr, inspector, finance, planner, citizen
):
    people = (head_pupr, inspector, finance, planner, citizen)
    for i, person in enumerate(people):
        person.full_name = f"Nama Orang Dalam {i}"
        person.save(update_fields=["full_name"])
    texts = [
        list_page(client, "en").content.decode(),
        list_page(client, "en", format="csv").content.decode("utf-8"),
        list_page(client, "en", format="json").content.decode(),
    ]
    for text in texts:
        for private in PRIVATE_WORDS:
            assert private not in text
        for person in people:
            assert person.email not in text
            assert person.full_name not in text
        assert "Rahasia: pungli" not in text and "Belum dirutekan" not in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"department": "dlh"}, ["planned"]),
        ({"department": "pupr"}, ["evaluated"]),
        ({"kecamatan": "63.71.05"}, ["evaluated"]),
        ({"kelurahan": OTHER_KELURAHAN}, ["planned"]),
        ({"service": "drainase-tersumbat"}, ["evaluated"]),
        ({"stage": Stage.PLANNED}, ["planned"]),
        ({"stage": Stage.EVALUATED, "department": "pupr"}, ["evaluated"]),
        ({"stage": Stage.IN_EXECUTION}, []),
        ({"tahun": 2027}, ["next_year"]),
    ],
)
def test_the_filters_narrow_the_list(client, plan, params, expected):
    response = list_page(client, **params)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(plan[key].name for key in expected)
    if not expected:
        assert 'id="no-activities"' in response.content.decode()


def test_a_kelurahan_outside_the_kecamatan_is_named_and_refuses_the_download(client, plan):
    page = list_page(client, "en", kecamatan="63.71.05", kelurahan=OTHER_KELURAHAN)
    assert page.status_code == 200 and "is not in" in page.content.decode()
    assert names(page) == [plan["evaluated"].name]  # the kecamatan still filters
    refused = list_page(client, "en", kecamatan="63.71.05", kelurahan=OTHER_KELURAHAN, format="json")
    assert refused.status_code == 400 and "kelurahan" in refused.json()["errors"]
    assert list_page(client, department="no-such", format="csv").status_code == 400


@pytest.fixture
def many(june, fiscal_year, planner):
    return [new_activity(fiscal_year, planner, f"1.03.02.2.02.{i:04d}", f"Kegiatan nomor {i}") for i in range(30)]


def test_the_list_is_paged_and_its_query_count_does_not_grow(
    client, fiscal_year, planner, june, django_assert_max_num_queries
):
    new_activity(fiscal_year, planner, "1.03.02.2.01.9999", "Kegiatan pertama")
    # The year in execution, the years offered, the departments, kecamatan, kelurahan and services offered, the count,
    # the page, and its activities' kelurahan and services: 11, whatever the number of activities.
    with django_assert_max_num_queries(11):
        assert list_page(client).status_code == 200
    for i in range(30):
        new_activity(fiscal_year, planner, f"1.03.02.2.02.{i:04d}", f"Kegiatan nomor {i}")
    with django_assert_max_num_queries(11):
        first = list_page(client)
    assert len(first.context["rows"]) == 25 and first.context["page"].paginator.count == 31
    assert "page=2" in first.content.decode()
    with django_assert_max_num_queries(11):
        second = list_page(client, page=2)
    assert len(second.context["rows"]) == 6
    with django_assert_max_num_queries(6):
        assert len(list_page(client, format="json").json()["dataset"]["rows"]) == 31


def test_the_csv_holds_every_filtered_activity_in_whole_rupiah_with_the_time_computed(client, plan, many):
    response = list_page(client, "en", department="pupr", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="kegiatan-tahun-2026-department-pupr-2026-06-15-')
    assert disposition.endswith('-WITA.csv"')
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 31  # every page: the bridge and the 30 others of PUPR, not DLH's
    bridge = next(row for row in rows if row["Activity code"] == plan["evaluated"].code)
    assert bridge["Current budget (Rp)"] == "1500000000"
    assert bridge["Realised (Rp)"] == "1200000000"
    assert bridge["Budget absorption (%)"] == "80.0"
    assert bridge["Physical progress (%)"] == "100.0" and bridge["Physical progress verified"] == "No"
    assert bridge["Stage code"] == "evaluated" and bridge["Stage"] == "Evaluated"
    assert bridge["Evaluation grade"] == plan["evaluated"].evaluations.get().get_grade_display()
    assert bridge["Linked public reports"] == "4"
    assert bridge["Kelurahan codes"] == MAWAR and bridge["Service codes"] == "drainase-tersumbat"
    assert bridge["Planned start"] == "2026-01-01" and bridge["Fiscal year"] == "2026"
    assert bridge["Department code"] == "pupr"
    assert bridge["Public page"] == "http://testserver" + reverse(
        "planning:public_activity", args=[plan["evaluated"].pk]
    )
    assert bridge["Computed at (WITA)"].startswith("2026-06-15 10:")
    unbudgeted = next(row for row in rows if row["Activity"] == "Kegiatan nomor 0")
    assert unbudgeted["Current budget (Rp)"] == "" and unbudgeted["Physical progress (%)"] == ""
    assert unbudgeted["Realised (Rp)"] == "0"


def test_the_json_carries_the_rows_filters_licence_and_time(client, plan, many):
    response = list_page(client, "en", kecamatan="63.71.05", format="json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith('.json"')
    assert 'rel="license"' in response["Link"]
    body = json.loads(response.content)
    assert body["licence"] == "CC BY 4.0, Pemerintah Kota Banjarmasin"
    assert body["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert body["computed_at"].startswith("2026-06-15T10:")
    assert body["filters"] == {
        "tahun": 2026,
        "department": None,
        "kecamatan": "63.71.05",
        "kelurahan": None,
        "service": None,
        "stage": None,
    }
    dataset = body["dataset"]
    assert dataset["count"] == len(dataset["rows"]) == 31
    assert {column["key"] for column in dataset["columns"]} == set(dataset["rows"][0])
    bridge = next(row for row in dataset["rows"] if row["id"] == plan["evaluated"].pk)
    assert bridge["budget"] == 1_500_000_000 and isinstance(bridge["budget"], int)
    assert bridge["realised"] == 1_200_000_000
    assert bridge["absorption"] == 80.0 and bridge["physical"] == 100.0 and bridge["physical_verified"] is False
    assert bridge["grade"] and bridge["public_reports"] == 4
    assert bridge["kelurahan_codes"] == [MAWAR] and bridge["services"]
    assert bridge["start_date"] == "2026-01-01"


def test_a_formula_in_an_activity_name_is_written_as_text(client, june, fiscal_year, planner):
    new_activity(fiscal_year, planner, "1.03.02.2.01.0077", '=HYPERLINK("http://x")')
    text = list_page(client, format="csv").content.decode("utf-8")
    assert "'=HYPERLINK" in text


def test_the_list_is_linked_from_the_public_pages(client, plan):
    url = reverse("planning:public_activities")
    activity_page = client.get(reverse("planning:public_activity", args=[plan["evaluated"].pk])).content.decode()
    assert f'href="{url}?tahun=2026" id="all-activities"' in activity_page
    assert url in client.get(reverse("planning:public_proposals")).content.decode()
    assert url in client.get(reverse("dashboards:public")).content.decode()


def test_an_unknown_format_is_not_found(client, city):
    assert list_page(client, format="xml").status_code == 404
