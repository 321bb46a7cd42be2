"""Complaint evidence knows which reports an activity already answers, and proposals default to the year whose
Musrenbang runs.

In 2027 "Propose from evidence" on a drainage cluster attached 11 reports all linked to the 2026 activity already
budgeted for them, and their filers were told twice that the city had budgeted; nothing on the evidence page said so.
And during Musrenbang for 2027 (January–March 2026) the new-proposal form filed into 2026, the year being executed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from planning import actions, queries
from planning.models import Activity, Proposal
from services.models import Area, Service
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"


def drainage_reports(citizen, n):
    return [make_ticket(service="drainase-tersumbat", kelurahan=MAWAR, reporter=citizen) for _ in range(n)]


def cluster_of(clusters, code="drainase-tersumbat"):
    return next(c for c in clusters if c["service"].code == code and c["area"].code == MAWAR)


def test_evidence_page_names_the_activity_already_answering_a_clusters_reports(
    client, planner, citizen, budgeted_activity, fiscal_year_2027, django_assert_max_num_queries
):
    reports = drainage_reports(citizen, 5)
    actions.link_tickets(actor=planner, activity=budgeted_activity, tickets=reports[:3])
    client.force_login(planner)
    with django_assert_max_num_queries(17):
        page = client.get(reverse("planning:evidence"), {"tahun": 2027}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    cluster = cluster_of(page.context["clusters"])
    assert (cluster["count"], cluster["answered"], cluster["new"]) == (5, 3, 2)
    assert [(item["activity"], item["count"], item["live"]) for item in cluster["activities"]] == [
        (budgeted_activity, 3, True)
    ]
    html = page.content.decode()
    assert reverse("planning:activity", args=[budgeted_activity.pk]) in html
    assert f"2026 · {budgeted_activity.name}" in html
    assert "3 reports in" in html and "Budgeted" in html


def test_proposing_from_evidence_leaves_out_reports_a_live_activity_answers(
    client, planner, citizen, budgeted_activity, fiscal_year_2027
):
    reports = drainage_reports(citizen, 5)
    actions.link_tickets(actor=planner, activity=budgeted_activity, tickets=reports[:3])
    drains, mawar = Service.objects.get(code="drainase-tersumbat"), Area.objects.get(code=MAWAR)
    client.force_login(planner)
    with translation.override("en"):
        response = client.post(
            reverse("planning:propose_from_evidence"),
            {"service": drains.pk, "area": mawar.pk, "tahun": 2027},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        texts = [str(m) for m in get_messages(response.wsgi_request)]
    proposal = Proposal.objects.get()
    assert response.url == reverse("planning:proposal", args=[proposal.pk])
    assert proposal.fiscal_year == fiscal_year_2027
    assert set(proposal.tickets.all()) == set(reports[3:])
    assert proposal.problem.startswith("2 laporan tentang")
    # Stored in the site's language: after the first sentence, how many reports were left out.
    assert "3" in proposal.problem.split("hari).", 1)[1]
    assert "3 reports of this cluster were left out: they are already linked to activities in the plan." in texts


def test_reports_of_an_activity_that_lapsed_may_be_planned_again(planner, citizen, budgeted_activity, fiscal_year_2027):
    reports = drainage_reports(citizen, 3)
    actions.link_tickets(actor=planner, activity=budgeted_activity, tickets=reports)
    # Any stage other than the live ones (another change adds "lapsed" and "carried over") releases the reports.
    Activity.objects.filter(pk=budgeted_activity.pk).update(stage="lapsed")
    cluster = cluster_of(queries.evidence_clusters(fiscal_year=fiscal_year_2027))
    assert (cluster["answered"], cluster["new"]) == (0, 3)
    assert [item["live"] for item in cluster["activities"]] == [False]
    proposal = actions.propose_from_evidence(
        actor=planner,
        fiscal_year=fiscal_year_2027,
        service=Service.objects.get(code="drainase-tersumbat"),
        area=Area.objects.get(code=MAWAR),
    )
    assert proposal.tickets.count() == 3
    assert proposal.left_out == 0


def test_a_cluster_wholly_answered_is_not_proposed_again(client, planner, citizen, planned_activity, fiscal_year_2027):
    reports = drainage_reports(citizen, 2)
    actions.link_tickets(actor=planner, activity=planned_activity, tickets=reports)
    client.force_login(planner)
    page = client.get(reverse("planning:evidence"), {"tahun": 2027}, HTTP_ACCEPT_LANGUAGE="en")
    assert cluster_of(page.context["clusters"])["new"] == 0
    html = page.content.decode()
    assert "All already in the plan" in html
    assert reverse("planning:propose_from_evidence") not in html
    with pytest.raises(ValidationError, match="already linked to activities"), translation.override("en"):
        actions.propose_from_evidence(
            actor=planner,
            fiscal_year=fiscal_year_2027,
            service=Service.objects.get(code="drainase-tersumbat"),
            area=Area.objects.get(code=MAWAR),
        )
    assert not Proposal.objects.exists()


# --- the year new proposals are for ----------------------------------------------------------------


def test_proposal_year_is_the_one_whose_musrenbang_runs(fiscal_year, fiscal_year_2027):
    # The 2027 fixture's Musrenbang runs 6 January – 31 March 2026.
    assert queries.proposal_fiscal_year(dt.date(2026, 2, 10)) == fiscal_year_2027
    assert queries.current_fiscal_year(dt.date(2026, 2, 10)) == fiscal_year
    # Outside any Musrenbang: the first year not being executed yet (in December 2026, 2026 has weeks left)...
    assert queries.proposal_fiscal_year(dt.date(2026, 12, 6)) == fiscal_year_2027
    # ...set up or not: in June 2027 it is 2028, not the year being executed.
    assert queries.proposal_year(dt.date(2027, 6, 1)) == 2028
    assert queries.proposal_fiscal_year(dt.date(2027, 6, 1)) is None


def test_during_musrenbang_new_proposals_and_evidence_default_to_the_year_proposed_for(
    client, planner, citizen, fiscal_year, fiscal_year_2027, time_machine
):
    time_machine.move_to(dt.datetime(2026, 2, 10, 3, 0, tzinfo=dt.UTC))
    drainage_reports(citizen, 2)
    client.force_login(planner)

    board = client.get(reverse("planning:board"))
    assert board.context["fiscal_year"] == fiscal_year  # execution pages keep the year being executed
    html = board.content.decode()
    # Its menu opens the new-proposal form and the evidence on the year proposed for.
    assert f'href="{reverse("planning:proposal_new")}?tahun=2027"' in html
    assert f'href="{reverse("planning:evidence")}?tahun=2027"' in html

    form = client.get(reverse("planning:proposal_new"))
    assert form.context["fiscal_year"] == fiscal_year_2027
    assert 'name="tahun" value="2027"' in form.content.decode()

    evidence = client.get(reverse("planning:evidence"))
    assert evidence.context["fiscal_year"] == fiscal_year_2027
    assert 'name="tahun" value="2027"' in evidence.content.decode()

    # The year stays choosable.
    assert client.get(reverse("planning:proposal_new"), {"tahun": 2026}).context["fiscal_year"] == fiscal_year
    assert client.get(reverse("planning:evidence"), {"tahun": 2026}).context["fiscal_year"] == fiscal_year

    mawar = Area.objects.get(code=MAWAR)
    response = client.post(
        reverse("planning:proposal_new"),
        {
            "tahun": 2027,
            "source": "musrenbang_kelurahan",
            "title": "Normalisasi saluran",
            "problem": "Saluran tersumbat.",
            "area": mawar.pk,
            "department": Service.objects.get(code="drainase-tersumbat").default_department_id,
            "estimated_cost": "150.000.000",
        },
    )
    assert response.status_code == 302
    assert Proposal.objects.get().fiscal_year == fiscal_year_2027
