"""An evaluation's score says what it is made of: without indicators it counts the physical progress a planner or
inspector verified (the department's own figures until then), under that name; without milestones timeliness is
"not measured" rather than 100%; the evaluate card warns about reports nobody verified; and the citizens whose
reports the activity answers hear the grade, in words, on their report's page and by email."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.event_text import event_message
from complaints.models import Notification, TicketEvent
from planning import actions, queries
from planning.models import Evaluation
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported_done(budgeted_activity, head_pupr, planner, citizen, time_machine):
    """The QA walk's activity: no indicators, no milestones, fully paid; the head reported 60% then 100% (neither
    verified) and completed it before its planned end. One citizen's report is linked to it."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))
    activity = budgeted_activity
    actions.link_tickets(
        actor=planner, activity=activity, tickets=[make_ticket(service="drainase-tersumbat", reporter=citizen)]
    )
    actions.record_realisation(
        actor=head_pupr, activity=activity, date=dt.date(2026, 3, 10), amount=15e8, document_number="SP2D-1"
    )
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 4, 1), physical_pct=60)
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 5, 1), physical_pct=100)
    actions.complete_activity(actor=head_pupr, activity=activity, completed_on=dt.date(2026, 6, 10))
    activity.refresh_from_db()
    return activity


def activity_page(client, activity):
    with translation.override("en"):
        return client.get(reverse("planning:activity", args=[activity.pk]), HTTP_ACCEPT_LANGUAGE="en")


def test_unverified_progress_is_not_called_indicator_achievement_nor_counted(reported_done):
    scores = queries.activity_scores(reported_done)
    assert scores["achievement_basis"] == "physical"
    assert scores["indicator_achievement_pct"] == 0  # the head's 100% is not verified
    assert scores["timeliness_pct"] is None  # no milestones: not measured, not 100%
    # Achievement two-thirds, absorption (100%) one-third.
    assert scores["score"] == Decimal("33.33") and scores["grade"] == "very_low"


def test_the_evaluate_card_names_the_parts_and_warns_about_unverified_reports(client, reported_done, inspector):
    client.force_login(inspector)
    html = activity_page(client, reported_done).content.decode()
    preview = html[html.index('id="score-preview"') : html.index('id="unverified-progress"')]
    assert "Physical progress reported by the department and verified (no indicators): 0.0%" in preview
    assert "Indicator achievement" not in preview
    assert "timeliness not measured (no milestones)" in preview and "timeliness 100" not in preview
    warning = html[html.index('id="unverified-progress"') :].split("</div>")[0]
    assert "2 progress reports are not verified yet" in warning
    assert "Apr 2026 (60.0%), May 2026 (100.0%)" in warning
    assert "counts only verified physical progress" in warning

    # The inspector verifies May's report from the table above the card: the score counts it.
    report = reported_done.progress_reports.get(month=dt.date(2026, 5, 1))
    client.post(reverse("planning:activity_action", args=[reported_done.pk, "verify"]), {"verify-report": report.pk})
    page = activity_page(client, reported_done)
    assert page.context["score_preview"].indicator_achievement_pct == 100
    assert page.context["score_preview"].grade == "very_high"
    assert [r.month for r in page.context["unverified"]] == [dt.date(2026, 4, 1)]


def test_the_recorded_evaluation_says_the_same_on_the_staff_and_public_pages(client, reported_done, inspector):
    client.force_login(inspector)
    actions.verify_progress(actor=inspector, report=reported_done.progress_reports.get(month=dt.date(2026, 5, 1)))
    response = client.post(
        reverse("planning:activity_action", args=[reported_done.pk, "evaluate"]),
        {"evaluate-findings": "Tuntas.", "evaluate-recommendations": "Pelihara."},
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.achievement_basis, evaluation.timeliness_pct) == ("physical", None)
    staff = activity_page(client, reported_done).content.decode()
    assert "Physical progress reported by the department and verified (no indicators): 100.0%" in staff
    assert "timeliness not measured (no milestones)" in staff
    client.logout()
    public = client.get(
        reverse("planning:public_activity", args=[reported_done.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    row = public[public.index('id="score-achievement"') :].split("</tr>")[0]
    assert "Physical progress reported by the department and verified (no indicators)" in row
    assert "Indicator achievement" not in public
    assert "not measured (no milestones)" in public[public.index('id="score-timeliness"') :].split("</tr>")[0]
    assert "timeliness could not be measured" in public


def test_late_work_without_milestones_is_still_measured_as_late(reported_done, time_machine):
    reported_done.completed_on = dt.date(2027, 1, 15)  # handed over after its planned end
    assert queries.activity_scores(reported_done)["timeliness_pct"] == 50


def test_a_department_year_weighs_timeliness_over_the_activities_that_measured_it(reported_done, fiscal_year):
    scores = queries.department_scores(fiscal_year=fiscal_year, department=reported_done.department)
    assert scores["timeliness_pct"] is None and scores["achievement_basis"] == "physical"
    reported_done.milestones.create(name="Kontrak", due_date=dt.date(2026, 2, 1), met_on=dt.date(2026, 2, 3))
    scores = queries.department_scores(fiscal_year=fiscal_year, department=reported_done.department)
    assert scores["timeliness_pct"] == 0  # its one milestone met late
    assert scores["score"] == Decimal("25.00")  # 0 × 0.5 + 100 × 0.25 + 0 × 0.25


def test_the_followers_of_linked_reports_hear_the_grade_in_words(reported_done, inspector, citizen):
    from complaints.mail import _render

    actions.verify_progress(actor=inspector, report=reported_done.progress_reports.get(month=dt.date(2026, 5, 1)))
    actions.evaluate_activity(actor=inspector, activity=reported_done, findings="Tuntas.", recommendations="-")
    [ticket] = reported_done.tickets.all()
    event = TicketEvent.objects.get(ticket=ticket, type="plan_update", payload__stage="evaluated")
    assert event.public and event.payload["grade"] == "very_high"
    with translation.override("en"):
        assert "graded “Very high”" in event_message(event.type, event.payload)
    notification = Notification.objects.get(email=citizen.email, context__payload__stage="evaluated")
    Notification.objects.filter(pk=notification.pk).update(language="en")
    notification.refresh_from_db()
    _subject, body = _render(notification)
    assert reported_done.name in body and "graded “Very high”" in body
    # Once: evaluating is not repeated, and telling again adds nothing.
    assert Notification.objects.filter(email=citizen.email, context__payload__stage="evaluated").count() == 1
