"""The service indicators count the complaints in the activity's area before its start, during the work and after
its completion (for as long as "before", as far as the time since allows), computed from the tickets, so a reader
sees whether the complaints fell once the work was done. The year-end audit walk (Inspektorat, BPKAD, Bappeda) found
only "before" and "since the start", which mixed the months of the work with those after it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from planning import actions, queries
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def filed(n: int, first: dt.date, every_days: int) -> None:
    """``n`` drain reports in the activity's kelurahan (Mawar), the first on ``first``, then every ``every_days``."""
    for i in range(n):
        day = first + dt.timedelta(days=i * every_days)
        make_ticket(
            service="drainase-tersumbat", created_at=dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC)
        )


@pytest.fixture
def under_way(budgeted_activity, head_pupr, time_machine):
    """Started on 1 January 2026 (its first payment in March), with 12 reports in 2025, 6 from January to June."""
    time_machine.move_to(dt.datetime(2026, 6, 25, 3, tzinfo=dt.UTC))
    actions.record_realisation(
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 3, 10), amount="150000000", document_number="A"
    )
    filed(12, dt.date(2025, 1, 15), 30)
    filed(6, dt.date(2026, 1, 10), 30)
    budgeted_activity.refresh_from_db()
    return budgeted_activity


@pytest.fixture
def handed_over(under_way, head_pupr, time_machine):
    """Completed on 30 June 2026; one report since, and it is 15 October 2026."""
    actions.report_progress(actor=head_pupr, activity=under_way, month=dt.date(2026, 6, 1), physical_pct=100)
    time_machine.move_to(dt.datetime(2026, 7, 2, 3, tzinfo=dt.UTC))
    actions.complete_activity(actor=head_pupr, activity=under_way, completed_on=dt.date(2026, 6, 30))
    filed(1, dt.date(2026, 8, 20), 30)
    time_machine.move_to(dt.datetime(2026, 10, 15, 3, tzinfo=dt.UTC))
    under_way.refresh_from_db()
    return under_way


def _table(html: str) -> str:
    return html.split('id="service-indicators"')[1].split("</table>")[0]


def _cells(table: str, row_id: str) -> list[str]:
    row = table.split(f'id="{row_id}">')[1].split("</tr>")[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]


def _headers(table: str) -> list[str]:
    head = table.split("<thead>")[1].split("</thead>")[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head)]


def test_the_figures_split_before_during_and_after_completion(handed_over):
    figures = queries.service_indicators(handed_over)
    assert [figures[k]["count"] for k in ("before", "during", "after_completion")] == [12, 6, 1]
    assert figures["completed_on"] == dt.date(2026, 6, 30)
    # 1 July to 15 October: three of the twelve months after the hand-over so far, one report in them.
    assert (figures["after_months"], figures["after_completion"]["per_month"]) == (3, 0.3)
    assert (figures["before"]["per_month"], figures["during"]["per_month"]) == (1.0, 1.0)


@pytest.mark.parametrize("page", ["planning:activity", "planning:public_activity"])
def test_both_activity_pages_show_the_after_completion_column(client, planner, handed_over, page):
    client.force_login(planner)
    html = client.get(reverse(page, args=[handed_over.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = _table(html)
    assert _headers(table) == ["Indicator", "Before", "During the work", "After completion"]
    assert _cells(table, "service-per-month") == ["Reports per month", "1.0 (n = 12)", "1.0 (n = 6)", "0.3 (n = 1)"]
    assert (
        "Completed on 30 June 2026: “after completion” counts the reports since, 3 of the 12 months "
        "compared so far." in html
    )


@pytest.mark.parametrize("page", ["planning:activity", "planning:public_activity"])
def test_work_not_completed_yet_says_so_in_the_after_completion_column(client, planner, under_way, page):
    client.force_login(planner)
    html = client.get(reverse(page, args=[under_way.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = _table(html)
    assert _headers(table) == ["Indicator", "Before", "During the work", "After completion"]
    assert _cells(table, "service-per-month")[-1] == "not completed yet"
    assert 'id="not-completed"' in table and 'id="after-completion-window"' not in html
    assert queries.service_indicators(under_way)["after_completion"] is None


def test_a_full_year_after_completion_counts_twelve_months(handed_over, time_machine):
    time_machine.move_to(dt.datetime(2027, 9, 1, 3, tzinfo=dt.UTC))
    filed(2, dt.date(2027, 3, 1), 30)
    filed(1, dt.date(2027, 8, 1), 1)  # more than twelve months after the hand-over: not counted
    figures = queries.service_indicators(handed_over)
    assert (figures["after_months"], figures["after_completion"]["count"]) == (12, 3)
    assert figures["after_completion"]["per_month"] == 0.2
