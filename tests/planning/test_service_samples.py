"""The activity pages' "Reports in the area, before and since the start" say how many reports each figure comes from
and, below the dashboards' minimum sample, "not enough data" (it read 100,0% from 4 reports); and there is no "since
the start" for work that has not started, whatever its planned start date (a budgeted activity dated January showed
one in June)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from dashboards.queries.base import MIN_SAMPLE
from planning import actions, queries
from planning.models import Stage, StageChange
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def june(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))


@pytest.fixture
def under_way(june, budgeted_activity, head_pupr):
    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 3, 10), amount="150000000", document_number="A"
    )
    budgeted_activity.refresh_from_db()
    return budgeted_activity


def resolved_before_the_start(n: int) -> None:
    """``n`` reports in the activity's area in October 2025, each resolved in two days, within its SLA."""
    for _ in range(n):
        filed = dt.datetime(2025, 10, 6, 1, tzinfo=dt.UTC)
        make_ticket(
            service="drainase-tersumbat",
            status="resolved",
            created_at=filed,
            resolved_at=filed + dt.timedelta(days=2),
            resolution_due_at=filed + dt.timedelta(days=5),
        )


def _row(html: str, row_id: str) -> list[str]:
    row = html.split(f'id="{row_id}">')[1].split("</tr>")[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]


def _page(client, name, activity) -> str:
    return client.get(reverse(name, args=[activity.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("page", ["planning:public_activity", "planning:activity"])
def test_a_rate_from_too_few_reports_is_not_shown_and_each_figure_says_its_sample(client, planner, under_way, page):
    resolved_before_the_start(4)
    client.force_login(planner)
    html = _page(client, page, under_way)
    assert _row(html, "service-sla") == ["Resolved within SLA", "not enough data (n = 4)", "not enough data (n = 0)"]
    assert _row(html, "service-median-days")[1] == "not enough data (n = 4)"
    assert _row(html, "service-per-month") == ["Reports per month", "0.3 (n = 4)", "0.0 (n = 0)", "not completed yet"]
    assert f"a median, rate or average needs at least {MIN_SAMPLE}" in html

    resolved_before_the_start(MIN_SAMPLE - 4)
    html = _page(client, page, under_way)
    assert _row(html, "service-sla")[1] == f"100.0% (n = {MIN_SAMPLE})"
    assert _row(html, "service-median-days")[1] == f"2.0 (n = {MIN_SAMPLE})"


@pytest.mark.parametrize("page", ["planning:public_activity", "planning:activity"])
def test_work_not_started_has_no_since_the_start_whatever_its_planned_date(
    client, planner, june, budgeted_activity, page
):
    make_ticket(service="drainase-tersumbat", created_at=dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC))
    assert budgeted_activity.start_date < dt.date(2026, 6, 15) and budgeted_activity.stage == Stage.BUDGETED
    figures = queries.service_indicators(budgeted_activity)
    assert figures["during"] is None
    # The months since the planned start are still before the work: the chart shows them so.
    assert "Jun 2026" in figures["monthly"]["labels"] and all(figures["monthly"]["before_start"])
    client.force_login(planner)
    html = _page(client, page, budgeted_activity)
    table = html.split('id="service-indicators"')[1].split("</table>")[0]
    assert "During the work" not in table and "After completion" not in table
    assert 'id="not-started"' in html and "The activity has not started yet." in html


def test_work_closed_unfinished_started_only_if_it_was_ever_in_execution(june, budgeted_activity, planner):
    budgeted_activity.stage = Stage.LAPSED
    budgeted_activity.save(update_fields=["stage"])
    assert not queries.execution_started(budgeted_activity)
    assert queries.service_indicators(budgeted_activity)["during"] is None
    StageChange.objects.create(
        activity=budgeted_activity, from_stage=Stage.BUDGETED, to_stage=Stage.IN_EXECUTION, actor=planner
    )
    assert queries.execution_started(budgeted_activity)
    assert queries.service_indicators(budgeted_activity)["during"] is not None
