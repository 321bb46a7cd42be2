"""Inspektorat/BPKAD year-end walk of the public plan figures.

"You asked, we did" counted every public report linked to a finished activity as answered, the ones still open (one
escalated to the inspectorate) too: a report is answered once resolved or closed, or merged into one that is, and
the table says how many are still open. "The plan by stage" showed planned activities at Rp 0 beside their indicative
ceilings: their row shows the ceiling, and the column says so."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.models import Status, Ticket
from dashboards.queries import figures

from .conftest import NOW, RANGE, file_duplicates

pytestmark = pytest.mark.django_db


def rows_by(table, key):
    return {row[key]: row for row in table.rows}


@pytest.fixture
def answered_and_open(plan, dataset):
    """A2 (completed) answers T1 (closed) and the confidential T3 (plan); now also T2 (resolved), T4 and T11 (still
    routed), T5 (rejected), a report merged into T1 and one merged into T4."""
    from planning.models import ActivityTicket

    a2 = plan["A2"]
    into_closed, into_open = file_duplicates(dataset["T1"], 1)[0], file_duplicates(dataset["T4"], 1)[0]
    Ticket.objects.filter(pk=into_closed.pk).update(status=Status.DUPLICATE, duplicate_of=dataset["T1"])
    Ticket.objects.filter(pk=into_open.pk).update(status=Status.DUPLICATE, duplicate_of=dataset["T4"])
    for ticket in (dataset["T2"], dataset["T4"], dataset["T11"], dataset["T5"], into_closed, into_open):
        ActivityTicket.objects.create(activity=a2, ticket=ticket)
    return plan


def test_you_asked_we_did_counts_answered_only_the_resolved_and_says_how_many_are_open(answered_and_open):
    table = figures.public_dashboard(RANGE, now=NOW)["tables"]["you_asked_we_did"]
    (row,) = table.rows
    # T1, T2 and the report merged into T1; T4, T11 and the one merged into T4 are open; T5 (rejected) is neither,
    # and the confidential T3 is not a public figure at all.
    assert (row["code"], row["tickets"], row["open"]) == ("A2", 3, 3)
    with translation.override("en"):
        assert [str(label) for _key, label in table.columns] == [
            "Activity",
            "Department",
            "Public reports answered",
            "Public reports still open",
            "Finished",
        ]
        assert "finishing the work does not answer the reports still open" in str(table.note)


def test_the_open_data_file_has_the_open_column(client, answered_and_open, time_machine):
    time_machine.move_to(NOW)
    url = reverse("dashboards:export", args=["public", "you_asked_we_did", "csv"])
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "Public reports answered" in header and "Public reports still open" in header
    assert ",3,3," in row


def test_plan_by_stage_shows_the_ceiling_of_planned_activities(plan):
    from planning.models import BudgetLine

    BudgetLine.objects.create(
        activity=plan["A3"], version="indicative", account_code="5.2.03", fund_source="pad", amount=Decimal("250000000")
    )
    table = figures.city_dashboard(RANGE, now=NOW)["tables"]["plan_stages"]
    stages = rows_by(table, "stage")
    # A3 is planned: its indicative ceiling, not its original lines (not approved: no budget yet) nor Rp 0.
    assert stages["planned"]["budget"] == Decimal("250000000")
    assert stages["in_execution"]["budget"] == Decimal("80000000")  # A1's revised budget
    with translation.override("en"):
        assert dict(table.columns)["budget"] == "Budget (planned: indicative ceiling)"
        assert "indicative ceiling (pagu indikatif)" in str(table.note)
