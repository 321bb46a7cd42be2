"""The planning pages as staff use them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning import actions, imports
from planning.models import Activity, Proposal
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_citizens_cannot_open_the_planning_board(client, citizen, fiscal_year):
    client.force_login(citizen)
    assert client.get(reverse("planning:board")).status_code == 403


def test_board_shows_where_the_city_is_in_the_calendar(client, planner, fiscal_year, time_machine):
    time_machine.move_to(dt.datetime(2025, 7, 15, 3, 0, tzinfo=dt.UTC))
    client.force_login(planner)
    page = client.get(reverse("planning:board"), {"tahun": 2026})
    current = [step["code"] for step in page.context["calendar"] if step["state"] == "current"]
    assert current == ["kuappas"]
    assert page.content.decode().count('aria-current="step"') == 1


def test_planner_proposes_from_a_cluster_on_the_evidence_page(
    client, planner, fiscal_year, fiscal_year_2027, citizen, django_assert_max_num_queries, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC))  # proposals are for 2027
    for _ in range(4):
        make_ticket(service="jalan-rusak", kelurahan="63.71.05.1003", reporter=citizen)
    client.force_login(planner)
    # 17: the clusters, their activities, and their reports with which of them the user opens on staff pages.
    with django_assert_max_num_queries(17):
        page = client.get(reverse("planning:evidence"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Propose from evidence" in html or "Usulkan dari bukti" in html
    assert 'id="evidence-map-data"' in html
    cluster = page.context["clusters"][0]
    assert cluster["count"] == 4
    response = client.post(
        reverse("planning:propose_from_evidence"),
        {"service": cluster["service"].pk, "area": cluster["area"].pk, "tahun": 2027},
    )
    proposal = Proposal.objects.get()
    assert proposal.fiscal_year == fiscal_year_2027
    assert response.url == reverse("planning:proposal", args=[proposal.pk])
    assert proposal.tickets.count() == 4


def test_activity_page_offers_finance_the_budget_forms_and_refuses_a_head(
    client, planned_activity, finance, head_pupr, django_assert_max_num_queries
):
    client.force_login(finance)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("planning:activity", args=[planned_activity.pk]))
    assert set(page.context["forms"]) == {"ceiling", "approve_budget"}
    assert 'id="progress-chart-data"' in page.content.decode()
    client.post(
        reverse("planning:activity_action", args=[planned_activity.pk, "ceiling"]),
        {"ceiling-amount": "750000000", "ceiling-fund_source": "pad", "ceiling-account_code": "5.1.02"},
    )
    client.post(
        reverse("planning:activity_action", args=[planned_activity.pk, "approve_budget"]),
        {
            "approve_budget-amount": "700000000",
            "approve_budget-fund_source": "pad",
            "approve_budget-account_code": "5.1.02",
        },
    )
    planned_activity.refresh_from_db()
    assert planned_activity.stage == "budgeted"
    client.force_login(head_pupr)
    response = client.post(
        reverse("planning:activity_action", args=[planned_activity.pk, "ceiling"]),
        {"ceiling-amount": "1", "ceiling-fund_source": "pad", "ceiling-account_code": "5.1.02"},
        follow=True,
    )
    assert "Only finance" in response.content.decode() or "BPKPAD" in response.content.decode()


def test_department_page_lists_activities_with_absorption_and_overdue_milestones(
    client, budgeted_activity, head_pupr, planner, django_assert_max_num_queries
):
    actions.add_milestone(
        actor=planner, activity=budgeted_activity, name="Kontrak ditandatangani", due_date=dt.date(2020, 1, 1)
    )
    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 2, 1), amount=375e6, document_number="SP2D-1"
    )
    client.force_login(head_pupr)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("planning:department", args=["pupr"]))
    html = page.content.decode()
    assert "Rp\u00a01.500.000.000" in html and "25,0%" in html
    assert "Kontrak ditandatangani" in html


def test_import_page_reports_bad_rows_and_exports(client, planned_activity, finance, fiscal_year):
    client.force_login(finance)
    rows = [imports.BUDGET_COLUMNS, [planned_activity.code, "indicative", "5.1", "pad", "-5", ""]]
    response = client.post(
        reverse("planning:import"),
        {"kind": "budget", "file": SimpleUploadedFile("pagu.csv", imports.as_csv(rows)), "tahun": 2026},
        follow=True,
    )
    assert response.context["job"].errors == [
        {"row": 2, "column": "amount", "reason": response.context["job"].errors[0]["reason"]}
    ]
    assert 'id="import-errors"' in response.content.decode()
    export = client.get(reverse("planning:export", args=["budget", "csv"]))
    assert export.status_code == 200 and export.content.startswith("\ufeffactivity_code,".encode())
    assert Activity.objects.get().budget_lines.count() == 0


def test_inspector_sees_the_computed_score_and_evaluates_a_completed_activity(
    client, budgeted_activity, head_pupr, inspector
):
    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 3, 1), amount=15e8, document_number="SP2D-1"
    )
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, 3, 1), physical_pct=100)
    actions.complete_activity(actor=head_pupr, activity=budgeted_activity, completed_on=dt.date(2026, 3, 30))
    client.force_login(inspector)
    page = client.get(reverse("planning:activity", args=[budgeted_activity.pk]))
    assert "evaluate" in page.context["forms"]
    assert page.context["score_preview"].budget_absorption_pct == 100
    assert 'id="score-preview"' in page.content.decode()
    client.post(
        reverse("planning:activity_action", args=[budgeted_activity.pk, "evaluate"]),
        {"evaluate-findings": "Tuntas.", "evaluate-recommendations": "Pelihara."},
    )
    budgeted_activity.refresh_from_db()
    assert budgeted_activity.stage == "evaluated"
    assert budgeted_activity.evaluations.get().evaluator == inspector


@pytest.mark.parametrize(
    ("language", "financial", "reports"),
    [("id", "Realisasi keuangan %", "Laporan per bulan"), ("en", "Financial realisation %", "Reports per month")],
)
def test_activity_charts_name_their_series_in_the_page_language(
    client, budgeted_activity, inspector, language, financial, reports
):
    import json
    import re

    client.force_login(inspector)
    page = client.get(reverse("planning:activity", args=[budgeted_activity.pk]), HTTP_ACCEPT_LANGUAGE=language)
    block = re.search(r'<script id="chart-series" type="application/json">(.*?)</script>', page.content.decode())
    series = json.loads(block.group(1))
    assert series["financial"] == financial and series["reports"] == reports
    assert set(series) == {"financial", "physical", "time", "reports"}


def test_the_activity_page_in_english_writes_percentages_the_english_way(client, budgeted_activity, head_pupr):
    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 2, 1), amount=1125e6, document_number="SP2D-1"
    )
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, 2, 1), physical_pct=88)
    client.force_login(head_pupr)
    english = client.get(reverse("planning:activity", args=[budgeted_activity.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = english.content.decode()
    assert "Rp\u00a01.125.000.000 (75.0%)" in html and "88.0%" in html  # Rupiah stays the city's way
    assert "75,0%" not in html and "88,0%" not in html
    indonesian = client.get(reverse("planning:activity", args=[budgeted_activity.pk]), HTTP_ACCEPT_LANGUAGE="id")
    assert "Rp\u00a01.125.000.000 (75,0%)" in indonesian.content.decode()


def test_board_before_any_fiscal_year_says_what_the_administrator_must_add(client, planner):
    client.force_login(planner)
    page = client.get(reverse("planning:board"), HTTP_ACCEPT_LANGUAGE="en")
    # The page is there, the year is not: "Not set up yet", not "Page not found" (deploy walk).
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="not-set-up"' in html and "Not set up yet" in html and "Page not found" not in html
    assert "Planning and budget › Fiscal years" in html
    assert 'id="set-up-link"' not in html  # a planner has no admin access


def test_the_administrator_gets_a_link_to_set_the_year_up(client, city):
    from tests.conftest import make_city_role

    admin = make_city_role("admin.kominfo@banjarmasinkota.go.id", "administrator")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)
    html = client.get(reverse("planning:board"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{reverse("admin:planning_fiscalyear_add")}"' in html


def test_a_missing_fiscal_year_is_a_plain_not_found_once_one_exists(client, planner, fiscal_year):
    client.force_login(planner)
    page = client.get(reverse("planning:board"), {"tahun": 1999})
    assert page.status_code == 404
    assert 'id="not-set-up"' not in page.content.decode()


def test_the_activity_page_shows_progress_photos_and_the_newest_budget_changes(
    client, budgeted_activity, head_pupr, finance, inspector, settings, tmp_path, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from planning.models import ProgressPhoto
    from tests.staff.conftest import jpeg_bytes

    settings.MEDIA_ROOT = tmp_path
    for month in (2, 3):
        actions.report_progress(
            actor=head_pupr,
            activity=budgeted_activity,
            month=dt.date(2026, month, 1),
            physical_pct=10 * month,
            photos=[SimpleUploadedFile(f"lokasi-{month}.jpg", jpeg_bytes(), content_type="image/jpeg")],
        )
    for n in range(35):
        line = {"account_code": "5.1.02", "fund_source": "pad", "amount": 1_500_000_000 + 1000 * (n + 1)}
        actions.revise_budget(actor=finance, activity=budgeted_activity, lines=[line], reason=f"Revisi ke-{n}")
    client.force_login(inspector)  # who verifies the progress, from its photos
    with django_assert_max_num_queries(40):
        html = client.get(reverse("planning:activity", args=[budgeted_activity.pk])).content.decode()
    photos = list(ProgressPhoto.objects.all())
    assert len(photos) == 2 and all(f'src="{photo.image.url}"' in html for photo in photos)
    # Finance's latest revision is in the history, the oldest are the ones left out.
    assert "(Revisi ke-34)" in html and "(Revisi ke-0)" not in html
    assert html.index("(Revisi ke-34)") < html.index("(Revisi ke-33)")


def test_only_who_may_enter_a_proposal_is_offered_the_form(
    client, fiscal_year, planner, finance, inspector, head_pupr, time_machine
):
    from services.models import Department

    time_machine.move_to(dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC))

    new = reverse("planning:proposal_new")
    for refused in (finance, inspector):
        client.force_login(refused)
        assert f'href="{new}' not in client.get(reverse("planning:board")).content.decode()
        assert client.get(new).status_code == 403  # before anything is typed
    client.force_login(head_pupr)
    response = client.get(new)
    assert response.status_code == 200
    assert list(response.context["form"].fields["department"].queryset) == [Department.objects.get(code="pupr")]
    client.force_login(planner)
    board = client.get(reverse("planning:board")).content.decode()
    assert f'href="{new}?tahun=2027"' in board  # the year proposed for, set up or not
    assert client.get(new).context["form"].fields["department"].queryset.count() > 1


def test_before_an_activity_starts_its_indicators_say_so_and_a_viewer_with_no_action_gets_no_empty_section(
    client, planned_activity, inspector
):
    planned_activity.start_date = dt.date(2026, 12, 1)
    planned_activity.save(update_fields=["start_date"])
    client.force_login(inspector)
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        response = client.get(reverse("planning:activity", args=[planned_activity.pk]))
    html = response.content.decode()
    table = html[html.index('id="service-indicators"') :]
    table = table[: table.index("</table>")]
    # Nothing to compare since a start still to come: no column for it, and no empty cell.
    assert '<td class="text-end"></td>' not in table and 'id="not-started"' in html
    assert "During the work" not in table and "After completion" not in table
    assert 'id="actions-title"' not in html
