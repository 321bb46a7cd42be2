"""XSS: a script/attribute-breaking payload in every free-text field is escaped wherever it is shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import actions
from services.models import Area, Department
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

RAW = ("<script>alert(", "<img src=x onerror=", "<svg onload=")


def payload(field: str) -> str:
    return f"{field} <script>alert('{field}')</script>\"><img src=x onerror=alert('{field}')><svg onload=alert(1)>"


@pytest.fixture
def hostile(citizen, staff_dlh, planner, fiscal_year):
    """A public ticket whose every free text is hostile, worked through its whole life; one rejected; a proposal."""
    citizen.full_name = payload("name")[:150]
    citizen.save()
    ticket = make_ticket(
        reporter=citizen,
        title=payload("title")[:200],
        description=payload("description"),
        address=payload("address")[:255],
        show_name=True,
    )
    actions.reply_publicly(ticket=ticket, actor=staff_dlh, message=payload("reply"))
    actions.ask_for_information(ticket=ticket, actor=staff_dlh, message=payload("question"))
    actions.add_internal_note(ticket=ticket, actor=staff_dlh, message=payload("note"))
    actions.resolve_ticket(ticket=ticket, actor=staff_dlh, note=payload("resolution"))
    actions.citizen_reopen(ticket=ticket, actor=citizen, reason=payload("reopen reason"))
    ticket.refresh_from_db()
    actions.resolve_ticket(ticket=ticket, actor=staff_dlh, note=payload("resolution 2"))
    ticket.refresh_from_db()
    try:
        actions.rate_ticket(ticket=ticket, actor=citizen, score=2, comment=payload("rating comment"))
    except ValidationError:
        actions.confirm_resolution(ticket=ticket, actor=citizen)
        ticket.refresh_from_db()
        actions.rate_ticket(ticket=ticket, actor=citizen, score=2, comment=payload("rating comment"))
    rejected = make_ticket(reporter=citizen, title="Ditolak")
    actions.reject_ticket(ticket=rejected, actor=staff_dlh, reason=payload("reject reason"))
    from planning import actions as planning_actions

    proposal = planning_actions.submit_proposal(
        actor=planner,
        fiscal_year=fiscal_year,
        source="department",
        title=payload("proposal title")[:200],
        problem=payload("proposal text"),
        area=Area.objects.get(code="63.71.05.1003"),
        department=Department.objects.get(code="dlh"),
        estimated_cost="1000000",
    )
    ticket.refresh_from_db()
    return ticket, rejected, proposal


def _assert_escaped(response, *, expect: tuple[str, ...] = ()):
    assert response.status_code == 200
    html = response.content.decode()
    for raw in RAW:
        assert raw not in html, f"unescaped {raw!r} in {response.request['PATH_INFO']}"
    for field in expect:  # the text is there, escaped: the check above looked at the right page
        assert f"alert(&#x27;{field}&#x27;)" in html or f"alert(&#39;{field}&#39;)" in html, field


def test_public_pages_escape_citizen_and_staff_text(client, hostile):
    ticket, rejected, _ = hostile
    _assert_escaped(
        client.get(reverse("complaints:ticket", args=[ticket.reference])),
        expect=("title", "description", "reply", "rating comment"),
    )
    _assert_escaped(client.get(reverse("complaints:public_list")))
    _assert_escaped(client.get(reverse("dashboards:public")))


def test_public_pages_never_show_internal_notes(client, hostile):
    ticket, _, _ = hostile
    html = client.get(reverse("complaints:ticket", args=[ticket.reference])).content.decode()
    assert "alert(&#x27;note&#x27;)" not in html and "alert(&#39;note&#39;)" not in html


def test_reporter_pages_escape_everything(client, citizen, hostile):
    ticket, rejected, _ = hostile
    client.force_login(citizen)
    _assert_escaped(
        client.get(reverse("complaints:ticket", args=[ticket.reference])),
        expect=("title", "reply", "question"),
    )
    _assert_escaped(client.get(reverse("complaints:ticket", args=[rejected.reference])), expect=("reject reason",))
    _assert_escaped(client.get(reverse("complaints:my_reports")), expect=("title",))


def test_staff_pages_escape_everything(client, staff_dlh, hostile):
    ticket, rejected, _ = hostile
    client.force_login(staff_dlh)
    _assert_escaped(
        client.get(reverse("staff:ticket", args=[ticket.reference])),
        expect=("title", "description", "address", "reply", "note", "reopen reason"),
    )
    _assert_escaped(client.get(reverse("staff:ticket", args=[rejected.reference])), expect=("reject reason",))
    _assert_escaped(client.get(reverse("staff:queue") + "?status=all"))
    _assert_escaped(client.get(reverse("dashboards:department")))


def test_planning_pages_escape_proposals(client, planner, hostile):
    _, _, proposal = hostile
    client.force_login(planner)
    _assert_escaped(client.get(reverse("planning:proposal", args=[proposal.pk])), expect=("proposal text",))
    _assert_escaped(client.get(reverse("planning:board")))
    _assert_escaped(client.get(reverse("planning:evidence")))


def test_json_endpoints_are_json_not_html(client, hostile):
    for url in (reverse("complaints:public_map"), "/api/v1/tickets/", reverse("dashboards:open_data")):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(("application/json", "application/geo+json")), url
        assert response["X-Content-Type-Options"] == "nosniff" if "X-Content-Type-Options" in response else True
