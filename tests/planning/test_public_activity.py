"""The public page of an activity: anyone reads what the city may publish, and nothing of what it may not."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from complaints.models import EventType, Privacy, Status, TicketEvent
from planning import actions, queries
from planning.models import Activity
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

SECRET_FINDINGS = "Temuan internal: rekanan terlambat menyerahkan laporan"
SECRET_RECOMMENDATIONS = "Rekomendasi internal: tegur rekanan"
SECRET_PROBLEMS = "Masalah internal: cuaca buruk"
SP2D = "SP2D-00917/2026"
STAGE_NOTE = "Catatan internal serah terima"


@pytest.fixture
def june(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC))


@pytest.fixture
def linked(budgeted_activity, planner, citizen):
    """Reports linked to the activity: three public, one anonymous, two confidential, one still being routed."""
    tickets = {
        "public": [
            make_ticket(service="drainase-tersumbat", reporter=citizen, title=f"Saluran mampet nomor {i}")
            for i in range(3)
        ],
        "anonymous": make_ticket(
            service="drainase-tersumbat", privacy=Privacy.ANONYMOUS, title="Got meluap depan sekolah", reporter=citizen
        ),
        "confidential": [
            make_ticket(
                service="drainase-tersumbat",
                privacy=Privacy.CONFIDENTIAL,
                title=f"Rahasia: pungutan liar petugas {i}",
                reporter=citizen,
            )
            for i in range(2)
        ],
        "submitted": make_ticket(service="drainase-tersumbat", status=Status.SUBMITTED, title="Belum dirutekan"),
    }
    everything = [*tickets["public"], tickets["anonymous"], *tickets["confidential"], tickets["submitted"]]
    actions.link_tickets(actor=planner, activity=budgeted_activity, tickets=everything)
    return tickets


@pytest.fixture
def evaluated(june, budgeted_activity, linked, head_pupr, inspector):
    """The activity paid, built, completed and evaluated, with internal words at every step."""
    activity = budgeted_activity
    actions.record_realisation(
        actor=head_pupr,
        activity=activity,
        date=dt.date(2026, 3, 10),
        amount="1200000000",
        document_number=SP2D,
        description="Termin pertama",
    )
    actions.report_progress(
        actor=head_pupr, activity=activity, month=dt.date(2026, 5, 1), physical_pct=100, problems=SECRET_PROBLEMS
    )
    actions.complete_activity(actor=head_pupr, activity=activity, completed_on=dt.date(2026, 6, 15), note=STAGE_NOTE)
    actions.evaluate_activity(
        actor=inspector, activity=activity, findings=SECRET_FINDINGS, recommendations=SECRET_RECOMMENDATIONS
    )
    activity.refresh_from_db()
    return activity


def page_of(client, activity, language="id"):
    return client.get(reverse("planning:public_activity", args=[activity.pk]), HTTP_ACCEPT_LANGUAGE=language)


def test_anyone_reads_budget_progress_and_grade_without_what_is_internal(
    client, evaluated, linked, head_pupr, inspector, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        page = page_of(client, evaluated)
    assert page.status_code == 200
    html = page.content.decode()
    assert evaluated.name in html and "2026" in html
    assert "Rp\u00a01.500.000.000" in html  # the approved budget in force
    assert "Rp\u00a01.200.000.000" in html  # realised so far
    assert 'id="absorption">80,0%' in html
    assert 'id="physical">100,0%' in html
    assert 'aria-current="step"' in html and page.context["activity"].stage == "evaluated"
    assert page.context["completed_on"] == dt.date(2026, 6, 15)
    assert page.context["evaluation"].get_grade_display() in html
    assert 'id="progress-chart-data"' in html and 'id="trend-chart-data"' in html
    assert "<script>" not in html  # CSP: the charts read json_script blocks
    for internal in (SP2D, SECRET_FINDINGS, SECRET_RECOMMENDATIONS, SECRET_PROBLEMS, STAGE_NOTE, "Termin pertama"):
        assert internal not in html
    for person in (head_pupr, inspector):
        assert person.email not in html
        assert not person.full_name or person.full_name not in html


def test_only_public_linked_reports_are_listed_and_the_others_are_counted(client, evaluated, linked, citizen):
    html = page_of(client, evaluated, "en").content.decode()
    assert "7 citizen reports linked to this activity" in html
    for ticket in [*linked["public"], linked["anonymous"]]:
        assert reverse("complaints:ticket", args=[ticket.reference]) in html
        assert ticket.title in html
    assert "and 3 reports that are not public" in html
    for ticket in [*linked["confidential"], linked["submitted"]]:
        assert ticket.reference not in html
        assert ticket.title not in html
    assert citizen.email not in html


def test_the_page_speaks_indonesian_by_default_and_english_on_request(client, evaluated):
    for _ in range(6):  # the year before the start: 6 reports in 12 months
        make_ticket(service="drainase-tersumbat", created_at=dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC))
    indonesian = page_of(client, evaluated).content.decode()
    assert '<html lang="id">' in indonesian
    assert "Sudah dievaluasi" in indonesian  # the stage in words
    assert "Tahun anggaran" in indonesian and "Perangkat Daerah" in indonesian
    assert "Laporan per bulan" in indonesian
    assert "15 Jun 2026" in indonesian
    # Before: 6 in 12 months; since 1 January: the 4 public linked reports past routing in about 5 months. The two
    # confidential ones stay out even as a count, as on the public dashboard (the staff page counts them).
    per_month = indonesian.split('id="service-per-month">')[1].split("</tr>")[0]
    # After its completion (15 June, today): counted once a month has passed.
    assert re.sub(r"<[^>]+>", "", per_month).startswith("Laporan per bulan0,5 (n = 6)0,8 (n = 4)")
    assert 'id="completed-recently"' in per_month
    assert 'id="absorption">80,0%' in indonesian
    english = page_of(client, evaluated, "en").content.decode()
    assert '<html lang="en">' in english
    assert "Evaluated" in english and "Fiscal year" in english and "Current budget" in english
    per_month = english.split('id="service-per-month">')[1].split("</tr>")[0]
    assert re.sub(r"<[^>]+>", "", per_month) == (
        "Reports per month0.5 (n = 6)0.8 (n = 4)completed on 15 Jun 2026: counted once a month has passed"
    )
    assert queries.service_indicators(evaluated)["during"]["count"] == 6  # staff figures count every report
    assert "Reports per month" in english and "Sudah dievaluasi" not in english
    assert 'id="absorption">80.0%' in english


def test_an_activity_not_budgeted_yet_says_so(client, planned_activity, june, citizen):
    client.force_login(citizen)  # signed in or not, the same page
    page = page_of(client, planned_activity, "en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Not budgeted yet" in html
    assert 'id="progress-chart-data"' not in html
    assert 'id="completed-on"' not in html
    assert "0 citizen reports linked to this activity" in html


def test_unknown_activity_is_404(client, fiscal_year):
    missing = (Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    assert client.get(reverse("planning:public_activity", args=[missing])).status_code == 404


def test_citizen_ticket_page_links_the_plan_update_to_the_public_page(client, budgeted_activity, planner, finance):
    # budgeted_activity was budgeted before any report was linked: the update comes as the action would tell it.
    ticket = make_ticket(service="drainase-tersumbat")
    actions.link_tickets(actor=planner, activity=budgeted_activity, tickets=[ticket])
    from complaints.actions.plan_updates import tell_followers_about_plan

    tell_followers_about_plan(tickets=[ticket], activity=budgeted_activity, stage="budgeted")
    # An update recorded before events carried the activity's id: shown, without a link.
    TicketEvent.objects.create(
        ticket=ticket,
        type=EventType.PLAN_UPDATE,
        public=True,
        payload={"activity": "Kegiatan lama", "department": "PUPR", "stage": "completed"},
    )
    html = client.get(reverse("complaints:ticket", args=[ticket.reference])).content.decode()
    public_page = reverse("planning:public_activity", args=[budgeted_activity.pk])
    assert html.count(f'href="{public_page}"') == 1
    assert "Kegiatan lama" in html
    assert client.get(public_page).status_code == 200


def test_staff_activity_page_links_to_the_public_page(client, planned_activity, planner):
    client.force_login(planner)
    html = client.get(reverse("planning:activity", args=[planned_activity.pk])).content.decode()
    assert f'href="{reverse("planning:public_activity", args=[planned_activity.pk])}"' in html
