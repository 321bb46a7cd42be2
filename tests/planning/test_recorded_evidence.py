"""The evidence behind an evaluation's score says who recorded it and when (WITA), and the evaluate card names what
the score counts that nobody vouches for, before the inspector grades: a milestone added on 8 December with a 31 March
due date and met "28 March" scored 100% timeliness, and indicator values counted at once, unverified. The score's
formula is unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from planning import actions
from planning.models import IndicatorValue, Milestone

pytestmark = pytest.mark.django_db

DEC_8_0853_WITA = dt.datetime(2026, 12, 8, 0, 53, tzinfo=dt.UTC)


@pytest.fixture
def walked(time_machine, budgeted_activity, head_pupr, planner):
    """On 8 December 2026 at 08:53 WITA the head adds the contract milestone due 31 March and marks it met on 28 March,
    and records 1.200 m of drain against its indicator; the work is completed."""
    time_machine.move_to(DEC_8_0853_WITA)
    activity = budgeted_activity
    milestone = actions.add_milestone(
        actor=head_pupr, activity=activity, name="Kontrak ditandatangani", due_date=dt.date(2026, 3, 31)
    )
    actions.mark_milestone(actor=head_pupr, milestone=milestone, met_on=dt.date(2026, 3, 28))
    indicator = actions.add_indicator(
        actor=planner,
        activity=activity,
        level="output",
        description="Saluran dinormalisasi",
        unit="m",
        baseline=0,
        target=1200,
        direction="increase",
    )
    actions.record_indicator_value(actor=head_pupr, indicator=indicator, period=dt.date(2026, 11, 30), value=1200)
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 12, 1), physical_pct=100)
    actions.complete_activity(actor=head_pupr, activity=activity, completed_on=dt.date(2026, 12, 5))
    return activity


def _page(client, activity) -> str:
    return client.get(reverse("planning:activity", args=[activity.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def _part(html: str, marker: str, end: str) -> str:
    start = html.index(marker)
    return html[start : html.index(end, start)]


def test_milestones_and_indicator_values_say_who_recorded_them_and_when(client, walked, inspector, head_pupr):
    client.force_login(inspector)
    html = _page(client, walked)
    milestones = _part(html, 'id="milestones"', "</ul>")
    assert f"recorded by {head_pupr}, on 8 Dec 2026 08:53 WITA" in milestones
    assert f"outcome recorded by {head_pupr}, on 8 Dec 2026 08:53 WITA" in milestones
    assert "recorded after its due date" in milestones
    values = _part(html, 'class="list-unstyled text-muted mb-0 indicator-values"', "</ul>")
    assert f"recorded by {head_pupr}, on 8 Dec 2026 08:53 WITA" in values


def test_rows_recorded_before_it_was_kept_name_nobody(client, walked, inspector):
    Milestone.objects.update(recorded_by=None, recorded_at=None, met_recorded_by=None, met_recorded_at=None)
    IndicatorValue.objects.update(recorded_at=None)
    client.force_login(inspector)
    html = _page(client, walked)
    assert "recorded by" not in html and "recorded after its due date" not in html


def test_the_evaluate_card_names_the_late_milestone_and_the_unverified_value(client, walked, inspector):
    client.force_login(inspector)
    card = _part(_page(client, walked), 'id="evaluate"', "</form>")
    late = _part(card, 'id="late-milestones"', "</div>")
    assert "1 milestone counted as met on time was recorded after its due date" in late
    assert "Kontrak ditandatangani: due 31 Mar 2026, met 28 Mar 2026, added on 8 Dec 2026 08:53 WITA" in late
    unverified = _part(card, 'id="unverified-values"', "</div>")
    assert "1 indicator value counted in the score is not verified yet" in unverified
    assert "Saluran dinormalisasi: 1,200 m (30 Nov 2026)" in unverified


def test_verifying_the_value_clears_the_flag_and_leaves_the_score_as_it_was(client, walked, inspector):
    client.force_login(inspector)
    before = client.get(reverse("planning:activity", args=[walked.pk])).context["score_preview"].score
    value = IndicatorValue.objects.get()
    response = client.post(
        reverse("planning:activity_action", args=[walked.pk, "verify_value"]), {"verify_value-value": value.pk}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.verified_by == inspector and value.verified_at is not None
    page = client.get(reverse("planning:activity", args=[walked.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'id="unverified-values"' not in html
    assert f"verified by {inspector}, on 8 Dec 2026 08:53 WITA" in html
    assert page.context["score_preview"].score == before


def test_a_value_typed_again_is_unverified_again(walked, inspector, head_pupr, planner):
    value = IndicatorValue.objects.get()
    actions.evaluation.verify_indicator_value(actor=inspector, value=value)
    walked.stage = "in_execution"  # still open: the head corrects the figure
    walked.save(update_fields=["stage"])
    actions.record_indicator_value(actor=planner, indicator=value.indicator, period=value.period, value="1100")
    value.refresh_from_db()
    assert value.verified_at is None and value.recorded_by == planner


def test_a_milestone_recorded_before_its_due_date_is_not_flagged(
    client, time_machine, budgeted_activity, head_pupr, inspector
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))
    milestone = actions.add_milestone(
        actor=head_pupr, activity=budgeted_activity, name="Kontrak ditandatangani", due_date=dt.date(2026, 3, 31)
    )
    time_machine.move_to(dt.datetime(2026, 3, 28, 2, 0, tzinfo=dt.UTC))
    actions.mark_milestone(actor=head_pupr, milestone=milestone, met_on=dt.date(2026, 3, 28))
    client.force_login(inspector)
    html = _page(client, budgeted_activity)
    assert "recorded by" in html and "after its due date" not in html


def test_a_milestone_marked_met_after_its_due_date_with_an_earlier_day_is_flagged(
    client, time_machine, budgeted_activity, head_pupr, inspector
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))
    milestone = actions.add_milestone(
        actor=head_pupr, activity=budgeted_activity, name="Kontrak ditandatangani", due_date=dt.date(2026, 3, 31)
    )
    time_machine.move_to(DEC_8_0853_WITA)
    actions.mark_milestone(actor=head_pupr, milestone=milestone, met_on=dt.date(2026, 3, 28))
    client.force_login(inspector)
    assert "recorded as met after its due date" in _part(_page(client, budgeted_activity), 'id="milestones"', "</ul>")


def test_a_recorded_evaluation_says_its_time_in_wita(client, walked, inspector):
    actions.evaluate_activity(actor=inspector, activity=walked, findings="Tepat mutu.", recommendations="Lanjutkan.")
    client.force_login(inspector)
    html = _page(client, walked)
    assert f"{inspector}, 8 Dec 2026 08:53 WITA" in html
