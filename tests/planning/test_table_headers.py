"""Every column of the planning tables has a header a screen reader can read: the service indicators' first column
(the indicators' names) and the evidence table's last one (its proposal button or badge) had an empty <th>, read as
nothing when moving along a row (axe: empty-table-header)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from planning import actions
from tests.aria import Page

pytestmark = pytest.mark.django_db


def _headers(client, url: str, table_id: str) -> list[str]:
    with translation.override("en"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = Page(html).by_id[table_id]
    return [" ".join(th.text.split()) for th in table.find_all("thead")[0].find_all("th")]


@pytest.mark.parametrize("page", ["planning:activity", "planning:public_activity"])
def test_the_service_indicators_name_their_first_column(client, budgeted_activity, head_pupr, planner, page):
    actions.record_realisation(  # in execution: the table compares before and since the start
        actor=head_pupr, activity=budgeted_activity, date=dt.date(2026, 1, 10), amount="1000000", document_number="A"
    )
    client.force_login(planner)
    headers = _headers(client, reverse(page, args=[budgeted_activity.pk]), "service-indicators")
    assert headers == ["Indicator", "Before", "During the work", "After completion"]


def test_the_evidence_table_names_its_proposal_column(client, fiscal_year, planner):
    client.force_login(planner)
    headers = _headers(client, reverse("planning:evidence"), "clusters")
    assert len(headers) == 7 and all(headers), headers
    assert headers[-1] == "Proposals"
