"""A proposal's count of citizen reports is the reports behind it: those linked to the proposal and, once it is
accepted, those linked to the activity it became, each counted once. The year-end audit walk found accepted 2026
proposals reading "Reports 0" on the board while their activities linked 10 to 15 reports."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.models import Privacy
from planning import actions
from planning.models import Proposal
from tests.factories import make_ticket

from .conftest import bridge_proposal, recommend_at_every_level

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def reports(citizen, n, **fields):
    return [
        make_ticket(service="drainase-tersumbat", kelurahan=MAWAR, reporter=citizen, title=f"Genangan {i}", **fields)
        for i in range(n)
    ]


@pytest.fixture
def accepted(fiscal_year, planner, head_pupr, citizen):
    """A proposal with 2 reports, accepted (they are copied to its activity), whose activity then gathered 11 more,
    one of them confidential."""
    proposal = bridge_proposal(fiscal_year, planner)
    proposal.tickets.set(reports(citizen, 2))
    recommend_at_every_level(proposal, planner=planner, head=head_pupr)
    activity = actions.accept_proposal(
        actor=planner,
        proposal=proposal,
        code="1.03.02.2.01.0009",
        start_date=dt.date(2026, 2, 1),
        end_date=dt.date(2026, 11, 30),
    )
    later = reports(citizen, 10) + reports(citizen, 1, privacy=Privacy.CONFIDENTIAL)
    actions.proposals.link_tickets(actor=planner, activity=activity, tickets=later)
    proposal.refresh_from_db()
    return proposal


def test_the_board_counts_the_reports_behind_an_accepted_proposal(client, planner, accepted):
    client.force_login(planner)
    response = client.get(reverse("planning:board"), {"tahun": 2026}, HTTP_ACCEPT_LANGUAGE="en")
    row = re.search(rf'<tr data-proposal="{accepted.pk}">.*?</tr>', response.content.decode(), re.S).group(0)
    cell = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.split('class="text-end">')[-1])).strip()
    assert cell == "13 proposal 2 · activity 13"


def test_a_proposal_in_review_counts_its_own_reports(client, planner, fiscal_year, citizen):
    proposal = bridge_proposal(fiscal_year, planner)
    proposal.tickets.set(reports(citizen, 3))
    client.force_login(planner)
    board = client.get(reverse("planning:board"), {"tahun": 2026}, HTTP_ACCEPT_LANGUAGE="en")
    assert [p.n_tickets for p in board.context["page"].object_list] == [3]
    assert "report-parts" not in board.content.decode()
    page = client.get(reverse("planning:proposal", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 linked reports" in page and 'id="report-parts"' not in page


def test_the_proposal_page_lists_the_reports_of_its_activity_too(client, planner, accepted):
    client.force_login(planner)
    page = client.get(reverse("planning:proposal", args=[accepted.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "13 linked reports" in page
    assert "2 linked to the proposal, 13 to the activity it became; a report linked to both is counted once." in page
    # Listed from both, each once: those the planner may open (not the confidential one, counted all the same).
    listed = re.search(r'<ul class="small" id="linked-tickets">(.*?)</ul>', page, re.S).group(1)
    assert listed.count("<li>") == 12


def test_the_public_proposals_page_counts_and_names_the_reports_behind_it(client, accepted):
    response = client.get(reverse("planning:public_proposals"), {"tahun": 2026}, HTTP_ACCEPT_LANGUAGE="en")
    [(proposal, standing)] = response.context["rows"]
    assert (proposal.n_tickets, proposal.n_public_tickets) == (13, 12)
    # The five newest public ones are named, whether linked to the proposal or to its activity.
    newest = accepted.activity.tickets.filter(privacy=Privacy.PUBLIC).order_by("-created_at", "-id")[:5]
    assert [t.reference for t in proposal.public_links] == [t.reference for t in newest]
    assert (standing["more_public"], standing["not_public"]) == (7, 1)
    html = response.content.decode()
    assert "Answers 13 reports" in html and "and 7 more public reports" in html
    assert "1 report that is not public" in html


def test_the_lists_read_the_counts_in_a_flat_number_of_queries(
    client, planner, head_pupr, fiscal_year, citizen, accepted, django_assert_max_num_queries
):
    def pages():
        client.force_login(planner)
        board = client.get(reverse("planning:board"), {"tahun": 2026}, HTTP_ACCEPT_LANGUAGE="en")
        client.logout()
        public = client.get(reverse("planning:public_proposals"), {"tahun": 2026}, HTTP_ACCEPT_LANGUAGE="en")
        return board, public

    with django_assert_max_num_queries(100) as one:  # measured: the same number once the lists are longer
        pages()
    for i in range(6):
        proposal = bridge_proposal(fiscal_year, planner)
        proposal.tickets.set(reports(citizen, 2))
        recommend_at_every_level(proposal, planner=planner, head=head_pupr)
        activity = actions.accept_proposal(
            actor=planner,
            proposal=proposal,
            code=f"1.03.02.2.01.00{20 + i}",
            start_date=dt.date(2026, 2, 1),
            end_date=dt.date(2026, 11, 30),
        )
        actions.proposals.link_tickets(actor=planner, activity=activity, tickets=reports(citizen, 3))
    with django_assert_max_num_queries(len(one)):
        board, public = pages()
    assert [p.n_tickets for p in board.context["page"].object_list] == [5] * 6 + [13]
    assert [len(p.public_links) for p, _standing in public.context["rows"]] == [5] * 7
    assert Proposal.objects.filter(status=Proposal.Status.ACCEPTED).count() == 7
