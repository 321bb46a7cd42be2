"""Finance and everyone on an activity's page see where it comes from: the proposal (linked), its review trail and the
amount last recommended; and a department head sees which reports make up a cluster of complaint evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.models import Privacy
from planning import actions
from tests.factories import make_ticket
from tests.planning.conftest import bridge_proposal

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"


def english_get(client, url):
    with translation.override("en"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def test_the_amount_agreed_in_review_reaches_finance_on_the_activity_page(
    client, fiscal_year, planner, head_pupr, finance, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))
    proposal = bridge_proposal(fiscal_year, planner, estimated_cost=1_250_000_000)
    amounts = {"kelurahan": 1_250_000_000, "kecamatan": 1_200_000_000, "department": 1_150_000_000}
    amounts["bappeda"] = 1_100_000_000
    for level, amount in amounts.items():
        actions.review_proposal(
            actor=head_pupr if level == "department" else planner,
            proposal=proposal,
            level=level,
            decision="recommend",
            amount=amount,
        )
    activity = actions.accept_proposal(
        actor=planner,
        proposal=proposal,
        code="1.03.10.2.01.0007",
        start_date=dt.date(2026, 7, 1),
        end_date=dt.date(2026, 12, 15),
    )
    client.force_login(finance)
    html = english_get(client, reverse("planning:activity", args=[activity.pk])).content.decode()
    section = html[html.index('id="from-proposal"') :].split("</section>")[0]
    assert f'href="{reverse("planning:proposal", args=[proposal.pk])}"' in section
    assert "Pembangunan jembatan" in section
    recommended = section[section.index('id="recommended-amount"') :].split("</p>")[0]
    assert "Rp\u00a01.100.000.000" in recommended and "Bappeda" in recommended
    trail = section[section.index('id="review-trail"') :].split("</ol>")[0]
    for label, amount in (
        ("Kelurahan", "1.250.000.000"),
        ("Kecamatan", "1.200.000.000"),
        ("Department", "1.150.000.000"),
        ("Bappeda", "1.100.000.000"),
    ):
        assert f"{label}: Rp\u00a0{amount}" in trail


def test_an_activity_entered_directly_has_no_proposal_section(client, planned_activity, finance):
    client.force_login(finance)
    html = english_get(client, reverse("planning:activity", args=[planned_activity.pk])).content.decode()
    assert 'id="from-proposal"' not in html


def test_a_department_head_sees_the_reports_of_the_clusters_of_their_department(
    client, fiscal_year, fiscal_year_2027, head_pupr, head_dlh, staff_pupr, planner, citizen
):
    drains = [make_ticket(service="drainase-tersumbat", kelurahan=MAWAR, reporter=citizen) for _ in range(2)]
    waste = [make_ticket(service="sampah-menumpuk", kelurahan=MAWAR, reporter=citizen) for _ in range(2)]
    secret = make_ticket(
        service="drainase-tersumbat", kelurahan=MAWAR, privacy=Privacy.CONFIDENTIAL, title="Rahasia: pungli"
    )
    evidence = reverse("planning:evidence") + "?tahun=2027"

    client.force_login(head_pupr)
    html = english_get(client, evidence).content.decode()
    row = html[html.index('data-service="drainase-tersumbat"') :].split("</tr>")[0]
    for ticket in drains:  # PUPR's own reports: their staff pages
        assert f'href="{reverse("staff:ticket", args=[ticket.reference])}"' in row
    assert "Its 2 reports" in row
    assert secret.reference not in html and "Rahasia" not in html
    other = html[html.index('data-service="sampah-menumpuk"') :].split("</tr>")[0]
    assert not any(ticket.reference in other for ticket in waste)  # DLH's cluster: not PUPR's head's

    # The planner sees every cluster's reports, on their public pages (no department's queue is theirs).
    client.force_login(planner)
    html = english_get(client, evidence).content.decode()
    for ticket in (*drains, *waste):
        assert f'href="{reverse("complaints:ticket", args=[ticket.reference])}"' in html
    assert secret.reference not in html

    # DLH's head sees DLH's cluster, not PUPR's; staff who are not a head see the counts, as before.
    client.force_login(head_dlh)
    html = english_get(client, evidence).content.decode()
    assert all(ticket.reference in html for ticket in waste)
    assert not any(ticket.reference in html for ticket in drains)
    client.force_login(staff_pupr)
    html = english_get(client, evidence).content.decode()
    assert not any(ticket.reference in html for ticket in (*drains, *waste))
