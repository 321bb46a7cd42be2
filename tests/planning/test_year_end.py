"""Unfinished work at the year's end: a 2026 activity at 80% on 4 January 2027 is closed as lapsed (the work stops)
or carried over (a new planned 2027 activity continues it, without money); its followers hear, and the inspector
can evaluate it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from complaints.models import Notification, TicketEvent
from planning import actions, queries
from planning.models import Activity, BudgetLine, Evaluation, Partner, Programme, StageChange
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

JAN_4_2027 = dt.datetime(2027, 1, 4, 2, tzinfo=dt.UTC)  # 10:00 WITA


@pytest.fixture
def unfinished(budgeted_activity, head_pupr, planner, citizen, time_machine):
    """The 2026 drainage work at 80%, with a payment, an indicator and its value, a milestone, a partner and a
    linked report followed by its filer."""
    activity = budgeted_activity
    time_machine.move_to(dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC))
    actions.record_realisation(
        actor=head_pupr, activity=activity, date=dt.date(2026, 6, 1), amount=900_000_000, document_number="SP2D-1"
    )
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 11, 1), physical_pct=80)
    indicator = actions.add_indicator(
        actor=planner,
        activity=activity,
        level="output",
        description="Saluran dinormalisasi",
        unit="m",
        baseline=0,
        target=1000,
        direction="increase",
    )
    actions.record_indicator_value(actor=planner, indicator=indicator, period=dt.date(2026, 11, 30), value=800)
    actions.add_milestone(actor=planner, activity=activity, name="Galian selesai", due_date=dt.date(2026, 10, 31))
    actions.add_partner(
        actor=planner, activity=activity, name="LPM Mawar", role="community", contribution="Kerja bakti"
    )
    ticket = make_ticket(service="drainase-tersumbat", reporter=citizen)
    actions.link_tickets(actor=planner, activity=activity, tickets=[ticket])
    activity.refresh_from_db()
    assert activity.stage == "in_execution"
    return activity


def carry_over(actor, activity, **extra):
    return actions.close_year(
        actor=actor,
        activity=activity,
        outcome="carried_over",
        reason="Kontraktor terlambat; sisa pekerjaan 20% dilanjutkan.",
        **({"start_date": dt.date(2027, 2, 1), "end_date": dt.date(2027, 6, 30)} | extra),
    )


def test_carried_over_on_4_january_continues_in_2027_with_the_links_and_no_money(
    unfinished, head_pupr, fiscal_year_2027, time_machine
):
    time_machine.move_to(JAN_4_2027)
    carry_over(head_pupr, unfinished)

    unfinished.refresh_from_db()
    assert unfinished.stage == "carried_over"
    change = StageChange.objects.filter(activity=unfinished).last()
    assert (change.from_stage, change.to_stage, change.actor) == ("in_execution", "carried_over", head_pupr)
    assert change.note.startswith("Kontraktor terlambat")

    new = unfinished.continuation
    assert new.fiscal_year == fiscal_year_2027 and new.carried_over_from == unfinished
    assert (new.code, new.name, new.department) == (unfinished.code, unfinished.name, unfinished.department)
    assert (new.start_date, new.end_date, new.stage) == (dt.date(2027, 2, 1), dt.date(2027, 6, 30), "planned")
    assert set(new.kelurahans.all()) == set(unfinished.kelurahans.all())
    assert set(new.services.all()) == set(unfinished.services.all())
    assert set(new.tickets.all()) == set(unfinished.tickets.all()) and new.tickets.exists()
    [indicator] = new.indicators.all()
    assert (indicator.description, indicator.target) == ("Saluran dinormalisasi", Decimal("1000"))
    assert not indicator.values.exists()  # 2026's measurement stays with 2026...
    assert indicator.baseline == Decimal("800")  # ...and is where 2027 starts: 800 of 1000 m were done
    assert Partner.objects.filter(activity=new, name="LPM Mawar").exists()
    # No money, payments, progress, milestones or history travel: the 2027 budget comes from the 2027 APBD.
    assert not BudgetLine.objects.filter(activity=new).exists()
    assert not new.realisations.exists() and not new.progress_reports.exists() and not new.milestones.exists()
    assert list(new.stage_changes.values_list("to_stage", flat=True)) == ["planned"]
    # The 2026 money stays in 2026.
    assert BudgetLine.objects.filter(activity=unfinished).exists() and unfinished.realisations.count() == 1


def test_lapsed_from_the_page_stops_the_work(client, unfinished, planner, time_machine):
    time_machine.move_to(JAN_4_2027)
    client.force_login(planner)
    url = reverse("planning:activity_action", args=[unfinished.pk, "close_year"])
    response = client.post(url, {"close_year-outcome": "lapsed", "close_year-reason": "Kontrak diputus."})
    assert response.status_code == 302
    unfinished.refresh_from_db()
    assert unfinished.stage == "lapsed"
    assert StageChange.objects.filter(activity=unfinished, to_stage="lapsed", note="Kontrak diputus.").exists()
    # Its pending milestone is missed now, no longer overdue on the board.
    assert list(unfinished.milestones.values_list("status", flat=True)) == ["missed"]
    assert not queries.overdue_milestones(fiscal_year=unfinished.fiscal_year).exists()
    assert not Activity.objects.filter(carried_over_from=unfinished).exists()
    with translation.override("en"):
        page = client.get(reverse("planning:activity", args=[unfinished.pk]), HTTP_ACCEPT_LANGUAGE="en")
        html = page.content.decode()
        assert 'id="close_year"' not in html
        assert '<li class="step current" aria-current="step">Not finished</li>' in html
        public = client.get(reverse("planning:public_activity", args=[unfinished.pk]), HTTP_ACCEPT_LANGUAGE="en")
        assert "has stopped" in public.content.decode()
    # The stepper shows the gates passed, then how the work ended.
    assert [value for value, _label, _state in page.context["stages"]] == [
        "planned",
        "budgeted",
        "in_execution",
        "lapsed",
    ]


def test_refused_before_the_last_month_of_the_year(unfinished, head_pupr, fiscal_year_2027, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 28, 3, tzinfo=dt.UTC))
    with pytest.raises(ValidationError, match="can be closed from"), translation.override("en"):
        carry_over(head_pupr, unfinished)
    unfinished.refresh_from_db()
    assert unfinished.stage == "in_execution" and not Activity.objects.filter(fiscal_year=fiscal_year_2027).exists()
    # From 1 December it can: the continuation goes into the 2027 plan while the city prepares it.
    time_machine.move_to(dt.datetime(2026, 12, 1, 3, tzinfo=dt.UTC))
    carry_over(head_pupr, unfinished)
    assert Activity.objects.filter(fiscal_year=fiscal_year_2027, carried_over_from=unfinished).exists()


def test_refused_for_a_completed_activity(unfinished, head_pupr, fiscal_year_2027, time_machine):
    actions.report_progress(actor=head_pupr, activity=unfinished, month=dt.date(2026, 11, 1), physical_pct=100)
    actions.complete_activity(actor=head_pupr, activity=unfinished, completed_on=dt.date(2026, 11, 20))
    time_machine.move_to(JAN_4_2027)
    with pytest.raises(ValidationError, match="planned, budgeted or in execution"), translation.override("en"):
        carry_over(head_pupr, unfinished)
    unfinished.refresh_from_db()
    assert unfinished.stage == "completed"


def test_refused_to_another_department_and_to_finance(
    unfinished, head_dlh, finance, inspector, fiscal_year_2027, time_machine
):
    time_machine.move_to(JAN_4_2027)
    for outsider in (head_dlh, finance, inspector):
        with pytest.raises(PermissionDenied):
            carry_over(outsider, unfinished)
    unfinished.refresh_from_db()
    assert unfinished.stage == "in_execution"


def test_refused_without_a_reason(client, unfinished, head_pupr, time_machine):
    time_machine.move_to(JAN_4_2027)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        actions.close_year(actor=head_pupr, activity=unfinished, outcome="lapsed", reason="  ")
    assert "reason" in refused.value.error_dict
    client.force_login(head_pupr)
    url = reverse("planning:activity_action", args=[unfinished.pk, "close_year"])
    page = client.post(url, {"close_year-outcome": "lapsed", "close_year-reason": ""})
    assert page.status_code == 400
    assert page.context["forms"]["close_year"].errors["reason"]
    assert 'id="close_year"' in page.content.decode()
    unfinished.refresh_from_db()
    assert unfinished.stage == "in_execution"


def test_refused_without_the_next_fiscal_year_or_its_dates(client, unfinished, head_pupr, time_machine):
    time_machine.move_to(JAN_4_2027)
    with pytest.raises(ValidationError, match="2027 is not set up yet"), translation.override("en"):
        carry_over(head_pupr, unfinished)
    unfinished.refresh_from_db()
    assert unfinished.stage == "in_execution"


def test_carry_over_needs_dates_within_the_next_year(client, unfinished, head_pupr, fiscal_year_2027, time_machine):
    time_machine.move_to(JAN_4_2027)
    client.force_login(head_pupr)
    url = reverse("planning:activity_action", args=[unfinished.pk, "close_year"])
    data = {"close_year-outcome": "carried_over", "close_year-reason": "Sisa 20%."}
    missing = client.post(url, data)
    assert missing.status_code == 400 and missing.context["forms"]["close_year"].errors["start_date"]
    outside = client.post(url, data | {"close_year-start_date": "2027-02-01", "close_year-end_date": "2028-01-31"})
    assert outside.status_code == 400 and outside.context["forms"]["close_year"].errors["end_date"]
    assert not Activity.objects.filter(fiscal_year=fiscal_year_2027).exists()
    done = client.post(url, data | {"close_year-start_date": "2027-02-01", "close_year-end_date": "2027-05-31"})
    assert done.status_code == 302
    new = Activity.objects.get(fiscal_year=fiscal_year_2027)
    page = client.get(reverse("planning:activity", args=[unfinished.pk])).content.decode()
    assert reverse("planning:activity", args=[new.pk]) in page.split('id="continuation"')[1].split("</p>")[0]
    back = client.get(reverse("planning:activity", args=[new.pk])).content.decode()
    assert (
        reverse("planning:activity", args=[unfinished.pk]) in back.split('id="carried-over-from"')[1].split("</p>")[0]
    )
    public = client.get(reverse("planning:public_activity", args=[unfinished.pk])).content.decode()
    assert reverse("planning:public_activity", args=[new.pk]) in public.split('id="continuation"')[1]


def test_a_lapsed_activity_is_evaluated_once_and_keeps_its_stage(unfinished, head_pupr, inspector, time_machine):
    time_machine.move_to(JAN_4_2027)
    with pytest.raises(ValidationError):
        actions.evaluate_activity(actor=inspector, activity=unfinished, findings="-", recommendations="-")
    unfinished.milestones.all().delete()  # timeliness without milestones: 0, not the 50 of work delivered late
    actions.close_year(actor=head_pupr, activity=unfinished, outcome="lapsed", reason="Kontrak diputus.")
    unfinished.refresh_from_db()
    assert "evaluate" in actions.allowed_activity_actions(inspector, unfinished)
    evaluation = actions.evaluate_activity(
        actor=inspector, activity=unfinished, findings="Tidak selesai.", recommendations="Perencanaan ulang."
    )
    unfinished.refresh_from_db()
    assert unfinished.stage == "lapsed"  # not "evaluated": the work was not done
    assert evaluation.indicator_achievement_pct == Decimal("80.00")  # 800 of 1000 m
    assert evaluation.budget_absorption_pct == Decimal("60.00")  # Rp 900 million of 1.5 billion
    assert evaluation.timeliness_pct == 0  # not delivered in its year, no milestones
    assert evaluation.score == Decimal("55.00")  # 80 × 0.5 + 60 × 0.25 + 0
    assert evaluation.grade == "low"
    assert "evaluate" not in actions.allowed_activity_actions(inspector, unfinished)
    with pytest.raises(ValidationError, match="already evaluated"), translation.override("en"):
        actions.evaluate_activity(actor=inspector, activity=unfinished, findings="-", recommendations="-")
    assert Evaluation.objects.filter(activity=unfinished).count() == 1


def test_followers_are_told(unfinished, head_pupr, citizen, fiscal_year_2027, time_machine):
    time_machine.move_to(JAN_4_2027)
    carry_over(head_pupr, unfinished)
    [ticket] = unfinished.tickets.all()
    event = TicketEvent.objects.get(ticket=ticket, type="plan_update", payload__stage="carried_over")
    assert event.public and event.payload["activity_id"] == unfinished.pk
    stages = set(Notification.objects.filter(email=citizen.email).values_list("context__payload__stage", flat=True))
    assert "carried_over" in stages


@pytest.mark.parametrize(
    ("who", "shown"),
    [("head_pupr", True), ("planner", True), ("head_dlh", False), ("finance", False), ("inspector", False)],
)
def test_the_card_is_shown_only_to_who_may_in_the_last_month(client, unfinished, time_machine, request, who, shown):
    user = request.getfixturevalue(who)
    url = reverse("planning:activity", args=[unfinished.pk])
    time_machine.move_to(dt.datetime(2026, 11, 28, 3, tzinfo=dt.UTC))
    client.force_login(user)
    assert 'id="close_year"' not in client.get(url).content.decode()
    time_machine.move_to(dt.datetime(2026, 12, 6, 3, tzinfo=dt.UTC))
    client.force_login(user)  # a week later: signed in again
    assert ('id="close_year"' in client.get(url).content.decode()) is shown


def test_after_the_close_payments_progress_and_milestones_are_refused_for_that_reason(
    unfinished, head_pupr, finance, fiscal_year_2027, time_machine
):
    """Finance read 'only once the budget is approved' about an approved budget; a missed milestone could be marked
    met after the close and move the department's score."""
    time_machine.move_to(JAN_4_2027)
    milestone = unfinished.milestones.get()
    carry_over(head_pupr, unfinished)
    unfinished.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        actions.record_realisation(
            actor=finance, activity=unfinished, date=dt.date(2026, 12, 7), amount=1_000_000, document_number="SP2D-9"
        )
    assert "The year of this activity is closed (Carried over)" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        actions.report_progress(actor=head_pupr, activity=unfinished, month=dt.date(2026, 12, 1), physical_pct=90)
    with pytest.raises(ValidationError):
        actions.mark_milestone(actor=head_pupr, milestone=milestone, met_on=dt.date(2026, 10, 30))
    milestone.refresh_from_db()
    assert milestone.met_on is None


def test_a_follower_handled_by_another_department_reads_that_one_under_handled_by(
    unfinished, head_pupr, citizen, fiscal_year_2027, time_machine
):
    from complaints.mail import _render
    from services.models import Department

    [ticket] = unfinished.tickets.all()
    dlh = Department.objects.get(code="dlh")  # the report's department, not the activity's (Dinas PUPR)
    type(ticket).objects.filter(pk=ticket.pk).update(department=dlh)
    time_machine.move_to(JAN_4_2027)
    carry_over(head_pupr, unfinished)
    notification = Notification.objects.get(email=citizen.email, context__payload__stage="carried_over")
    Notification.objects.filter(pk=notification.pk).update(language="en")
    notification.refresh_from_db()
    _subject, body = _render(notification)
    assert f"Handled by: {dlh.short_name}" in body and "Handled by: Dinas PUPR" not in body


# The next year's APBD reuses this year's sub-activity codes: once it is imported, 2027 usually already holds the
# activity of the same code, and the work continues in it instead of being refused.


@pytest.fixture
def same_code_2027(unfinished, planner, finance, citizen, fiscal_year_2027, time_machine):
    """Dinas PUPR's 2027 activity of the same code, from the 2027 APBD: budgeted, with its own dates, programme,
    indicator, one partner of the 2026 work (spelt otherwise) and one of the 2026 reports already linked, in
    another kelurahan."""
    from services.models import Area, Department

    time_machine.move_to(dt.datetime(2026, 12, 2, 3, tzinfo=dt.UTC))
    pupr = Department.objects.get(code="pupr")
    programme = Programme.objects.create(fiscal_year=fiscal_year_2027, code="1.03.02", name="Drainase", department=pupr)
    activity = actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year_2027,
        code=unfinished.code,
        name="Normalisasi saluran drainase tahap 2",
        department=pupr,
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 10, 31),
        kelurahans=[Area.objects.get(code="63.71.05.1004")],
        programme=programme,
        tickets=list(unfinished.tickets.all()),
    )
    actions.add_indicator(
        actor=planner,
        activity=activity,
        level="output",
        description="Saluran tahap 2",
        unit="m",
        baseline=0,
        target=600,
        direction="increase",
    )
    actions.add_partner(actor=planner, activity=activity, name="lpm mawar", role="community")
    actions.set_ceiling(actor=finance, activity=activity, amount="900000000", fund_source="pad", account_code="5.1.02")
    actions.approve_budget(
        actor=finance,
        activity=activity,
        lines=[{"account_code": "5.1.02", "fund_source": "pad", "amount": "800000000", "description": "Belanja"}],
    )
    activity.refresh_from_db()
    assert activity.stage == "budgeted"
    return activity


def test_carried_over_into_the_next_years_activity_of_the_same_code(
    unfinished, same_code_2027, head_pupr, planner, citizen, time_machine
):
    time_machine.move_to(JAN_4_2027)
    other = make_ticket(service="drainase-tersumbat", reporter=citizen, title="Saluran mampet lagi")
    actions.link_tickets(actor=planner, activity=unfinished, tickets=[other])
    actions.add_partner(actor=planner, activity=unfinished, name="Universitas Lambung Mangkurat", role="academia")
    before = {
        "budget": list(BudgetLine.objects.filter(activity=same_code_2027).values_list("version", "amount")),
        "indicators": list(same_code_2027.indicators.values_list("description", "baseline", "target")),
    }
    with translation.override("en"):
        carry_over(head_pupr, unfinished)  # dates given in the form are not used: it keeps its own

    unfinished.refresh_from_db()
    assert unfinished.stage == "carried_over"
    into = Activity.objects.get(pk=same_code_2027.pk)
    assert queries.continuation_of(unfinished) == into and into.carried_over_from == unfinished
    assert Activity.objects.filter(fiscal_year=into.fiscal_year).count() == 1  # no second activity of the code
    # Its own: name, dates, stage, programme, money and indicators.
    assert (into.name, into.start_date, into.end_date) == (
        "Normalisasi saluran drainase tahap 2",
        dt.date(2027, 3, 1),
        dt.date(2027, 10, 31),
    )
    assert into.stage == "budgeted" and into.programme.code == "1.03.02"
    assert list(BudgetLine.objects.filter(activity=into).values_list("version", "amount")) == before["budget"]
    assert list(into.indicators.values_list("description", "baseline", "target")) == before["indicators"]
    # Gained: the 2026 reports (the one it had, once), kelurahans and services added, the partner it lacked.
    assert set(into.tickets.all()) == set(unfinished.tickets.all()) and into.ticket_links.count() == 2
    assert set(into.kelurahans.values_list("code", flat=True)) == {"63.71.05.1003", "63.71.05.1004"}
    assert set(into.services.all()) == set(unfinished.services.all())
    assert sorted(into.partners.values_list("name", flat=True)) == ["Universitas Lambung Mangkurat", "lpm mawar"]
    change = into.stage_changes.last()
    assert (change.from_stage, change.to_stage, change.actor) == ("budgeted", "budgeted", head_pupr)
    assert change.note == "Carried over from fiscal year 2026."


def test_carried_over_into_an_activity_without_indicators_gets_them_from_their_last_value(
    unfinished, same_code_2027, head_pupr, time_machine
):
    same_code_2027.indicators.all().delete()
    time_machine.move_to(JAN_4_2027)
    actions.close_year(actor=head_pupr, activity=unfinished, outcome="carried_over", reason="Sisa 20%.")
    [indicator] = same_code_2027.indicators.all()
    assert (indicator.description, indicator.baseline, indicator.target) == (
        "Saluran dinormalisasi",
        Decimal("800"),
        Decimal("1000"),
    )


@pytest.mark.parametrize("why", ["department", "completed", "evaluated", "continues_another"])
def test_refused_into_the_same_code_of_another_department_finished_or_already_continuing(
    client, unfinished, same_code_2027, head_pupr, planner, time_machine, why
):
    from services.models import Department

    if why == "department":
        Activity.objects.filter(pk=same_code_2027.pk).update(department=Department.objects.get(code="dlh"))
    elif why in ("completed", "evaluated"):
        Activity.objects.filter(pk=same_code_2027.pk).update(stage=why)
    else:
        earlier = actions.create_activity(
            actor=planner,
            fiscal_year=unfinished.fiscal_year,
            code="1.03.02.2.01.0099",
            name="Saluran lain",
            department=unfinished.department,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
        Activity.objects.filter(pk=same_code_2027.pk).update(carried_over_from=earlier)
    time_machine.move_to(JAN_4_2027)
    client.force_login(head_pupr)
    with translation.override("en"):
        page = client.get(reverse("planning:activity", args=[unfinished.pk]), HTTP_ACCEPT_LANGUAGE="en")
        target = page.content.decode().split('id="carry-over-target"')[1].split("</p>")[0]
        assert 'data-case="refused"' in target and "cannot be carried over" in target
        assert reverse("planning:activity", args=[same_code_2027.pk]) in target
        with pytest.raises(ValidationError, match=f"Activity {unfinished.code} .* of 2027 has the same code but"):
            carry_over(head_pupr, unfinished)
        url = reverse("planning:activity_action", args=[unfinished.pk, "close_year"])
        data = {"close_year-outcome": "carried_over", "close_year-reason": "Sisa 20%."}
        refused = client.post(url, data | {"close_year-start_date": "2027-02-01", "close_year-end_date": "2027-05-31"})
    assert refused.status_code == 400 and refused.context["forms"]["close_year"].non_field_errors()
    # The refused page shows the card again, with the link to the activity in the way.
    assert (
        reverse("planning:activity", args=[same_code_2027.pk])
        in refused.content.decode().split('id="carry-over-target"')[1].split("</p>")[0]
    )
    unfinished.refresh_from_db()
    same_code_2027.refresh_from_db()
    assert unfinished.stage == "in_execution" and not Activity.objects.filter(carried_over_from=unfinished).exists()
    assert same_code_2027.ticket_links.count() == 1


def test_the_card_says_where_the_work_will_continue_before_the_close(
    client, unfinished, same_code_2027, head_pupr, time_machine
):
    time_machine.move_to(JAN_4_2027)
    client.force_login(head_pupr)
    url = reverse("planning:activity", args=[unfinished.pk])
    with translation.override("en"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = html.split('id="close_year"')[1]
    target = card.split('id="carry-over-target"')[1].split("</p>")[0]
    assert 'data-case="into"' in target and "continues into activity" in target
    assert reverse("planning:activity", args=[same_code_2027.pk]) in target and "1 Mar 2027" in target
    assert "close_year-start_date" not in card  # its dates stay: none are asked
    # Submitted without dates, the work continues in it, and the page links the continuation.
    action = reverse("planning:activity_action", args=[unfinished.pk, "close_year"])
    done = client.post(action, {"close_year-outcome": "carried_over", "close_year-reason": "Sisa 20%."})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert reverse("planning:activity", args=[same_code_2027.pk]) in page.split('id="continuation"')[1].split("</p>")[0]


def test_the_card_says_a_new_activity_will_be_created(client, unfinished, head_pupr, fiscal_year_2027, time_machine):
    time_machine.move_to(JAN_4_2027)
    client.force_login(head_pupr)
    with translation.override("en"):
        html = client.get(reverse("planning:activity", args=[unfinished.pk]), HTTP_ACCEPT_LANGUAGE="en")
    card = html.content.decode().split('id="close_year"')[1]
    target = card.split('id="carry-over-target"')[1].split("</p>")[0]
    assert 'data-case="new"' in target and "a new planned activity of 2027 will be created" in target
    assert "close_year-start_date" in card


def test_the_card_says_when_the_next_year_is_not_set_up(client, unfinished, head_pupr, time_machine):
    time_machine.move_to(JAN_4_2027)
    client.force_login(head_pupr)
    with translation.override("en"):
        html = client.get(reverse("planning:activity", args=[unfinished.pk]), HTTP_ACCEPT_LANGUAGE="en")
    target = html.content.decode().split('id="carry-over-target"')[1].split("</p>")[0]
    assert 'data-case="no-year"' in target and "2027 is not set up yet" in target


def test_a_continuation_gets_its_programme_created_in_the_next_year(
    unfinished, head_pupr, fiscal_year, fiscal_year_2027, time_machine
):
    programme = Programme.objects.create(
        fiscal_year=fiscal_year, code="1.03.02", name="Program pengelolaan drainase", department=unfinished.department
    )
    Activity.objects.filter(pk=unfinished.pk).update(programme=programme)
    unfinished.refresh_from_db()
    time_machine.move_to(JAN_4_2027)
    carry_over(head_pupr, unfinished)
    new = Activity.objects.get(carried_over_from=unfinished)
    assert new.programme.fiscal_year == fiscal_year_2027 and new.programme != programme
    assert (new.programme.code, new.programme.name, new.programme.department) == (
        "1.03.02",
        "Program pengelolaan drainase",
        unfinished.department,
    )


def test_a_continuation_joins_the_next_years_programme_of_the_same_code(
    unfinished, head_pupr, fiscal_year, fiscal_year_2027, time_machine
):
    department = unfinished.department
    programme = Programme.objects.create(
        fiscal_year=fiscal_year, code="1.03.02", name="Drainase", department=department
    )
    Activity.objects.filter(pk=unfinished.pk).update(programme=programme)
    unfinished.refresh_from_db()
    there = Programme.objects.create(
        fiscal_year=fiscal_year_2027, code="1.03.02", name="Drainase 2027", department=department
    )
    time_machine.move_to(JAN_4_2027)
    carry_over(head_pupr, unfinished)
    assert Activity.objects.get(carried_over_from=unfinished).programme == there
    assert Programme.objects.filter(fiscal_year=fiscal_year_2027).count() == 1
