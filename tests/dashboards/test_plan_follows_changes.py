"""The dashboards' plan figures follow a planning action at once (a BPKPAD finance officer's walk): right after a
payment was recorded, or an activity completed, the city dashboard still gave the figures of five minutes before,
beside the plan's own list that had the new ones. The plan's figures are cached under the plan's generation, renamed
once each change to the plan commits; the ticket figures keep their cache (the benchmark: never recompute them for a
planning action). A download linked from a page still holds what the page showed."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from planning import actions

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}


def _city(client):
    response = client.get(reverse("dashboards:city"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def _dlh(response) -> dict:
    return next(
        row for row in response.context["tables"]["absorption_department"].rows if row["department_code"] == "dlh"
    )


def _in_stage(response, stage: str) -> int:
    return next(row["n"] for row in response.context["tables"]["plan_stages"].rows if row["stage"] == stage)


@pytest.fixture
def plan(plan):
    """The plan, DLH's year not evaluated yet: its payments may still change."""
    from planning.models import Evaluation

    Evaluation.objects.filter(activity=None, department__code="dlh").delete()
    return plan


def _pay(finance, activity, amount: str) -> None:
    """BPKPAD records a payment (SP2D) on 5 March."""
    with time_machine.travel(NOW, tick=False):
        actions.record_realisation(
            actor=finance, activity=activity, date=dt.date(2026, 3, 5), amount=Decimal(amount), document_number="SP2D-9"
        )


def test_a_payment_shows_on_the_city_dashboard_at_once_while_the_tickets_keep_their_cache(
    client, finance, plan, django_capture_on_commit_callbacks
):
    client.force_login(finance)
    with time_machine.travel(NOW, tick=False):
        before = _city(client)
    assert _dlh(before)["realised"] == Decimal("80000000")
    with django_capture_on_commit_callbacks(execute=True):
        _pay(finance, plan["A1"], "5000000")
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        after = _city(client)
    assert _dlh(after)["realised"] == Decimal("85000000")
    # The tickets' figures came from their cache, computed at the first visit; the plan's were computed again.
    assert after.context["computed_at"] == before.context["computed_at"]
    assert after.context["plan_computed_at"] == NOW + dt.timedelta(minutes=1)
    assert "The plan's figures: computed at 12:01 WITA" in after.content.decode()


def test_a_stage_moved_shows_on_the_public_and_department_dashboards(
    client, head_dlh, plan, django_capture_on_commit_callbacks
):
    from planning.models import Stage

    client.force_login(head_dlh)
    department = reverse("dashboards:department")
    with time_machine.travel(NOW, tick=False):
        public = client.get(reverse("dashboards:public"), FILTERS)
        mine = client.get(department, {**FILTERS, "department": "dlh"})
    a1 = next(row for row in public.context["tables"]["activities"].rows if row["code"] == "A1")
    assert a1["stage"] == Stage.IN_EXECUTION
    with django_capture_on_commit_callbacks(execute=True):
        activity = plan["A1"]
        activity.stage = Stage.COMPLETED  # as ``complete_activity`` moves it, under its lock
        activity.save(update_fields=["stage"])
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        public = client.get(reverse("dashboards:public"), FILTERS)
        mine = client.get(department, {**FILTERS, "department": "dlh"})
    for page in (public, mine):
        a1 = next(row for row in page.context["tables"]["activities"].rows if row["code"] == "A1")
        assert a1["stage"] == Stage.COMPLETED


def test_a_rolled_back_change_keeps_the_cache(client, finance, plan, django_capture_on_commit_callbacks):
    """Nothing committed, nothing to compute again: the plan's figures stay as they were computed."""
    client.force_login(finance)
    with time_machine.travel(NOW, tick=False):
        _city(client)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _pay(finance, plan["A1"], "5000000")
            raise RuntimeError("the officer's connection dropped")
    assert callbacks == []
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert _city(client).context["plan_computed_at"] == NOW


def test_a_download_from_the_page_holds_the_plan_figures_the_page_showed(
    client, finance, plan, django_capture_on_commit_callbacks
):
    """With the default dates: the plan's links carry only the year, and a file under other dates is another page's."""
    client.force_login(finance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("dashboards:city"), {"tahun": "2026"}, HTTP_ACCEPT_LANGUAGE="en")
    link = page.context["downloads"]["absorption_department"]["json"]
    with django_capture_on_commit_callbacks(execute=True):
        _pay(finance, plan["A1"], "5000000")
    bare = reverse("dashboards:export", args=["city", "absorption_department", "json"])
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        shown = client.get(link, HTTP_ACCEPT_LANGUAGE="en").json()
        now = client.get(bare, {"tahun": "2026"}, HTTP_ACCEPT_LANGUAGE="en").json()

    def dlh(answer) -> int:
        return next(row["realised"] for row in answer["dataset"]["rows"] if row["department_code"] == "dlh")

    assert (dlh(shown), shown["computed_at"]) == (80000000, "2026-03-06T12:00:00+08:00")
    assert (dlh(now), now["computed_at"]) == (85000000, "2026-03-06T12:10:00+08:00")
