"""The activity pages' charts have their numbers as tables ("Show the numbers", as on the dashboards), and the stage
stepper says in words which stages are done: a screen reader heard only "Financial realisation, … per month" and a
colour-blind reader could not tell the months before the start from those since."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from planning import actions
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def june(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))


@pytest.fixture
def under_way(june, budgeted_activity, head_pupr):
    """Rp 1.2 billion of 1.5 paid in March (80 %), the work reported 40 % done in April and 70 % in May."""
    actions.record_realisation(
        actor=head_pupr,
        activity=budgeted_activity,
        date=dt.date(2026, 3, 10),
        amount="1200000000",
        document_number="SP2D-1",
        description="Termin pertama",
    )
    for month, pct in ((4, 40), (5, 70)):
        actions.report_progress(
            actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, month, 1), physical_pct=pct, problems=""
        )
    return budgeted_activity


@pytest.fixture
def area_reports(budgeted_activity):
    """Public reports in the activity's kelurahan about its service: two in October 2025, one in February 2026."""
    for day in (dt.datetime(2025, 10, 6, 9, tzinfo=WITA), dt.datetime(2025, 10, 20, 9, tzinfo=WITA)):
        make_ticket(service="drainase-tersumbat", created_at=day)
    make_ticket(service="drainase-tersumbat", created_at=dt.datetime(2026, 2, 3, 9, tzinfo=WITA))


def _table_rows(html: str, details_id: str) -> list[list[str]]:
    block = re.search(rf'<details [^>]*id="{details_id}".*?</details>', html, flags=re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", block, flags=re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)] for row in rows
    ]


@pytest.mark.parametrize("page", ["planning:public_activity", "planning:activity"])
def test_the_progress_chart_has_its_numbers_per_month(client, planner, under_way, page):
    client.force_login(planner)
    html = client.get(reverse(page, args=[under_way.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _table_rows(html, "progress-numbers")
    assert rows[0] == ["Month", "Financial realisation %", "Physical progress %", "Time elapsed %"]
    by_month = {row[0]: row[1:] for row in rows[1:]}
    assert len(by_month) == 12
    assert by_month["Feb 2026"][:2] == ["0.0%", "0.0%"]
    assert by_month["Mar 2026"][0] == "80.0%"
    assert by_month["Apr 2026"][1] == "40.0%" and by_month["May 2026"][1] == "70.0%"
    assert by_month["Jun 2026"][:2] == ["80.0%", "70.0%"]
    assert by_month["Jul 2026"][:2] == ["–", "–"]  # not yet
    assert by_month["Dec 2026"][2] == "100.0%"
    assert "Show the numbers" in html


@pytest.mark.parametrize("page", ["planning:public_activity", "planning:activity"])
def test_the_trend_chart_has_its_counts_grouped_before_and_since_the_start(
    client, planner, under_way, area_reports, page
):
    client.force_login(planner)
    html = client.get(reverse(page, args=[under_way.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _table_rows(html, "trend-numbers")
    assert rows[0] == ["Month", "Reports per month"]
    before, since = rows.index(["Before the start"]), rows.index(["Since the start"])
    assert before < since
    assert ["Oct 2025", "2"] in rows[before:since] and ["Feb 2026", "1"] in rows[since:]
    assert ["Nov 2025", "0"] in rows[before:since]
    # The groups are row groups a screen reader names with each month.
    assert html.count('scope="rowgroup"') == 2
    # The chart's legend names both series (static/js/planning-activity-chart.js reads them from the canvas).
    canvas = re.search(r'<canvas id="trend-chart"[^>]*>', html).group(0)
    assert 'data-before-label="Before the start"' in canvas and 'data-since-label="Since the start"' in canvas


def test_the_stepper_says_in_words_which_stages_are_done(client, under_way):
    html = client.get(reverse("planning:public_activity", args=[under_way.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    steps = re.search(r'<ol [^>]*id="stage"[^>]*>(.*?)</ol>', html.decode(), flags=re.S).group(1)
    items = re.findall(r"<li ([^>]*)>(.*?)</li>", steps)
    words = [re.sub(r"<[^>]+>", "", text) for _attrs, text in items]
    current = [i for i, (attrs, _text) in enumerate(items) if 'aria-current="step"' in attrs]
    assert len(current) == 1
    assert all(word.endswith(": done") for word in words[: current[0]])
    assert not words[current[0]].endswith((": done", ": not yet"))
    assert all(word.endswith(": not yet") for word in words[current[0] + 1 :])
