"""Physical progress is the department's own claim until a planner or an inspector verifies its report: the planning
pages that show it say so while it is not verified, and "No report yet" where nobody reported any (it read "0,0%
· latest monthly report")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from planning import actions
from planning.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(time_machine, budgeted_activity, head_pupr, planner):
    """April's 40% verified by the planner, May's 100% not yet."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))
    for month, pct in ((4, 40), (5, 100)):
        actions.report_progress(
            actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, month, 1), physical_pct=pct, problems=""
        )
    actions.verify_progress(actor=planner, report=ProgressReport.objects.get(month=dt.date(2026, 4, 1)))
    return budgeted_activity


def _card(html: str) -> str:
    start = html.index('id="physical"')
    return html[start : html.index("</div></div>", start)]


def _en(client, name, *args, **params):
    return client.get(reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("page", ["planning:public_activity", "planning:activity"])
def test_progress_not_verified_yet_is_marked_on_the_activity_pages(client, inspector, reported, page):
    client.force_login(inspector)
    card = _card(_en(client, page, reported.pk))
    assert ">100.0%<" in card and "latest monthly report" in card
    assert 'id="physical-unverified"' in card and "not yet verified" in card
    assert "until Bappeda or the Inspectorate verifies it" in card
    # The chart's numbers name the month whose figure is the department's own.
    numbers = _en(client, page, reported.pk).split('id="progress-unverified"')[1].split("</p>")[0]
    assert "May 2026" in numbers and "Apr 2026" not in numbers

    actions.verify_progress(actor=inspector, report=ProgressReport.objects.get(month=dt.date(2026, 5, 1)))
    html = _en(client, page, reported.pk)
    assert ">100.0%<" in _card(html) and "not yet verified" not in html
    assert 'id="progress-unverified"' not in html


@pytest.mark.parametrize("page", ["planning:public_activity", "planning:activity"])
def test_an_activity_without_progress_reports_says_no_report_yet(client, inspector, budgeted_activity, page):
    client.force_login(inspector)
    card = _card(_en(client, page, budgeted_activity.pk))
    assert "No report yet" in card
    assert "0.0%" not in card and "latest monthly report" not in card and "not yet verified" not in card


def test_the_activity_list_marks_progress_not_verified_yet(client, inspector, reported, planner, fiscal_year):
    silent = actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year,
        code="P9",
        name="Kegiatan tanpa laporan",
        department=reported.department,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        kelurahans=[],
        services=[],
    )
    client.force_login(inspector)
    for html in (
        _en(client, "planning:activities", tahun=2026),
        _en(client, "planning:department", reported.department.code, tahun=2026),
    ):
        rows = {code: html[html.index(f"{code}</span>") :].split("</tr>")[0] for code in (reported.code, silent.code)}
        assert "100.0%" in rows[reported.code] and "not yet verified" in rows[reported.code]
        assert "No report yet" in rows[silent.code] and "not yet verified" not in rows[silent.code]
