"""Percentages on the planning pages are rounded once, to the one decimal shown, as the dashboards round them: Rp
31.864.347.000 realised of Rp 52.368.384.000 is 60.8465%, shown 60,8% (rounded to 60.85 first, it showed 60,9%)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.queries.plan import pct as dashboard_pct
from planning import actions, queries

pytestmark = pytest.mark.django_db

BUDGET = "52368384000"
REALISED = "31864347000"


@pytest.fixture
def sixty_point_eight(planned_activity, finance, head_pupr, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))
    activity = planned_activity
    actions.set_ceiling(actor=finance, activity=activity, amount=BUDGET, fund_source="pad", account_code="5.1.02")
    actions.approve_budget(
        actor=finance,
        activity=activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": BUDGET, "description": "Belanja"}],
    )
    actions.record_realisation(
        actor=head_pupr, activity=activity, date=dt.date(2026, 3, 10), amount=REALISED, document_number="SP2D-1"
    )
    activity.refresh_from_db()
    return activity


def test_the_activity_list_shows_the_absorption_the_dashboards_show(client, inspector, sixty_point_eight):
    assert dashboard_pct(Decimal(REALISED), Decimal(BUDGET)) == Decimal("60.8")
    client.force_login(inspector)
    page = client.get(reverse("planning:activities"), {"tahun": 2026}).content.decode()
    totals = page[page.index('id="activity-totals"') :].split("</p>")[0]
    assert "Rp\u00a031.864.347.000</strong> (60,8%)" in totals
    row = page[page.index('id="activities"') :].split("</table>")[0]
    assert "60,8%" in row and "60,9%" not in row


def test_the_activity_pages_and_their_numbers_round_once(client, inspector, sixty_point_eight):
    client.force_login(inspector)
    staff = client.get(reverse("planning:activity", args=[sixty_point_eight.pk])).content.decode()
    assert "Rp\u00a031.864.347.000 (60,8%)" in staff
    public = client.get(reverse("planning:public_activity", args=[sixty_point_eight.pk])).content.decode()
    assert 'id="absorption">60,8%' in public
    # The chart's numbers are the page's, rounded once (March onwards: the one payment).
    assert queries.progress_chart(sixty_point_eight)["financial"][2:7] == [60.8, 60.8, 60.8, 60.8, None]
    numbers = public[public.index('id="progress-numbers"') :].split("</details>")[0]
    assert "60,8%" in numbers and "60,9%" not in numbers


def test_an_indicator_achievement_is_rounded_once(client, inspector, planner, sixty_point_eight):
    # 121,69 of 200 is 60.845%: 60,8%; kept to two decimals first (60.85), it read 60,9%.
    indicator = actions.add_indicator(
        actor=planner,
        activity=sixty_point_eight,
        level="output",
        description="Saluran dinormalisasi",
        unit="m",
        baseline=0,
        target=200,
        direction="increase",
    )
    actions.record_indicator_value(actor=planner, indicator=indicator, period=dt.date(2026, 5, 31), value="121.69")
    client.force_login(inspector)
    staff = client.get(reverse("planning:activity", args=[sixty_point_eight.pk])).content.decode()
    row = staff[staff.index("Saluran dinormalisasi") :].split("</tr>")[0]
    assert row.endswith('<td class="text-end">60,8%</td>')
