"""Citizens whose reports led to an activity hear when it is budgeted and when it is completed, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from complaints.actions.plan_updates import tell_followers_about_plan
from complaints.models import Notification, Subscription, TicketEvent
from planning import actions
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def emails_to(address):
    return list(Notification.objects.filter(email=address).values_list("context__payload__stage", flat=True))


def test_filers_and_supporters_get_one_notification_when_budgeted_and_one_when_completed(
    planned_activity, planner, finance, head_pupr, citizen, other_citizen, client
):
    first = make_ticket(service="drainase-tersumbat", reporter=citizen)
    second = make_ticket(service="drainase-tersumbat", reporter=citizen)  # same person, two reports
    Subscription.objects.create(ticket=first, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    unrelated = make_ticket(service="drainase-tersumbat", reporter_email="lain@example.id")
    actions.link_tickets(actor=planner, activity=planned_activity, tickets=[first, second])

    actions.set_ceiling(actor=finance, activity=planned_activity, amount=5e8, fund_source="dau", account_code="5.1")
    assert emails_to(citizen.email) == []
    actions.approve_budget(
        actor=finance,
        activity=planned_activity,
        lines=[{"account_code": "5.1", "fund_source": "dau", "amount": 5e8}],
    )
    assert emails_to(citizen.email) == ["budgeted"]
    assert emails_to(other_citizen.email) == ["budgeted"]
    # Both tickets show the update on their page (public timeline); the unrelated one does not.
    for ticket in (first, second):
        event = TicketEvent.objects.get(ticket=ticket, type="plan_update")
        assert event.public and event.payload["stage"] == "budgeted"
        assert planned_activity.name in event.payload["message"]
    assert not TicketEvent.objects.filter(ticket=unrelated, type="plan_update").exists()
    client.force_login(citizen)
    page = client.get(reverse("complaints:ticket", args=[first.reference]))
    assert planned_activity.name in page.content.decode()

    actions.record_realisation(
        actor=head_pupr, activity=planned_activity, date=dt.date(2026, 2, 1), amount=5e8, document_number="SP2D-9"
    )
    actions.report_progress(actor=head_pupr, activity=planned_activity, month=dt.date(2026, 2, 1), physical_pct=100)
    assert emails_to(citizen.email) == ["budgeted"]  # execution is not announced
    actions.complete_activity(actor=head_pupr, activity=planned_activity, completed_on=dt.date(2026, 2, 27))
    assert sorted(emails_to(citizen.email)) == ["budgeted", "completed"]
    assert sorted(emails_to(other_citizen.email)) == ["budgeted", "completed"]

    # Telling again (a retried task, a double click) adds nothing.
    tell_followers_about_plan(tickets=[first, second], activity=planned_activity, stage="completed")
    assert Notification.objects.filter(email=citizen.email).count() == 2
    assert TicketEvent.objects.filter(ticket=first, type="plan_update").count() == 2


def test_citizens_who_switched_emails_off_still_see_the_update_on_their_ticket(
    planned_activity, planner, finance, citizen
):
    ticket = make_ticket(service="drainase-tersumbat", reporter=citizen)
    Subscription.objects.filter(ticket=ticket).update(active=False)
    actions.link_tickets(actor=planner, activity=planned_activity, tickets=[ticket])
    actions.set_ceiling(actor=finance, activity=planned_activity, amount=1e8, fund_source="pad", account_code="5.1")
    actions.approve_budget(
        actor=finance, activity=planned_activity, lines=[{"account_code": "5.1", "fund_source": "pad", "amount": 1e8}]
    )
    assert not Notification.objects.filter(email=citizen.email).exists()
    assert TicketEvent.objects.filter(ticket=ticket, type="plan_update").exists()
