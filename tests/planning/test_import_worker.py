"""A large import runs on a real Celery worker, reports its progress and imports everything."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning import imports
from planning.models import BudgetLine, ImportJob
from tests.planning.test_imports import budget_rows, ten_planned  # noqa: F401  (fixture)

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.redis]


def test_a_large_budget_file_is_imported_by_the_worker(live_worker, ten_planned, finance, fiscal_year, client):  # noqa: F811
    client.force_login(finance)
    upload = SimpleUploadedFile("pagu.csv", imports.as_csv(budget_rows(ten_planned, 800)))
    response = client.post(reverse("planning:import"), {"kind": "budget", "file": upload, "tahun": 2026})
    job = ImportJob.objects.get()
    assert response.url == reverse("planning:import_job", args=[job.pk])
    assert job.total == 800
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
            break
        time.sleep(0.3)
    assert job.state == ImportJob.State.DONE, job.errors
    assert job.imported == 800 and BudgetLine.objects.count() == 800
    page = client.get(reverse("planning:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'data-state="done"' in page.content.decode() and "hx-trigger" not in page.content.decode()
