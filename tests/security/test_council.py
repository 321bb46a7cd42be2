"""The council (DPRD) role: its members read the city and department dashboards (with their files) and the plan's
staff pages and API, as city staff do, and do nothing: every staff page of the tickets, every action (ticket,
plan, API) and the administration refuse them; and nothing they read names a citizen or shows an internal note.

The role × page rows for the council are in test_matrix.py with every other role's; this file goes through every
staff address, action and endpoint, and every file the pages offer.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.urls import reverse

from complaints import staff_urls
from complaints.api import TicketViewSet
from complaints.events import record_event
from complaints.models import EventType, ExportJob, SavedFilter
from planning.models import ActivityTicket, Proposal
from planning.views import ACTIVITY_FORMS
from services.models import Area, Department, Service
from tests.factories import make_ticket
from tests.planning.conftest import bridge_proposal, recommend_at_every_level

pytestmark = pytest.mark.django_db

# What a citizen's report holds that only the staff who handle it may read.
PHONE = "0812-7788-9900"
ADDRESS = "Gang Melati rumah cat hijau"
INTERNAL_NOTE = "Catatan internal: pelapor tetangga kepala RT"
GROUP = "Kelompok Ibu-ibu Gang Melati"
# Planning's write endpoints (POST) and its actions on one object.
PLANNING_WRITES = ("proposals", "realisations", "progress-reports", "indicators", "evaluations")
PLANNING_READS = (*PLANNING_WRITES, "activities", "budget-lines")


@pytest.fixture
def behind_the_plan(citizen, planned_activity, fiscal_year):
    """A citizen's public report (with a phone, an address and an internal note) escalated to the inspectorate and
    linked to the activity, and a community proposal the citizen sent online with a group kept from the public."""
    ticket = make_ticket(
        reporter=citizen,  # its name and email address on the report too
        reporter_phone=PHONE,
        address=ADDRESS,
        escalation_level=2,
        title="Sampah menumpuk di Jalan Mawar",
    )
    record_event(ticket=ticket, type=EventType.NOTE, actor=None, payload={"message": INTERNAL_NOTE})
    ActivityTicket.objects.create(activity=planned_activity, ticket=ticket)
    proposal = Proposal.objects.create(
        fiscal_year=fiscal_year,
        source=Proposal.Source.COMMUNITY,
        title="Lampu jalan Gang Melati",
        problem="Gelap setiap malam.",
        area=Area.objects.get(code="63.71.05.1003"),
        department=Department.objects.get(code="pupr"),
        estimated_cost=75_000_000,
        proposer=citizen,
        group_name=GROUP,
        show_group_name=False,
    )
    return ticket, proposal


def _citizen_data(citizen) -> tuple[str, ...]:
    return (citizen.full_name, citizen.email, PHONE, ADDRESS, INTERNAL_NOTE, GROUP)


def _assert_names_no_citizen(body: str, citizen, where: str) -> None:
    for secret in _citizen_data(citizen):
        assert secret not in body, (where, secret)


def _everything_planned_and_reported() -> dict:
    """Every row of the plan and of the tickets, to show that a refused action changed none of them."""
    rows = {}
    for label in ("planning", "complaints"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(map(repr, model.objects.values()))
    return rows


def _refused(response) -> bool:
    """A refusal: 403, 404 or 405, or (the planning pages' way) back to the page with an error message."""
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        return any(m.level == message_levels.ERROR for m in get_messages(response.wsgi_request))
    return False


def _post_forms(html: str) -> list[str]:
    """The addresses the page's POST forms send to (the language switch and the logout are the layout's)."""
    forms = re.findall(r"<form\b[^>]*>", html)
    return [
        re.search(r'action="([^"]*)"', form).group(1)
        for form in forms
        if re.search(r'method="post"', form, re.I) and 'action="' in form
    ]


# --- what the council reads ------------------------------------------------------------------------------------


def test_the_council_reads_every_planning_page_offering_no_action(
    client, council, planner, citizen, planned_activity, fiscal_year, behind_the_plan
):
    _ticket, community = behind_the_plan
    review_waiting = bridge_proposal(fiscal_year, planner)
    pages = [
        reverse("planning:board") + "?tahun=2026",
        reverse("planning:evidence") + "?tahun=2026",
        reverse("planning:activities") + "?tahun=2026",
        reverse("planning:activity", args=[planned_activity.pk]),
        reverse("planning:department", args=["pupr"]) + "?tahun=2026",
        reverse("planning:proposal", args=[review_waiting.pk]),
        reverse("planning:proposal", args=[community.pk]),
        reverse("planning:import") + "?tahun=2026",
        reverse("planning:export", args=["budget", "csv"]) + "?tahun=2026",
        reverse("planning:export", args=["realisation", "csv"]) + "?tahun=2026",
    ]
    client.force_login(council)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert not [action for action in _post_forms(body) if action.startswith("/perencanaan/")], page
        assert "/staf/" not in body, page  # a linked report leads to its public page
        _assert_names_no_citizen(body, citizen, page)
    # The planner, on the same proposal page, is offered the review (the check above can see a form).
    client.force_login(planner)
    body = client.get(reverse("planning:proposal", args=[review_waiting.pk])).content.decode()
    assert reverse("planning:proposal_review", args=[review_waiting.pk]) in _post_forms(body)


def test_the_proposal_page_names_who_sent_a_community_proposal_to_staff_not_to_the_council(
    client, council, planner, citizen, behind_the_plan
):
    _ticket, community = behind_the_plan
    page = reverse("planning:proposal", args=[community.pk])
    client.force_login(planner)
    body = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert citizen.full_name in body and GROUP in body
    client.force_login(council)
    body = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert citizen.full_name not in body and GROUP not in body
    assert "a citizen" in body and "Lampu jalan Gang Melati" in body


def test_a_public_group_name_is_shown_to_the_council_as_to_everyone(client, council, behind_the_plan):
    _ticket, community = behind_the_plan
    Proposal.objects.filter(pk=community.pk).update(show_group_name=True)
    client.force_login(council)
    assert GROUP in client.get(reverse("planning:proposal", args=[community.pk])).content.decode()


def test_the_council_reads_the_planning_api(client, council, citizen, planned_activity, behind_the_plan):
    client.force_login(council)
    for endpoint in PLANNING_READS:
        response = client.get(f"/api/v1/planning/{endpoint}/")
        assert response.status_code == 200, endpoint
        _assert_names_no_citizen(response.content.decode(), citizen, endpoint)
    assert client.get(f"/api/v1/planning/activities/{planned_activity.pk}/").status_code == 200


def test_the_council_opens_the_city_and_every_departments_dashboard_and_files(
    client, council, inspector, citizen, behind_the_plan
):
    client.force_login(council)
    pages = [reverse("dashboards:city")]
    pages += [f"{reverse('dashboards:department')}?department={d.code}" for d in Department.objects.all()]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        # Their ticket counts lead nowhere, and the city page lists no escalated ticket: no staff page to refuse.
        assert "/staf/" not in body, page
        _assert_names_no_citizen(body, citizen, page)
    # Every file the department page holding the citizen's report offers.
    response = client.get(f"{reverse('dashboards:department')}?department=dlh")
    assert "workload" in response.context["downloads"]
    for key, files in response.context["downloads"].items():
        for fmt, url in files.items():
            download = client.get(url)
            assert download.status_code == 200, (key, fmt)
            if fmt != "xlsx":
                _assert_names_no_citizen(download.content.decode(), citizen, url)
    # The inspectorate's city page lists the escalated report and leads to its staff page: the check above can fail.
    client.force_login(inspector)
    assert "/staf/" in client.get(reverse("dashboards:city")).content.decode()


def test_the_councils_menu_offers_the_dashboards_and_the_plan_not_the_queue(client, council):
    client.force_login(council)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for page in (reverse("dashboards:city"), reverse("dashboards:department"), reverse("planning:board")):
        assert f'href="{page}"' in body, page
    assert reverse("staff:queue") not in body and reverse("admin:index") not in body


def test_a_council_member_lands_on_the_city_dashboard(client, council):
    from allauth.account.models import EmailAddress

    council.set_password("Kata-sandi-yang-panjang-1")
    council.save()
    EmailAddress.objects.create(user=council, email=council.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": council.email, "password": "Kata-sandi-yang-panjang-1"})
    assert response["Location"] == reverse("dashboards:city")


# --- what the council is refused ------------------------------------------------------------------------------


def test_every_staff_ticket_page_refuses_the_council(client, council, staff_dlh, citizen, behind_the_plan):
    ticket, _proposal = behind_the_plan
    job = ExportJob.objects.create(owner=staff_dlh, query="", format="csv", state=ExportJob.State.READY)
    saved = SavedFilter.objects.create(owner=staff_dlh, name="Terlambat", query="overdue=1")
    known = {"reference": ticket.reference, "name": "note", "job_id": job.pk, "filter_id": saved.pk}
    client.force_login(council)
    before = _everything_planned_and_reported()
    # The kelurahan boundaries the staff maps draw are public geography, served to anyone.
    for pattern in (p for p in staff_urls.urlpatterns if p.name != "boundaries"):
        url = reverse(f"staff:{pattern.name}", kwargs={name: known[name] for name in pattern.pattern.converters})
        for method in (client.get, client.post):
            response = method(url, {"note-message": "Dari dewan."}, follow=True)
            assert response.status_code in (403, 404, 405), (method.__name__, url, response.status_code)
            _assert_names_no_citizen(response.content.decode(), citizen, url)
    assert _everything_planned_and_reported() == before


def test_every_ticket_action_refuses_the_council(client, council, citizen):
    from tests.staff.matrix import ACTIONS

    ticket = make_ticket(reporter=citizen, title="Sampah di Jalan Mawar")
    client.force_login(council)
    before = _everything_planned_and_reported()
    for name in ACTIONS:
        data = {f"{name}-message": "Dari dewan.", f"{name}-note": "Selesai.", f"{name}-reason": "Alasan."}
        response = client.post(reverse("staff:ticket_action", args=[ticket.reference, name]), data)
        assert response.status_code == 403, name
    assert _everything_planned_and_reported() == before


def test_every_staff_endpoint_of_the_tickets_api_refuses_the_council(client, council, citizen):
    ticket = make_ticket(reporter=citizen, title="Sampah di Jalan Mawar")
    record_event(ticket=ticket, type=EventType.NOTE, actor=None, payload={"message": INTERNAL_NOTE})
    client.force_login(council)
    before = _everything_planned_and_reported()
    # Every action on a ticket but the reporter's own (add-info: what the department asked them for).
    staff_actions = [
        a for a in TicketViewSet.get_extra_actions() if a.detail and "post" in a.mapping and a.url_path != "add-info"
    ]
    assert len(staff_actions) > 10
    for action in staff_actions:
        url = f"/api/v1/tickets/{ticket.reference}/{action.url_path}/"
        response = client.post(url, {"message": "Dari dewan.", "reason": "Alasan."}, content_type="application/json")
        assert response.status_code in (403, 404), (url, response.status_code)
    assert client.get(f"/api/v1/tickets/{ticket.reference}/assignees/").status_code == 403
    assert _everything_planned_and_reported() == before
    # What it reads of the report is what the public reads: no reporter, no internal note.
    for url in (f"/api/v1/tickets/{ticket.reference}/", f"/api/v1/tickets/{ticket.reference}/events/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_names_no_citizen(response.content.decode(), citizen, url)


def test_every_planning_action_refuses_the_council(
    client, council, planner, head_pupr, citizen, fiscal_year, planned_activity
):
    from planning import actions

    review_waiting = bridge_proposal(fiscal_year, planner)
    linked = make_ticket(reporter=citizen, title="Jembatan lapuk")
    review_waiting.tickets.add(linked)
    accept_waiting = recommend_at_every_level(bridge_proposal(fiscal_year, planner), planner=planner, head=head_pupr)
    assert actions.allowed_activity_actions(council, planned_activity) == set()
    client.force_login(council)
    before = _everything_planned_and_reported()
    activity = planned_activity.pk
    for name in ACTIVITY_FORMS:
        # Input a form refuses is answered first (400, the page again), as for anyone: it changes nothing either.
        response = client.post(reverse("planning:activity_action", args=[activity, name]), {f"{name}-amount": "1"})
        assert response.status_code == 400 or _refused(response), (name, response.status_code)
    # The forms as the staff who may send them fill them in: the council is refused for its role, not its input.
    posts = [
        (
            reverse("planning:activity_action", args=[activity, "ceiling"]),
            {"ceiling-amount": "2000000000", "ceiling-fund_source": "pad", "ceiling-account_code": "5.1.02"},
        ),
        (
            reverse("planning:proposal_review", args=[review_waiting.pk]),
            {"decision": "recommend", "amount": "400000000", "note": "Setuju."},
        ),
        (
            reverse("planning:proposal_accept", args=[accept_waiting.pk]),
            {
                "fiscal_year": "2026",
                "code": "1.03.02.2.01.0009",
                "name": "Jembatan",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
            },
        ),
        (
            reverse("planning:proposal_edit", args=[review_waiting.pk]),
            {"edit-title": "Diubah dewan", "edit-problem": "Lain.", "edit-estimated_cost": "1000000"},
        ),
        (reverse("planning:proposal_link_tickets", args=[review_waiting.pk]), {"link-references": linked.reference}),
        (reverse("planning:proposal_unlink_ticket", args=[review_waiting.pk]), {"ticket": linked.pk}),
        (
            reverse("planning:department_evaluate", args=["pupr"]) + "?tahun=2026",
            {"findings": "Baik.", "recommendations": "Lanjutkan."},
        ),
        (
            reverse("planning:propose_from_evidence"),
            {
                "service": Service.objects.get(code="sampah-menumpuk").pk,
                "area": Area.objects.get(code="63.71.05.1003").pk,
            },
        ),
        (reverse("planning:proposal_new"), {"title": "Usulan dewan"}),
        (reverse("planning:import"), {"kind": "budget", "tahun": "2026"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert _refused(response), (url, response.status_code)
    for endpoint in PLANNING_WRITES:
        # The API checks the input first (400), then the action the role (403): nothing is written either way.
        response = client.post(f"/api/v1/planning/{endpoint}/", {}, content_type="application/json")
        assert response.status_code in (400, 403), endpoint
    proposal = {
        "fiscal_year": 2026,
        "source": "musrenbang_kelurahan",
        "title": "Normalisasi drainase Jl. Veteran",
        "problem": "Genangan setiap hujan.",
        "area": "63.71.05.1003",
        "department": "pupr",
        "estimated_cost": "250000000.00",
    }
    response = client.post("/api/v1/planning/proposals/", proposal, content_type="application/json")
    assert response.status_code == 403, response.content
    response = client.post(
        f"/api/v1/planning/activities/{activity}/close-year/",
        {"outcome": "lapsed", "reason": "Tidak selesai."},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert _everything_planned_and_reported() == before


def test_the_administration_refuses_the_council(client, council):
    client.force_login(council)
    for page in (reverse("admin:index"), reverse("admin:planning_activity_changelist")):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), page
