"""Execution is recorded in its order: no payment or progress before the activity starts, and progress reported out
of order (December before November) still needs its reason when it goes down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from planning import actions, imports
from planning.models import ProgressReport, Realisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def starts_in_march(budgeted_activity, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC))
    budgeted_activity.start_date = dt.date(2026, 3, 16)
    budgeted_activity.save(update_fields=["start_date"])
    return budgeted_activity


def post(client, activity, name, data):
    with translation.override("en"):
        return client.post(
            reverse("planning:activity_action", args=[activity.pk, name]), data, HTTP_ACCEPT_LANGUAGE="en"
        )


def test_a_payment_before_the_start_is_refused_naming_the_start_and_kept_in_the_form(
    client, starts_in_march, head_pupr
):
    client.force_login(head_pupr)
    typed = {
        "realisation-date": "2026-02-10",
        "realisation-amount": "330.000.000",
        "realisation-document_number": "SP2D-0330",
        "realisation-description": "Uang muka",
    }
    response = post(client, starts_in_march, "realisation", typed)
    assert response.status_code == 400
    [error] = response.context["forms"]["realisation"].errors["date"]
    assert error.startswith("A payment cannot be dated before the activity starts (") and "2026" in error
    html = response.content.decode()
    for value in ("2026-02-10", "330.000.000", "SP2D-0330", "Uang muka"):
        assert f'value="{value}"' in html
    assert not Realisation.objects.exists()
    starts_in_march.refresh_from_db()
    assert starts_in_march.stage == "budgeted"  # not "in execution" with money spent before the start

    # The day it starts, it is accepted.
    actions.record_realisation(
        actor=head_pupr, activity=starts_in_march, date=dt.date(2026, 3, 16), amount=1, document_number="SP2D-1"
    )


def test_an_imported_payment_before_the_start_is_refused_by_row(starts_in_march, finance, fiscal_year):
    rows = [imports.REALISATION_COLUMNS, [starts_in_march.code, "2026-02-10", "330000000", "SP2D-0330", ""]]
    job = imports.start_import(
        actor=finance,
        fiscal_year=fiscal_year,
        kind="realisation",
        uploaded=SimpleUploadedFile("sp2d.csv", imports.as_csv(rows)),
    )
    job.refresh_from_db()
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "date")]
    assert not Realisation.objects.exists()


def test_progress_for_a_month_before_the_start_is_refused_the_month_of_the_start_is_not(
    client, starts_in_march, head_pupr
):
    client.force_login(head_pupr)
    response = post(client, starts_in_march, "progress", {"progress-month": "2026-02", "progress-physical_pct": "10"})
    assert response.status_code == 400
    [error] = response.context["forms"]["progress"].errors["month"]
    assert error.startswith("Progress cannot be reported for a month before the activity starts (")
    assert not ProgressReport.objects.exists()
    accepted = post(client, starts_in_march, "progress", {"progress-month": "2026-03", "progress-physical_pct": "10"})
    assert accepted.status_code == 302
    assert ProgressReport.objects.get().month == dt.date(2026, 3, 1)


def test_a_month_above_a_later_month_needs_the_reason_too(starts_in_march, head_pupr):
    actions.report_progress(actor=head_pupr, activity=starts_in_march, month=dt.date(2026, 12, 1), physical_pct=12.5)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        actions.report_progress(actor=head_pupr, activity=starts_in_march, month=dt.date(2026, 11, 1), physical_pct=60)
    [message] = refused.value.message_dict["problems"]
    assert "more than the 12.5% reported for December 2026, a later month" in message
    assert not ProgressReport.objects.filter(month=dt.date(2026, 11, 1)).exists()
    # Equal or lower than the later month needs nothing; with the reason, the higher figure is kept.
    actions.report_progress(actor=head_pupr, activity=starts_in_march, month=dt.date(2026, 10, 1), physical_pct=12.5)
    report = actions.report_progress(
        actor=head_pupr,
        activity=starts_in_march,
        month=dt.date(2026, 11, 1),
        physical_pct=60,
        problems="Desember salah ketik: seharusnya 62,5%.",
    )
    assert report.physical_pct == 60
