"""The demo plan: a year with activities in every stage, realistic Rupiah, linked to demo tickets; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from planning import queries
from planning.actions import community
from planning.demo import open_community_window, seed_demo_planning, set_up_fiscal_year
from planning.models import STAGE_ORDER, Activity, ActivityTicket, BudgetLine, FiscalYear, Proposal, Stage
from services.demo import seed_demo_users
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _wita(year, month, day) -> dt.datetime:
    return dt.datetime(year, month, day, 9, tzinfo=ZoneInfo("Asia/Makassar"))


def test_demo_plan_covers_every_stage_and_is_idempotent(city, client):
    seed_demo_users()
    ticket = make_ticket(service="drainase-tersumbat", kelurahan="63.71.04.1005", created_at=_wita(2025, 10, 1))
    seed_demo_planning()
    counts = (Activity.objects.count(), BudgetLine.objects.count())
    seed_demo_planning()
    assert (Activity.objects.count(), BudgetLine.objects.count()) == counts

    year = FiscalYear.objects.get(year=2026)
    activities = list(queries.with_figures(Activity.objects.filter(fiscal_year=year)))
    assert len(activities) >= 20
    # Every gate of a year under way; closing a year unfinished (lapsed, carried over) comes only at its end.
    assert {a.stage for a in activities} == set(STAGE_ORDER)
    assert len({a.department_id for a in activities}) >= 6
    for activity in activities:
        assert Decimal("250000000") <= activity.ceiling_total <= Decimal("12000000000")
        figures = queries.figures_of(activity)
        assert figures["realised"] <= figures["budget"] or activity.stage == Stage.PLANNED
    # The next year is set up, empty, so the demo's new proposals have a year to go into once its Musrenbang is over.
    assert not Activity.objects.filter(fiscal_year__year=2027).exists()
    assert queries.proposal_fiscal_year(on=dt.date(2026, 4, 1)).year == 2027
    # On the day the demo is created a Musrenbang runs, for a year set up and still to plan: new proposals go to it,
    # and a visitor of `make run` sees "Send a proposal" (it never showed).
    window = community.community_year()
    assert window is not None and queries.proposal_fiscal_year() == window
    assert window.execution_start > timezone.localdate() and not Activity.objects.filter(fiscal_year=window).exists()
    html = client.get(reverse("planning:public_proposals"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="send-proposal-button"' in html
    # A report filed in October 2025 about the drains evaluated in 2026 hears of each of its gates after it was filed.
    drains = Activity.objects.get(name__startswith="Normalisasi saluran drainase Sungai Miai")
    assert list(drains.tickets.all()) == [ticket]
    stages = list(ticket.events.filter(type="plan_update").order_by("created_at").values_list("payload__stage"))
    assert [stage for (stage,) in stages] == ["budgeted", "completed", "evaluated"]


@pytest.mark.parametrize(
    ("today", "year", "start", "end"),
    [
        # December 2026: fiscal year 2027's calendar is past its Musrenbang; 2028's opens a week ago, not in January.
        (dt.date(2026, 12, 8), 2028, dt.date(2026, 12, 1), dt.date(2027, 3, 31)),
        # 2 January 2027: 2028's usual Musrenbang opens on the 6th.
        (dt.date(2027, 1, 2), 2028, dt.date(2026, 12, 26), dt.date(2027, 3, 31)),
        # During 2027's usual Musrenbang: kept as it is.
        (dt.date(2026, 2, 14), 2027, dt.date(2026, 1, 6), dt.date(2026, 3, 31)),
        # May 2026: 2027's RKPD is fixed by 30 June, so its Musrenbang runs on to a month from today.
        (dt.date(2026, 5, 15), 2027, dt.date(2026, 1, 6), dt.date(2026, 6, 14)),
    ],
)
def test_the_demo_opens_a_musrenbang_on_the_day_it_is_created(city, today, year, start, end):
    for number in (2026, 2027):
        set_up_fiscal_year(number)

    window = open_community_window(today)

    assert (window.year, window.musrenbang_start, window.musrenbang_end) == (year, start, end)
    assert community.community_year(today) == window
    window.full_clean()
    assert open_community_window(today) == window  # a second run keeps it


def test_reports_filed_after_the_demo_plan_are_linked_on_the_next_run_to_work_under_way(city):
    """A report filed since goes to the activity still under way in its kelurahan about its service (it hears of
    the activity at its next gate); one about work done before it was filed is not counted as answered by that work
    (it was "answered" by drains finished in August, with a completed-activity update on a report filed in
    September), and stays evidence for a new proposal."""
    seed_demo_users()
    seed_demo_planning()
    road = make_ticket(service="jalan-rusak", kelurahan="63.71.04.1005")
    drains = make_ticket(service="drainase-tersumbat", kelurahan="63.71.04.1005")
    for _ in range(2):
        make_ticket(service="pju-mati", kelurahan="63.71.05.1003")
    seed_demo_planning()
    assert road.planned_activities.get().name.startswith("Pemeliharaan berkala jalan Kayu Tangi")  # in execution
    assert not road.events.filter(type="plan_update").exists()
    assert not drains.planned_activities.exists()
    assert not drains.events.filter(type="plan_update").exists()
    evidence = Proposal.objects.get(source="evidence", activity=None)
    assert evidence.tickets.count() == 2 and evidence.status == "in_review"
    assert evidence.fiscal_year.year == 2027  # new proposals are for next year's plan
    seed_demo_planning()
    assert Proposal.objects.filter(source="evidence", activity=None).count() == 1


def test_demo_evidence_links_reports_to_the_plan_and_shows_what_the_work_changed(city, monkeypatch):
    """Reports in each activity's kelurahan about its services, the year before its start and fewer once the
    work is done: most activities have linked reports, and a finished one shows fewer reports a month since."""
    from complaints.models import Ticket
    from planning import demo

    monkeypatch.setattr(demo, "EVIDENCE_PER_MONTH", 0.35)  # the same story with half the filings
    seed_demo_users()
    assert "reports filed" in demo.seed_demo_evidence()
    filed = Ticket.objects.count()
    assert filed > 24
    assert demo.seed_demo_evidence() == "evidence reports already there"
    assert Ticket.objects.count() == filed
    seed_demo_planning()

    activities = list(Activity.objects.all())
    # Those about a person's health, welfare or home (ODGJ, RTLH, the puskesmas) have confidential reports only.
    with_public_reports = [a for a in activities if a.services.filter(default_privacy="public").exists()]
    with_reports = [a for a in activities if a.tickets.exists()]
    assert len(with_reports) >= len(with_public_reports) - 2
    assert not Ticket.objects.filter(planned_activities__isnull=False).exclude(privacy="public").exists()
    drains = Activity.objects.get(name__startswith="Normalisasi saluran drainase Sungai Miai")  # evaluated
    figures = queries.service_indicators(drains)
    assert figures["before"]["per_month"] > figures["during"]["per_month"]
    assert figures["before"]["resolved"] > 0  # they were worked, not left as filed
    last_year = Ticket.objects.filter(created_at__year=2025)
    assert last_year.exists()
    assert all(t.reference.split("-")[1] == str(timezone.localtime(t.created_at).year) for t in last_year)


def test_demo_evidence_keeps_each_services_default_privacy(city, monkeypatch):
    """ODGJ and RTLH reports are confidential unless the citizen chooses otherwise (a neighbour's mental illness with
    an exact pin, a poor household): the demo files them so, and none reaches the public pages or the plan."""
    from complaints.models import Ticket
    from complaints.queries import public_tickets
    from planning import demo

    private = [spec for spec in demo.ACTIVITIES if {"odgj-terlantar", "rumah-tidak-layak"} & set(spec[4])]
    monkeypatch.setattr(demo, "ACTIVITIES", [*private, demo.ACTIVITIES[0]])
    seed_demo_users()
    demo.seed_demo_evidence()

    sensitive = Ticket.objects.filter(service__code__in=("odgj-terlantar", "rumah-tidak-layak"))
    assert sensitive.count() >= 10
    assert set(sensitive.values_list("privacy", flat=True)) == {"confidential"}
    assert not public_tickets().filter(pk__in=sensitive).exists()
    # The other services' reports stay public, the plan's evidence.
    drains = Ticket.objects.filter(service__code__in=("drainase-tersumbat", "genangan-banjir"))
    assert drains.exists() and set(drains.values_list("privacy", flat=True)) == {"public"}
    seed_demo_planning()
    assert not Activity.objects.get(name__startswith="Penjangkauan ODGJ").tickets.exists()


def _gate(activity, stage):
    return activity.stage_changes.get(to_stage=stage).created_at


def test_the_demo_plan_tells_the_chain_from_report_to_evaluation_consistently(city, monkeypatch):
    """What a transparency analyst checks on the first `make run`: each linked report was filed before the work was
    done and is answered by one activity only; each hears of the gates that came after it, on the gate's day, the
    evaluated ones with their grade; every row is dated when it happened in the story (the budget approved before the
    payments, the evaluation on its gate's day), all through the product's actions."""
    from complaints.models import Ticket, TicketEvent
    from planning import demo
    from planning.models import BudgetChange, Evaluation, Realisation

    monkeypatch.setattr(demo, "EVIDENCE_PER_MONTH", 0.35)
    seed_demo_users()
    demo.seed_demo_evidence()
    seed_demo_planning()

    links = ActivityTicket.objects.select_related("activity", "ticket")
    assert links.count() > 50
    for link in links:
        activity, ticket = link.activity, link.ticket
        assert ticket.created_at <= link.added_at, ticket.reference
        if activity.completed_on:
            assert ticket.created_at <= _gate(activity, Stage.COMPLETED), (activity.code, ticket.reference)
        assert Ticket.objects.get(pk=ticket.pk).planned_activities.count() == 1, ticket.reference
        gate_stages = (Stage.BUDGETED, Stage.COMPLETED, Stage.EVALUATED)
        told = dict(
            TicketEvent.objects.filter(
                ticket=ticket, type="plan_update", payload__activity_id=activity.pk, payload__stage__in=gate_stages
            ).values_list("payload__stage", "created_at")
        )
        gates = {
            stage: _gate(activity, stage)
            for stage in gate_stages
            if activity.stage_changes.filter(to_stage=stage).exists()
        }
        # Told of each gate that came after the report was linked, dated on the gate's day.
        assert told == {stage: when for stage, when in gates.items() if when >= link.added_at}, ticket.reference

    evaluated = Activity.objects.filter(stage=Stage.EVALUATED)
    assert evaluated.count() == 5
    for activity in evaluated:
        evaluation = Evaluation.objects.get(activity=activity)
        assert evaluation.created_at == _gate(activity, Stage.EVALUATED)
        grades = TicketEvent.objects.filter(
            type="plan_update", payload__activity_id=activity.pk, payload__stage="evaluated"
        ).values_list("payload__grade", flat=True)
        assert set(grades) <= {evaluation.grade}
        assert len(grades) == activity.tickets.count()
    assert TicketEvent.objects.filter(type="plan_update", payload__stage="evaluated").count() > 10

    for activity in Activity.objects.exclude(stage__in=(Stage.PLANNED, Stage.BUDGETED)):
        approved = BudgetChange.objects.get(line__activity=activity, line__version="original").created_at
        assert approved == _gate(activity, Stage.BUDGETED)
        first_payment = Realisation.objects.filter(activity=activity).order_by("date").first()
        assert timezone.localtime(approved).date() < first_payment.date
        assert timezone.localtime(first_payment.created_at).date() == first_payment.date
    assert not ActivityTicket.objects.filter(added_at__gt=timezone.now()).exists()
