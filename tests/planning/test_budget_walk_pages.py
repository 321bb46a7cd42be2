"""What the budget people's walk through fiscal year 2026 read on the staff plan pages: the proposal page's times in
WITA, the new-proposal form's areas grouped per kecamatan, the staff list's "Not budgeted yet" instead of Rp 0 and
0,0%, and indicator figures typed and shown the Indonesian way ("1.200" metres, not 1,2)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import Indicator, IndicatorValue
from services.models import Area
from tests.planning.conftest import bridge_proposal

pytestmark = pytest.mark.django_db

DEC_8_0853_WITA = dt.datetime(2026, 12, 8, 0, 53, tzinfo=dt.UTC)


def _en(client, url, **params) -> str:
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_proposal_page_says_its_times_in_wita(client, time_machine, fiscal_year, planner):
    time_machine.move_to(dt.datetime(2025, 2, 3, 0, 53, tzinfo=dt.UTC))
    proposal = bridge_proposal(fiscal_year, planner)
    from planning import actions

    actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="recommend", amount=1)
    client.force_login(planner)
    html = _en(client, reverse("planning:proposal", args=[proposal.pk]))
    assert "3 Feb 2025 08:53 WITA" in html.split("Entered by")[1].split("</dd>")[0]
    assert "3 Feb 2025 08:53 WITA" in html.split('id="reviews"')[1].split("</ol>")[0]


def test_the_new_proposal_form_groups_the_areas_per_kecamatan(client, time_machine, fiscal_year, planner):
    time_machine.move_to(dt.datetime(2025, 2, 3, 2, 0, tzinfo=dt.UTC))
    client.force_login(planner)
    html = _en(client, reverse("planning:proposal_new"), tahun=2026)
    select = html.split('name="area"')[1].split("</select>")[0]
    kecamatan = Area.objects.filter(level="kecamatan").order_by("name").first()
    kelurahan = kecamatan.children.order_by("name").first()
    group = select.split(f'<optgroup label="{kecamatan.name}">')[1].split("</optgroup>")[0]
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', group)
    # The kecamatan itself first, said to be one; then its kelurahan, named as the board names them.
    assert options[0] == (str(kecamatan.pk), f"{kecamatan.name} (whole kecamatan)")
    assert (str(kelurahan.pk), f"{kelurahan.name} ({kecamatan.name})") in options
    assert len(options) == 1 + kecamatan.children.count()


def test_the_staff_list_says_not_budgeted_yet_instead_of_rp_0(client, fiscal_year, planner):
    from planning import actions
    from services.models import Department

    actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year,
        code="1.03.02.2.01.0002",
        name="Siring Sungai Jingah",
        department=Department.objects.get(code="pupr"),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    client.force_login(planner)
    html = _en(client, reverse("planning:activities"), tahun=2026, tahap="planned")
    row = html.split('id="activities"')[1].split("</table>")[0]
    assert "Not budgeted yet" in row and "Rp\u00a00" not in row and "0.0%" not in row
    assert '<td class="text-end activity-absorption">—</td>' in row


def test_a_budgeted_activity_keeps_its_budget_and_absorption_on_the_staff_list(client, budgeted_activity, planner):
    client.force_login(planner)
    row = _en(client, reverse("planning:activities"), tahun=2026).split('id="activities"')[1].split("</table>")[0]
    assert "Rp\u00a01.500.000.000" in row and "0.0%" in row and "Not budgeted yet" not in row


@pytest.mark.parametrize(
    ("typed", "read"),
    [("1.200", "1200"), ("1200", "1200"), ("1,5", "1.5"), ("1.5", "1.5"), ("12.500,25", "12500.25")],
)
def test_an_indicator_target_is_read_the_indonesian_way(client, planned_activity, planner, typed, read):
    client.force_login(planner)
    response = client.post(
        reverse("planning:activity_action", args=[planned_activity.pk, "indicator"]),
        {
            "indicator-level": "output",
            "indicator-description": "Saluran dinormalisasi",
            "indicator-unit": "m",
            "indicator-baseline": "0",
            "indicator-target": typed,
            "indicator-direction": "increase",
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get().target == Decimal(read)


def test_a_target_that_is_not_a_number_is_refused_keeping_what_was_typed(client, planned_activity, planner):
    client.force_login(planner)
    response = client.post(
        reverse("planning:activity_action", args=[planned_activity.pk, "indicator"]),
        {
            "indicator-level": "output",
            "indicator-description": "Saluran dinormalisasi",
            "indicator-unit": "m",
            "indicator-baseline": "0",
            "indicator-target": "1.2345",
            "indicator-direction": "increase",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.context["forms"]["indicator"]["target"].errors == [
        "Please enter a number, for example 1.200 (one thousand two hundred) or 1,5 (one and a half)."
    ]
    assert 'value="1.2345"' in response.content.decode()


def test_indicator_figures_show_with_the_languages_grouping(client, time_machine, budgeted_activity, planner):
    from planning import actions

    time_machine.move_to(DEC_8_0853_WITA)
    indicator = actions.add_indicator(
        actor=planner,
        activity=budgeted_activity,
        level="output",
        description="Saluran dinormalisasi",
        unit="m",
        baseline=0,
        target=1200,
        direction="increase",
    )
    client.force_login(planner)
    url = reverse("planning:activity_action", args=[budgeted_activity.pk, "indicator_value"])
    typed = {"indicator_value-indicator": indicator.pk, "indicator_value-period": "2026-11-30"}
    assert client.post(url, {**typed, "indicator_value-value": "1.150"}).status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("1150")
    page = reverse("planning:activity", args=[budgeted_activity.pk])
    indonesian = client.get(page, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<td class="text-end">1.200</td><td class="text-end">1.150</td>' in indonesian
    assert '<td class="text-end">1,200</td><td class="text-end">1,150</td>' in _en(client, page)
    # The value's input takes "1.150" as typed: a number input read it as 1,15.
    assert 'type="text" inputmode="decimal" autocomplete="off" name="indicator_value-value"' in indonesian
