"""Citizens whose reports are linked to a proposal (usulan) hear what becomes of it: taken into the proposal, turned
down at a review level (with the reviewer's reason, and that the report is still handled), accepted into the plan;
once per report and decision, in their language, on the report's page and by email.

The QA walk: proposal "Drainase gang Pangeran" linked to three reports, declined at the Musrenbang kelurahan with
"bukan prioritas tahun ini": the reason stayed on the staff page, the reports' pages and followers heard nothing
until an activity was budgeted.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.event_text import event_message
from complaints.mail import _render
from complaints.models import Notification, Privacy, Subscription
from planning import actions
from planning.actions.proposals import link_proposal_tickets, unlink_proposal_ticket
from tests.conftest import make_user
from tests.factories import make_ticket
from tests.planning.conftest import bridge_proposal, recommend_at_every_level

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"
REASON = "Bukan prioritas tahun ini, diusulkan kembali tahun depan."


def drains(reporter, **fields):
    return make_ticket(service="drainase-tersumbat", kelurahan=MAWAR, reporter=reporter, **fields)


def updates(ticket):
    return list(ticket.events.filter(type="plan_update").order_by("created_at", "id"))


def emails_to(address):
    return list(Notification.objects.filter(email=address).order_by("id"))


@pytest.fixture
def readers(citizen, other_citizen):
    """The reporter reads English, the supporter Indonesian."""
    citizen.language = "en"
    citizen.save(update_fields=["language"])
    return citizen, other_citizen


@pytest.fixture
def proposal(fiscal_year, planner):
    return bridge_proposal(fiscal_year, planner)


def test_a_report_linked_to_a_proposal_is_told_so_once(client, readers, planner, proposal):
    reporter, supporter = readers
    ticket = drains(reporter)
    Subscription.objects.create(ticket=ticket, user=supporter, reason=Subscription.Reason.SUPPORTER)

    link_proposal_tickets(actor=planner, proposal=proposal, references=ticket.reference)

    (event,) = updates(ticket)
    assert event.public and event.payload["stage"] == "proposed" and event.payload["proposal_id"] == proposal.pk
    taken = "This report was taken into a proposal for the 2026 plan: “Pembangunan jembatan” (Department)."
    page = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert taken in page.content.decode()
    (to_reporter,) = emails_to(reporter.email)
    _subject, body = _render(to_reporter)
    assert taken in body
    assert f"News from the city's plan about your report {ticket.reference}." in body
    assert "See the activity" not in body  # a proposal has no public page
    (to_supporter,) = emails_to(supporter.email)
    assert to_supporter.language == "id"
    with translation.override("id"):
        assert event_message(event.type, event.payload) in _render(to_supporter)[1]

    # Taken off and linked again (a planner's correction), it hears nothing new.
    unlink_proposal_ticket(actor=planner, proposal=proposal, ticket=ticket)
    link_proposal_tickets(actor=planner, proposal=proposal, references=ticket.reference)
    assert len(updates(ticket)) == 1
    assert len(emails_to(reporter.email)) == len(emails_to(supporter.email)) == 1


def test_a_proposal_turned_down_tells_its_reports_why_and_that_they_are_still_handled(
    client, readers, planner, fiscal_year
):
    reporter, supporter = readers
    linked = [drains(reporter), drains(reporter), drains(None, reporter_email="lain@example.id")]
    Subscription.objects.create(ticket=linked[0], user=supporter, reason=Subscription.Reason.SUPPORTER)
    taken_off = drains(make_user("diambil@example.id"))
    proposal = actions.submit_proposal(
        actor=planner,
        fiscal_year=fiscal_year,
        source="musrenbang_kelurahan",
        title="Drainase gang Pangeran",
        problem="Genangan setiap hujan.",
        area=linked[0].area,
        department=linked[0].department,
        estimated_cost=300_000_000,
        tickets=[*linked, taken_off],
    )
    unlink_proposal_ticket(actor=planner, proposal=proposal, ticket=taken_off)

    actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="decline", note=REASON)

    for ticket in linked:
        assert [e.payload["stage"] for e in updates(ticket)] == ["proposed", "declined"]
    assert [e.payload["stage"] for e in updates(taken_off)] == ["proposed"]  # unlinked before: nothing more
    declined = updates(linked[0])[1]
    assert declined.public and declined.payload["level"] == "kelurahan" and declined.payload["review_note"] == REASON
    page = client.get(reverse("complaints:ticket", args=[linked[0].reference]), HTTP_ACCEPT_LANGUAGE="en").content
    for words in (
        "The proposal “Drainase gang Pangeran” for the 2026 plan, which this report is part of, was turned down at "
        "the Musrenbang kelurahan: it is not taken further this year.",
        f"Reason: {REASON}",
        "The report stays with the department handling it: its handling does not depend on the plan.",
    ):
        assert words in page.decode()
    # One email per person and decision: the reporter of two linked reports hears of each decision once.
    stages = [row.context["payload"]["stage"] for row in emails_to(reporter.email)]
    assert stages == ["proposed", "declined"]
    _subject, body = _render(emails_to(reporter.email)[1])
    assert f"Reason: {REASON}" in body and "does not depend on the plan" in body
    assert [row.context["payload"]["stage"] for row in emails_to(supporter.email)] == ["proposed", "declined"]
    assert [row.context["payload"]["stage"] for row in emails_to("diambil@example.id")] == ["proposed"]


def test_a_proposal_accepted_into_the_plan_tells_its_reports_with_the_activitys_public_page(
    readers, planner, head_pupr, proposal
):
    reporter, _supporter = readers
    ticket = drains(reporter)
    link_proposal_tickets(actor=planner, proposal=proposal, references=ticket.reference)
    recommend_at_every_level(proposal, planner=planner, head=head_pupr)
    assert [e.payload["stage"] for e in updates(ticket)] == ["proposed"]  # recommendations along the way are not news

    activity = actions.accept_proposal(
        actor=planner,
        proposal=proposal,
        code="1.03.02.2.01.0099",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 11, 30),
    )

    planned = updates(ticket)[-1]
    assert planned.public and planned.payload["stage"] == "planned" and planned.payload["activity_id"] == activity.pk
    _subject, body = _render(emails_to(reporter.email)[-1])
    assert (
        "The city has put the activity “Pembangunan jembatan” (Dinas PUPR) in its plan for fiscal year 2026 in answer "
        "to reports like yours; its budget is not approved yet."
    ) in body
    public_page = reverse("planning:public_activity", args=[activity.pk])
    assert "See the activity: budget, progress and results: http" in body and public_page in body


def test_a_budget_email_links_the_activitys_public_page(citizen, planner, finance, planned_activity):
    from tests.planning.conftest import approve_budget_of

    ticket = drains(citizen)
    actions.link_tickets(actor=planner, activity=planned_activity, tickets=[ticket])
    approve_budget_of(planned_activity, finance)
    with translation.override("en"):
        _subject, body = _render(emails_to(citizen.email)[0])
    assert reverse("planning:public_activity", args=[planned_activity.pk]) in body


def test_an_anonymous_reporter_is_not_named_and_a_confidential_report_tells_only_its_reporter(
    client, citizen, other_citizen, planner, fiscal_year
):
    anonymous = drains(citizen, privacy=Privacy.ANONYMOUS)
    Subscription.objects.create(ticket=anonymous, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    confidential = drains(make_user("rahasia@example.id"), privacy=Privacy.CONFIDENTIAL)
    Subscription.objects.create(ticket=confidential, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    proposal = actions.submit_proposal(
        actor=planner,
        fiscal_year=fiscal_year,
        source="department",
        title="Drainase gang Pangeran",
        problem="Genangan.",
        area=anonymous.area,
        department=anonymous.department,
        estimated_cost=0,
        tickets=[anonymous, confidential],
    )
    actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="decline", note=REASON)

    # The supporter hears about the anonymous report only, never with the reporter's name.
    told = emails_to(other_citizen.email)
    assert {row.ticket_id for row in told} == {anonymous.pk}
    for row in told:
        assert citizen.full_name not in _render(row)[1]
    page = client.get(reverse("complaints:ticket", args=[anonymous.reference])).content.decode()
    assert "Drainase gang Pangeran" in page and citizen.full_name not in page
    # The confidential report's update is on its own page (its reporter's alone), not on a public one.
    assert client.get(reverse("complaints:ticket", args=[confidential.reference])).status_code == 404
    assert {row.ticket_id for row in emails_to("rahasia@example.id")} == {confidential.pk}
