"""The complaint → plan chain is clickable on the staff side, both ways.

A department head and Bappeda walking the chain found that the staff ticket page told of the plan update ("The city
has budgeted the activity …") without a link to the activity, and that the activity page (and the proposal page)
linked its reports to their public pages only: the head of the report's department, who handles it, lost its internal
history on the way. Each report now links to its staff page for whoever may open it there (the planning evidence
page's rule), else to its public page; and a confidential report stays off the list of whoever may not see it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Privacy
from planning import actions
from tests.factories import make_ticket

from .conftest import approve_budget_of, bridge_proposal

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"
# What the activity page costs a department head with 11 linked reports, 9 of them openable on the staff side: the
# same as with the first 6 of them (measured), where a query per report would add one for each. One of them asks
# whether the activity or its department's year is evaluated (then no payment is offered).
QUERIES_OF_THE_ACTIVITY_PAGE = 39


def english_get(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def staff_page(ticket) -> str:
    return f'href="{reverse("staff:ticket", args=[ticket.reference])}"'


def public_page(ticket) -> str:
    return f'href="{reverse("complaints:ticket", args=[ticket.reference])}"'


def staff_pages_in(html: str) -> int:
    """How many links in ``html`` open a staff ticket page (``/staf/tiket/…``)."""
    return html.count('href="' + reverse("staff:ticket", args=["REF"]).removesuffix("REF/"))


def linked_list(html: str) -> str:
    return html[html.index('id="linked-tickets"') :].split("</ul>")[0]


@pytest.fixture
def reports(citizen):
    """Reports in Mawar: PUPR's drainage (public, and one confidential) and DLH's rubbish (public, and one
    confidential)."""
    return {
        "pupr": [
            make_ticket(service="drainase-tersumbat", kelurahan=MAWAR, reporter=citizen, title=f"Saluran mampet {i}")
            for i in range(3)
        ],
        "pupr_secret": make_ticket(
            service="drainase-tersumbat", kelurahan=MAWAR, privacy=Privacy.CONFIDENTIAL, title="Rahasia: pungli PUPR"
        ),
        "dlh": make_ticket(service="sampah-menumpuk", kelurahan=MAWAR, reporter=citizen, title="Sampah menumpuk"),
        "dlh_secret": make_ticket(
            service="sampah-menumpuk", kelurahan=MAWAR, privacy=Privacy.CONFIDENTIAL, title="Rahasia: pungli DLH"
        ),
    }


@pytest.fixture
def answered(planned_activity, planner, finance, reports):
    """Every report linked to the activity, then finance budgets it: each report's timeline gets the plan update."""
    linked = [*reports["pupr"], reports["pupr_secret"], reports["dlh"], reports["dlh_secret"]]
    actions.link_tickets(actor=planner, activity=planned_activity, tickets=linked)
    approve_budget_of(planned_activity, finance)
    return planned_activity


def test_the_staff_ticket_page_links_its_plan_update_to_the_staff_activity_page(client, answered, reports, head_pupr):
    ticket = reports["pupr"][0]
    client.force_login(head_pupr)
    html = english_get(client, reverse("staff:ticket", args=[ticket.reference])).content.decode()
    update = html[html.index('data-type="plan_update"') :].split("</li>")[0]
    assert f"The city has budgeted the activity “{answered.name}”" in update
    assert f'href="{reverse("planning:activity", args=[answered.pk])}"' in update
    assert reverse("planning:public_activity", args=[answered.pk]) not in update
    # The link opens: every viewer of a staff ticket page is city staff, who may read the plan.
    assert english_get(client, reverse("planning:activity", args=[answered.pk])).status_code == 200


def test_the_activity_page_links_each_report_where_its_viewer_may_open_it(
    client, answered, reports, head_pupr, head_dlh, inspector, planner, django_assert_max_num_queries
):
    page = reverse("planning:activity", args=[answered.pk])

    # PUPR's head handles PUPR's reports, its confidential one included: their staff pages. DLH's public report is
    # read on its public page; DLH's confidential one is not for PUPR's head at all.
    client.force_login(head_pupr)
    html = english_get(client, page).content.decode()
    assert "6 linked reports" in html
    listed = linked_list(html)
    for ticket in (*reports["pupr"], reports["pupr_secret"]):
        assert staff_page(ticket) in listed
    assert public_page(reports["dlh"]) in listed and staff_page(reports["dlh"]) not in listed
    assert reports["dlh_secret"].reference not in html and "Rahasia: pungli DLH" not in html

    client.force_login(head_dlh)
    listed = linked_list(english_get(client, page).content.decode())
    assert staff_page(reports["dlh"]) in listed and staff_page(reports["dlh_secret"]) in listed
    assert all(public_page(ticket) in listed for ticket in reports["pupr"])
    assert reports["pupr_secret"].reference not in listed

    # The inspectorate may open every report on the staff side.
    client.force_login(inspector)
    listed = linked_list(english_get(client, page).content.decode())
    everything = [*reports["pupr"], reports["pupr_secret"], reports["dlh"], reports["dlh_secret"]]
    assert all(staff_page(ticket) in listed for ticket in everything)

    # Bappeda handles no department's queue: the public pages, and no confidential report.
    client.force_login(planner)
    html = english_get(client, page).content.decode()
    listed = linked_list(html)
    assert all(public_page(ticket) in listed for ticket in (*reports["pupr"], reports["dlh"]))
    assert staff_pages_in(listed) == 0
    assert "Rahasia" not in html

    # One query for which reports open on the staff side, not one per report: five more cost nothing.
    for i in range(5):
        ticket = make_ticket(service="drainase-tersumbat", kelurahan=MAWAR, title=f"Got meluap {i}")
        actions.link_tickets(actor=planner, activity=answered, tickets=[ticket])
    client.force_login(head_pupr)
    with django_assert_max_num_queries(QUERIES_OF_THE_ACTIVITY_PAGE):
        response = english_get(client, page)
    assert staff_pages_in(linked_list(response.content.decode())) == 9


def test_the_proposal_page_links_each_report_where_its_viewer_may_open_it(
    client, fiscal_year, planner, head_pupr, reports
):
    proposal = bridge_proposal(fiscal_year, planner)
    references = ", ".join(ticket.reference for ticket in (*reports["pupr"], reports["dlh"]))
    actions.proposals.link_proposal_tickets(actor=planner, proposal=proposal, references=references)
    page = reverse("planning:proposal", args=[proposal.pk])

    client.force_login(head_pupr)
    listed = linked_list(english_get(client, page).content.decode())
    assert all(staff_page(ticket) in listed for ticket in reports["pupr"])
    assert public_page(reports["dlh"]) in listed and staff_page(reports["dlh"]) not in listed

    client.force_login(planner)
    listed = linked_list(english_get(client, page).content.decode())
    assert all(public_page(ticket) in listed for ticket in (*reports["pupr"], reports["dlh"]))
