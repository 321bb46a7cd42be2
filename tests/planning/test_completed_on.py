"""The head names the day the work was completed (handed over); timeliness is scored from that day, not from the
day the head clicked: a hand-over on 28 November reported on 20 December is not late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from planning import actions, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_work(budgeted_activity, head_pupr, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC))
    activity = budgeted_activity
    activity.end_date = dt.date(2026, 11, 30)
    activity.save(update_fields=["end_date"])
    actions.report_progress(actor=head_pupr, activity=activity, month=dt.date(2026, 11, 1), physical_pct=100)
    time_machine.move_to(dt.datetime(2026, 12, 20, 3, tzinfo=dt.UTC))  # reported three weeks after the hand-over
    return activity


def test_a_hand_over_before_the_end_reported_later_is_on_time(client, finished_work, head_pupr):
    client.force_login(head_pupr)
    url = reverse("planning:activity_action", args=[finished_work.pk, "complete"])
    response = client.post(url, {"complete-completed_on": "2026-11-28", "complete-note": "PHO"})
    assert response.status_code == 302
    finished_work.refresh_from_db()
    assert (finished_work.stage, finished_work.completed_on) == ("completed", dt.date(2026, 11, 28))
    # Not late (the click's 20 December would be): without milestones, work delivered by its end is not measured.
    assert queries.activity_scores(finished_work)["timeliness_pct"] is None


def test_the_day_is_required_and_neither_in_the_future_nor_before_the_start(client, finished_work, head_pupr):
    client.force_login(head_pupr)
    url = reverse("planning:activity_action", args=[finished_work.pk, "complete"])
    with translation.override("en"):
        missing = client.post(url, {"complete-note": "PHO"}, HTTP_ACCEPT_LANGUAGE="en")
        assert missing.status_code == 400
        assert missing.context["forms"]["complete"].errors["completed_on"]
        ahead = client.post(url, {"complete-completed_on": "2026-12-21"}, HTTP_ACCEPT_LANGUAGE="en")
        assert ahead.status_code == 400
        assert "later than today" in ahead.context["forms"]["complete"].errors["completed_on"][0]
    with pytest.raises(ValidationError, match="before it starts"), translation.override("en"):
        actions.complete_activity(actor=head_pupr, activity=finished_work, completed_on=dt.date(2025, 12, 31))
    finished_work.refresh_from_db()
    assert finished_work.stage == "in_execution" and finished_work.completed_on is None


def test_a_hand_over_after_the_fiscal_year_is_accepted_and_late(finished_work, head_pupr, time_machine):
    time_machine.move_to(dt.datetime(2027, 1, 20, 3, tzinfo=dt.UTC))
    actions.complete_activity(actor=head_pupr, activity=finished_work, completed_on=dt.date(2027, 1, 15))
    finished_work.refresh_from_db()
    assert queries.activity_scores(finished_work)["timeliness_pct"] == 50
