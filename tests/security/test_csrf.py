"""CSRF: every POST form (and htmx hx-post button) the portal renders refuses a request without the token."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


class PostTargets(HTMLParser):
    """Collects the targets of <form method=post> and of hx-post attributes."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.targets: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.targets.add(urljoin(self.page_url, attrs.get("action") or self.page_url))
        if attrs.get("hx-post") is not None:
            self.targets.add(urljoin(self.page_url, attrs.get("hx-post") or self.page_url))


def _pages(ticket, resolved, proposal, activity) -> dict[str, list[str]]:
    return {
        "anonymous": [
            "/",
            reverse("complaints:file"),
            reverse("complaints:public_list"),
            reverse("complaints:ticket", args=[ticket.reference]),
            reverse("account_login"),
            reverse("account_signup"),
            reverse("account_reset_password"),
        ],
        "citizen": [
            reverse("complaints:file"),
            reverse("complaints:my_reports"),
            reverse("complaints:ticket", args=[ticket.reference]),
            reverse("complaints:ticket", args=[resolved.reference]),
            reverse("account_logout"),
            reverse("account_email"),
            reverse("account_change_password"),
        ],
        "staff": [
            reverse("staff:queue"),
            reverse("staff:ticket", args=[ticket.reference]),
            reverse("complaints:file"),
            reverse("dashboards:department"),
        ],
        "head": [reverse("staff:ticket", args=[resolved.reference]), reverse("staff:queue")],
        "planner": [
            reverse("planning:board"),
            reverse("planning:evidence"),
            reverse("planning:proposal_new"),
            reverse("planning:proposal", args=[proposal.pk]),
            reverse("planning:activity", args=[activity.pk]),
            reverse("planning:import"),
            reverse("planning:department", args=["pupr"]),
        ],
        "finance": [reverse("planning:activity", args=[activity.pk])],
        "head_pupr": [reverse("planning:activity", args=[activity.pk]), reverse("planning:department", args=["pupr"])],
    }


@pytest.fixture
def world(citizen, staff_dlh, head_dlh, planner, finance, head_pupr, planned_activity):
    from planning import actions as planning_actions
    from services.models import Area, Department

    ticket = make_ticket(reporter=citizen, title="Sampah")
    resolved = make_ticket(reporter=citizen, title="Selesai", status="resolved")
    proposal = planning_actions.submit_proposal(
        actor=planner,
        fiscal_year=planned_activity.fiscal_year,
        source="department",
        title="Drainase",
        problem="Banjir tiap hujan.",
        area=Area.objects.get(code="63.71.05.1003"),
        department=Department.objects.get(code="pupr"),
        estimated_cost="1000000",
    )
    users = {
        "anonymous": None,
        "citizen": citizen,
        "staff": staff_dlh,
        "head": head_dlh,
        "planner": planner,
        "finance": finance,
        "head_pupr": head_pupr,
    }
    return users, _pages(ticket, resolved, proposal, planned_activity)


def test_every_post_form_rejects_a_request_without_token(world):
    users, pages = world
    checked = 0
    for role, urls in pages.items():
        client = Client(enforce_csrf_checks=True)
        if users[role] is not None:
            client.force_login(users[role])
        targets = set()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            parser = PostTargets("http://testserver" + url)
            parser.feed(response.content.decode())
            targets |= parser.targets
        for target in sorted(targets):
            parsed = urlparse(target)
            if parsed.netloc not in ("", "testserver"):
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            response = client.post(path, {"title": "x", "message": "x", "reason": "x"})
            assert response.status_code == 403, (role, path, response.status_code)
            checked += 1
    # The pages above hold many forms; finding few would mean the check looked at nothing.
    assert checked >= 20, checked


def test_session_authenticated_api_writes_need_the_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(
        "/api/v1/tickets/",
        {"service": "sampah-menumpuk", "title": "Sampah", "description": "Menumpuk.", "lat": -3.319, "lng": 114.592},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_request_with_the_token_is_accepted(citizen):
    """The other side of the check: the same client with the token gets through (so 403 above meant CSRF)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    client.get(reverse("complaints:file"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
