"""An export whose file the retention job deleted (complaints/actions/retention.py: the row stays, its file_path
emptied) says so on its page and offers the same export again: it still showed "Ready" and a Download button that
led to a warning."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from complaints.actions.retention import delete_old_exports
from complaints.models import ExportJob

pytestmark = pytest.mark.django_db
QUERY = "status=open&service=sampah-menumpuk"


def finished_export(owner, *, days_ago: int, name: str) -> ExportJob:
    folder = Path(settings.PRIVATE_UPLOAD_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("Reference\nBJM-2026-000001\n")
    when = timezone.now() - dt.timedelta(days=days_ago)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return ExportJob.objects.create(
        owner=owner,
        query=QUERY,
        format="xlsx",
        state=ExportJob.State.READY,
        done=1,
        total=1,
        file_path=f"exports/{name}",
        finished_at=when,
        scope={"roles": [], "departments": []},
    )


def test_a_deleted_export_says_so_and_offers_to_export_again(
    client, staff_dlh, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_EXPORT_DAYS = 7
    old = finished_export(staff_dlh, days_ago=8, name="41-deleted.xlsx")
    recent = finished_export(staff_dlh, days_ago=2, name="42-kept.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        delete_old_exports()
    client.force_login(staff_dlh)

    html = client.get(reverse("staff:export_job", args=[old.pk])).content.decode()
    assert 'id="export-download"' not in html and "Download" not in html
    assert "The file was deleted after 7 days, as every export's is." in html
    assert '<span class="badge text-bg-secondary" id="export-state">File deleted</span>' in html
    again = (
        f'id="export-again" href="{reverse("staff:export")}?status=open&amp;service=sampah-menumpuk&amp;format=xlsx"'
    )
    assert again in html
    # The same fragment is what the page's polling swaps in.
    fragment = client.get(reverse("staff:export_job", args=[old.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'id="export-deleted"' in fragment and 'id="export-download"' not in fragment

    kept = client.get(reverse("staff:export_job", args=[recent.pk])).content.decode()
    assert 'id="export-download"' in kept and 'id="export-deleted"' not in kept


def test_one_day_is_said_in_the_singular(client, staff_dlh, settings):
    settings.RETENTION_EXPORT_DAYS = 1
    job = finished_export(staff_dlh, days_ago=2, name="43-deleted.csv")
    ExportJob.objects.filter(pk=job.pk).update(file_path="")
    client.force_login(staff_dlh)
    html = client.get(reverse("staff:export_job", args=[job.pk])).content.decode()
    assert "The file was deleted after 1 day, as every export's is." in html
