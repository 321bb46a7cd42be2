"""The import page asks which fiscal year a file is for and lists what it changed: activity codes repeat every
year, and a 2027 file imported in December 2026 used to revise the 2026 activities of the same codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning import actions, imports
from planning.models import BudgetLine, ImportJob
from services.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def same_code_next_year(planned_activity, fiscal_year_2027, planner):
    return actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year_2027,
        code=planned_activity.code,
        name="Normalisasi saluran drainase Kelurahan Mawar tahap 2",
        department=Department.objects.get(code="pupr"),
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )


def _upload(code):
    rows = [imports.BUDGET_COLUMNS, [code, "indicative", "5.1.02", "pad", "875.500.000", ""]]
    return SimpleUploadedFile("pagu-2027.csv", imports.as_csv(rows))


def test_the_form_names_the_year_and_preselects_the_pages_year(client, finance, same_code_next_year):
    client.force_login(finance)
    page = client.get(reverse("planning:import"), {"tahun": 2026})
    form = page.context["form"]
    assert form["tahun"].value() == 2026
    html = page.content.decode()
    assert '<select name="tahun"' in html and '<option value="2027">2027</option>' in html
    assert '<option value="2026" selected>2026</option>' in html


def test_a_file_goes_to_the_year_chosen_and_the_result_lists_what_changed(
    client, finance, planned_activity, same_code_next_year, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 10, 3, tzinfo=dt.UTC))  # December 2026: the page opens on 2026
    client.force_login(finance)
    response = client.post(
        reverse("planning:import"), {"tahun": 2027, "kind": "budget", "file": _upload(planned_activity.code)}
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("planning:import_job", args=[job.pk])
    assert not BudgetLine.objects.filter(activity=planned_activity).exists()
    assert BudgetLine.objects.get(activity=same_code_next_year).amount == Decimal("875500000")
    assert job.fiscal_year.year == 2027
    assert job.changes == [
        {
            "code": planned_activity.code,
            "name": "Normalisasi saluran drainase Kelurahan Mawar tahap 2",
            "year": 2027,
            "total": "indicative",
            "old": None,
            "new": "875500000.00",
        }
    ]
    html = client.get(reverse("planning:import_job", args=[job.pk])).content.decode()
    assert 'id="import-changes"' in html and "tahap 2" in html and "Rp\u00a0875.500.000" in html


def test_a_revision_shows_the_old_and_the_new_total(client, finance, budgeted_activity):
    client.force_login(finance)
    rows = [imports.BUDGET_COLUMNS, [budgeted_activity.code, "revised", "5.1.02", "pad", "1.750.000.000", "", "Harga"]]
    client.post(
        reverse("planning:import"),
        {"tahun": 2026, "kind": "budget", "file": SimpleUploadedFile("p.csv", imports.as_csv(rows))},
    )
    change = ImportJob.objects.get().change_rows()[0]
    assert (change["year"], change["old"], change["new"]) == (2026, None, Decimal("1750000000.00"))


def test_without_a_year_nothing_is_imported(client, finance, planned_activity):
    client.force_login(finance)
    response = client.post(reverse("planning:import"), {"kind": "budget", "file": _upload(planned_activity.code)})
    assert response.status_code == 400
    assert "tahun" in response.context["form"].errors
    assert not ImportJob.objects.exists() and not BudgetLine.objects.exists()
