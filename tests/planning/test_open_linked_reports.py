"""Inspektorat/BPKAD year-end walk: an activity was completed, evaluated and shown as done while the reports linked to
it were still open, one escalated to the inspectorate. Completing and evaluating are not refused (the work may be done
while a report in its area is still handled) but warn, naming each linked report still open (reference, status,
department, overdue), as the activity page does; a report merged into one still open is open too, one resolved or
merged into a resolved one is not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from complaints.models import Privacy, Status
from planning import actions, queries
from planning.models import ActivityTicket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"


def english(client, url, **kwargs):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def box(html: str, box_id: str) -> str:
    return html[html.index(f'id="{box_id}"') :].split("</div>")[0]


@pytest.fixture
def linked(budgeted_activity, planner, time_machine):
    """Reports linked to the activity, filed in October: one late and escalated to the inspectorate, one merged into a
    report still handled, one resolved, one merged into the resolved one, a rejected one, and a confidential one of
    DLH (PUPR's head may not open it)."""
    time_machine.move_to(dt.datetime(2026, 10, 1, 2, tzinfo=dt.UTC))
    drain = {"service": "drainase-tersumbat", "kelurahan": MAWAR}
    late = make_ticket(
        **drain,
        status=Status.IN_PROGRESS,
        title="Saluran mampet di gang 3",
        escalation_level=2,
        escalated_deadline="resolution",
    )
    handled = make_ticket(
        **drain,
        status=Status.ACKNOWLEDGED,
        title="Saluran mampet di gang 4",
        resolution_due_at=dt.datetime(2026, 12, 30, 9, tzinfo=dt.UTC),
    )
    merged_open = make_ticket(**drain, status=Status.DUPLICATE, duplicate_of=handled, title="Gang 4 lagi")
    resolved = make_ticket(**drain, status=Status.RESOLVED, title="Saluran mampet di gang 5")
    merged_resolved = make_ticket(**drain, status=Status.DUPLICATE, duplicate_of=resolved, title="Gang 5 lagi")
    rejected = make_ticket(**drain, status=Status.REJECTED, title="Bukan saluran kota")
    secret = make_ticket(kelurahan=MAWAR, status=Status.ROUTED, privacy=Privacy.CONFIDENTIAL, title="Rahasia")
    tickets = {
        "late": late,
        "merged_open": merged_open,
        "resolved": resolved,
        "merged_resolved": merged_resolved,
        "rejected": rejected,
        "secret": secret,
    }
    for ticket in tickets.values():
        ActivityTicket.objects.create(activity=budgeted_activity, ticket=ticket, added_by=planner)
    return tickets | {"handled": handled}


@pytest.fixture
def at_full_progress(budgeted_activity, head_pupr, linked, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC))  # the late report is past its resolution date
    actions.report_progress(actor=head_pupr, activity=budgeted_activity, month=dt.date(2026, 11, 1), physical_pct=100)
    budgeted_activity.refresh_from_db()
    return budgeted_activity


def test_open_linked_reports_are_the_open_ones_and_those_merged_into_one(at_full_progress, linked, head_pupr):
    found = queries.open_linked_reports(at_full_progress, user=head_pupr)
    assert [t.reference for t in found] == [linked[k].reference for k in ("late", "merged_open", "secret")]
    late, merged, secret = found
    assert late.overdue and late.visible and late.handling == late
    assert merged.handling == linked["handled"] and not merged.overdue
    assert not secret.visible  # counted, never named to whom may not open it


def test_completing_warns_of_the_linked_reports_still_open_and_is_not_refused(
    client, at_full_progress, linked, head_pupr
):
    client.force_login(head_pupr)
    page = english(client, reverse("planning:activity", args=[at_full_progress.pk])).content.decode()
    card = box(page, "complete-open-reports")
    assert "3 linked reports are still open" in card
    assert linked["late"].reference in card and "overdue" in card and "Escalated to the inspectorate" in card
    assert "In progress" in card and "Dinas PUPR" in card
    assert f"merged into {linked['handled'].reference}" in card
    assert linked["resolved"].reference not in card and linked["merged_resolved"].reference not in card
    assert linked["rejected"].reference not in card and linked["secret"].reference not in card
    assert "1 more that you may not open" in card

    url = reverse("planning:activity_action", args=[at_full_progress.pk, "complete"])
    response = client.post(url, {"complete-completed_on": "2026-11-18"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    at_full_progress.refresh_from_db()
    assert at_full_progress.stage == "completed"
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        f"3 reports linked to this activity are still open ({linked['late'].reference}, "
        f"{linked['merged_open'].reference}, 1 you may not open)"
    )
    # The page keeps saying it beside the linked reports, for every reader of the staff page.
    page = english(client, reverse("planning:activity", args=[at_full_progress.pk])).content.decode()
    assert linked["late"].reference in box(page, "open-linked-reports")


def test_evaluating_warns_too_and_the_card_names_them_before(client, at_full_progress, linked, head_pupr, inspector):
    actions.complete_activity(actor=head_pupr, activity=at_full_progress, completed_on=dt.date(2026, 11, 18))
    client.force_login(inspector)
    page = english(client, reverse("planning:activity", args=[at_full_progress.pk])).content.decode()
    card = box(page, "evaluate-open-reports")
    # The inspectorate may open every report, the confidential one too.
    assert all(linked[k].reference in card for k in ("late", "merged_open", "secret"))
    assert "more that you may not open" not in card
    url = reverse("planning:activity_action", args=[at_full_progress.pk, "evaluate"])
    response = client.post(
        url, {"evaluate-findings": "Selesai.", "evaluate-recommendations": "-"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    at_full_progress.refresh_from_db()
    assert at_full_progress.stage == "evaluated"
    (warning,) = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "3 reports linked to this activity are still open" in warning


def test_no_warning_once_every_linked_report_is_answered(client, at_full_progress, linked, head_pupr):
    from complaints.models import Ticket

    Ticket.objects.filter(pk__in=[linked[k].pk for k in ("late", "handled", "secret")]).update(status=Status.CLOSED)
    client.force_login(head_pupr)
    page = english(client, reverse("planning:activity", args=[at_full_progress.pk])).content.decode()
    assert "open-linked-reports" not in page and "complete-open-reports" not in page
    url = reverse("planning:activity_action", args=[at_full_progress.pk, "complete"])
    response = client.post(url, {"complete-completed_on": "2026-11-18"})
    assert response.status_code == 302
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_the_history_says_wita_and_the_menu_opens_the_year_being_planned(client, at_full_progress, head_pupr):
    """Stage and budget history times are WITA; the menu's complaint evidence opens the year proposals are for
    (README: the evidence page opens the year whose Musrenbang runs, else the first whose execution has not
    started), as on the board, not the activity's year in execution."""
    client.force_login(head_pupr)
    page = english(client, reverse("planning:activity", args=[at_full_progress.pk])).content.decode()
    history = page[page.index('id="history"') :].split("</ul>")[0]
    assert "WITA" in history and history.count("WITA") == at_full_progress.stage_changes.count()
    assert f'{reverse("planning:evidence")}?tahun={queries.proposal_year()}"' in page
    assert queries.proposal_year() == 2027
    board = english(client, reverse("planning:board")).content.decode()
    assert f'{reverse("planning:evidence")}?tahun=2027"' in board
