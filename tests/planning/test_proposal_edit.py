"""A proposal's proposer (and planners) link the reports it answers by number, and correct its text and cost until
its first review.

The DLH head's proposal cited "4 laporan warga 2026" and showed "0 laporan terkait": nothing could link them. A
proposal made from evidence starts at Rp 0 and the board kept showing "Rp 0".
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from planning import actions
from planning.actions.proposals import edit_proposal, link_proposal_tickets, parse_references
from services.models import Area, Department, Service
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"


@pytest.fixture
def dlh_proposal(fiscal_year, head_dlh):
    return actions.submit_proposal(
        actor=head_dlh,
        fiscal_year=fiscal_year,
        source="department",
        title="Penambahan armada angkutan sampah",
        problem="4 laporan warga 2026 tentang sampah menumpuk.",
        area=Area.objects.get(code=MAWAR),
        department=Department.objects.get(code="dlh"),
        estimated_cost=0,
    )


def rubbish(citizen, **fields):
    return make_ticket(service="sampah-menumpuk", kelurahan=MAWAR, reporter=citizen, **fields)


def link_url(proposal):
    return reverse("planning:proposal_link_tickets", args=[proposal.pk])


def edit_url(proposal):
    return reverse("planning:proposal_edit", args=[proposal.pk])


def test_references_are_read_as_typed():
    assert parse_references(" bjm-2026-000341, BJM-2026-000342;\nBJM-2026-000341  ") == [
        "BJM-2026-000341",
        "BJM-2026-000342",
    ]


def test_the_proposer_links_reports_by_number_and_unlinks_one(client, dlh_proposal, head_dlh, citizen):
    first, second = rubbish(citizen), rubbish(citizen)
    client.force_login(head_dlh)
    page = client.get(reverse("planning:proposal", args=[dlh_proposal.pk]))
    assert page.context["link_form"] is not None
    response = client.post(
        link_url(dlh_proposal), {"link-references": f"{first.reference}, {second.reference.lower()}"}
    )
    assert response.status_code == 302
    assert set(dlh_proposal.tickets.all()) == {first, second}
    page = client.get(reverse("planning:proposal", args=[dlh_proposal.pk]))
    assert page.context["reports"]["n_tickets"] == 2
    assert first.reference in page.content.decode()

    response = client.post(reverse("planning:proposal_unlink_ticket", args=[dlh_proposal.pk]), {"ticket": first.pk})
    assert response.status_code == 302
    assert list(dlh_proposal.tickets.all()) == [second]


def test_bad_numbers_are_named_by_reason_the_text_is_kept_and_nothing_is_linked(
    client, dlh_proposal, head_dlh, citizen, planner, planned_activity
):
    good = rubbish(citizen)
    linked = rubbish(citizen)
    dlh_proposal.tickets.add(linked)
    secret = rubbish(citizen, privacy="confidential")  # DLH's own: the head sees it, but it is never evidence
    other_secret = make_ticket(service="jalan-rusak", kelurahan=MAWAR, privacy="confidential")  # PUPR's: unseen
    planned = rubbish(citizen)
    actions.link_tickets(actor=planner, activity=planned_activity, tickets=[planned])
    typed = f"{good.reference}, BJM-2026-999999, {secret.reference}, {other_secret.reference}, {linked.reference}, " + (
        planned.reference
    )
    client.force_login(head_dlh)
    with translation.override("en"):
        response = client.post(link_url(dlh_proposal), {"link-references": typed}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = " ".join(response.context["link_form"].errors["references"])
    assert f"BJM-2026-999999, {other_secret.reference}" in errors  # not found (the other department's is unseen)
    assert f"confidential, not yet public, or a duplicate): {secret.reference}" in errors
    assert f"Already linked to this proposal: {linked.reference}" in errors
    assert f"{planned.reference} is already answered by the activity “{planned_activity.name}” (2026," in errors
    assert good.reference not in errors
    html = response.content.decode()
    assert typed in html  # what was typed stays
    assert 'id="action-error"' in html
    assert list(dlh_proposal.tickets.all()) == [linked]


def test_only_the_proposer_or_a_planner_changes_a_proposal(dlh_proposal, staff_dlh, planner, citizen):
    ticket = rubbish(citizen)
    with pytest.raises(PermissionDenied):
        link_proposal_tickets(actor=staff_dlh, proposal=dlh_proposal, references=ticket.reference)
    with pytest.raises(PermissionDenied):
        edit_proposal(actor=staff_dlh, proposal=dlh_proposal, title="X", problem="Y", estimated_cost=1)
    link_proposal_tickets(actor=planner, proposal=dlh_proposal, references=ticket.reference)
    assert list(dlh_proposal.tickets.all()) == [ticket]


def test_a_refused_user_is_told_and_nothing_changes(client, dlh_proposal, staff_dlh, citizen):
    ticket = rubbish(citizen)
    client.force_login(staff_dlh)
    page = client.get(reverse("planning:proposal", args=[dlh_proposal.pk]))
    assert page.context["link_form"] is None and page.context["edit_form"] is None
    with translation.override("en"):
        response = client.post(link_url(dlh_proposal), {"link-references": ticket.reference}, HTTP_ACCEPT_LANGUAGE="en")
        texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert any("proposer or a planner" in text for text in texts), texts
    assert not dlh_proposal.tickets.exists()


def test_the_cost_of_an_evidence_proposal_is_corrected_before_its_first_review(client, fiscal_year, planner, citizen):
    for _ in range(2):
        make_ticket(service="drainase-tersumbat", kelurahan=MAWAR, reporter=citizen)
    proposal = actions.propose_from_evidence(
        actor=planner,
        fiscal_year=fiscal_year,
        service=Service.objects.get(code="drainase-tersumbat"),
        area=Area.objects.get(code=MAWAR),
    )
    assert proposal.estimated_cost == 0
    client.force_login(planner)
    page = client.get(reverse("planning:proposal", args=[proposal.pk]))
    assert page.context["edit_form"] is not None
    response = client.post(
        edit_url(proposal),
        {
            "edit-title": "Normalisasi drainase Mawar",
            "edit-problem": "Saluran tersumbat.",
            "edit-estimated_cost": "750.000.000",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.problem, proposal.estimated_cost) == (
        "Normalisasi drainase Mawar",
        "Saluran tersumbat.",
        Decimal("750000000"),
    )
    board = client.get(reverse("planning:board"), {"tahun": 2026}).content.decode()
    assert "Rp\xa0750.000.000" in board


def test_after_the_first_review_the_proposal_can_no_longer_be_edited(client, dlh_proposal, head_dlh, planner):
    actions.review_proposal(
        actor=planner, proposal=dlh_proposal, level="kelurahan", decision="recommend", amount=400_000_000
    )
    client.force_login(head_dlh)
    page = client.get(reverse("planning:proposal", args=[dlh_proposal.pk]))
    assert page.context["edit_form"] is None
    assert 'id="edit-closed"' in page.content.decode()
    assert page.context["link_form"] is not None  # reports may still be linked while in review
    with translation.override("en"):
        response = client.post(
            edit_url(dlh_proposal),
            {"edit-title": "Lain", "edit-problem": "Lain.", "edit-estimated_cost": "1.000.000"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "can no longer be edited" in response.context["error"]
    dlh_proposal.refresh_from_db()
    assert (dlh_proposal.title, dlh_proposal.estimated_cost) == ("Penambahan armada angkutan sampah", 0)


def test_a_decided_proposal_takes_no_more_reports(dlh_proposal, head_dlh, planner, citizen):
    actions.review_proposal(actor=planner, proposal=dlh_proposal, level="kelurahan", decision="decline", note="Tidak")
    with pytest.raises(ValidationError) as refused:
        link_proposal_tickets(actor=head_dlh, proposal=dlh_proposal, references=rubbish(citizen).reference)
    assert refused.value.code == "stage"
    assert not dlh_proposal.tickets.exists()
