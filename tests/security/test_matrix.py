"""Role × page matrix for the pages beyond the staff queue: planning, dashboards, citizen pages and the API.

The staff queue, ticket page, export and every ticket action are in ``tests/staff/matrix.py``
(run by tests/staff/test_permissions.py); this extends the same outcomes to the rest of the portal.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_ticket
from tests.staff.matrix import ALLOWED, FORBIDDEN, MATRIX

pytestmark = pytest.mark.django_db

LOGIN = "login"  # anonymous visitors are sent to the login page
ROLES = ("anonymous", "citizen", "staff", "head", "inspector", "planner", "finance", "administrator", "council")
A, F, L = ALLOWED, FORBIDDEN, LOGIN
# The council (DPRD) reads what city staff read of the plan; tests/security/test_council.py: it changes nothing.
CITY_STAFF = {"staff": A, "head": A, "inspector": A, "planner": A, "finance": A, "administrator": A, "council": A}

# page name → URL builder (given the fixtures), then expected outcome per role.
PAGES = {
    # Planning is for city staff: citizens are refused, visitors asked to log in.
    "planning board": ("planning:board", {"anonymous": L, "citizen": F, **CITY_STAFF}),
    "planning evidence": ("planning:evidence", {"anonymous": L, "citizen": F, **CITY_STAFF}),
    # Proposals are entered by planners and department staff, for their own departments.
    "new proposal": (
        "planning:proposal_new",
        {"anonymous": L, "citizen": F, **CITY_STAFF, "inspector": F, "finance": F, "administrator": F, "council": F},
    ),
    "planning import": ("planning:import", {"anonymous": L, "citizen": F, **CITY_STAFF}),
    "planning department": ("planning:department", {"anonymous": L, "citizen": F, **CITY_STAFF}),
    "activity page": ("planning:activity", {"anonymous": L, "citizen": F, **CITY_STAFF}),
    # Dashboards: the public one for everybody; the department one for those who work or oversee
    # tickets, and the council; the city one (aggregates only) for inspectors, planners, finance, administrators
    # and the council.
    "public dashboard": ("dashboards:public", {role: A for role in ROLES}),
    "open data": ("dashboards:open_data", {role: A for role in ROLES}),
    "department dashboard": (
        "dashboards:department",
        {
            "anonymous": L,
            "citizen": F,
            "staff": A,
            "head": A,
            "inspector": A,
            "planner": A,
            "finance": F,
            "administrator": A,
            "council": A,
        },
    ),
    "city dashboard": (
        "dashboards:city",
        {
            "anonymous": L,
            "citizen": F,
            "staff": F,
            "head": F,
            "inspector": A,
            "planner": A,
            "finance": A,
            "administrator": A,
            "council": A,
        },
    ),
    # Citizen pages.
    "my reports": ("complaints:my_reports", {"anonymous": L, **{r: A for r in ROLES if r != "anonymous"}}),
    "filing form": ("complaints:file", {role: A for role in ROLES}),
    "public list": ("complaints:public_list", {role: A for role in ROLES}),
    # Read-only API lists are public (they show public tickets only).
    "API tickets": ("/api/v1/tickets/", {role: A for role in ROLES}),
    "API events": ("/api/v1/events/", {role: A for role in ROLES}),
    # The staff queue, for comparison with tests/staff/matrix.py.
    "staff queue": (
        "staff:queue",
        {
            "anonymous": L,
            "citizen": F,
            "staff": A,
            "head": A,
            "inspector": A,
            "planner": F,
            "finance": F,
            "administrator": A,
            "council": F,
        },
    ),
}
CASES = [(page, role, expected) for page, (_, row) in PAGES.items() for role, expected in row.items()]


def test_every_role_has_an_expectation():
    for page, (_, row) in PAGES.items():
        assert set(row) == set(ROLES), page


def test_staff_matrix_agrees_on_the_queue():
    """The row above and the staff matrix say the same about the queue for the roles both know."""
    assert MATRIX["citizen"]["public"]["queue"] == PAGES["staff queue"][1]["citizen"]
    assert MATRIX["staff_a"]["public"]["queue"] == PAGES["staff queue"][1]["staff"]
    assert MATRIX["inspector"]["public"]["queue"] == PAGES["staff queue"][1]["inspector"]


def _url(name: str, activity) -> str:
    if name.startswith("/"):
        return name
    if name == "planning:department":
        return reverse(name, args=["dlh"])
    if name == "planning:activity":
        return reverse(name, args=[activity.pk])
    return reverse(name)


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_page_access(page, role, expected, client, roles, planned_activity):
    make_ticket(title="Jalan rusak")
    user = roles[role]
    if user is not None:
        client.force_login(user)
    response = client.get(_url(PAGES[page][0], planned_activity))
    if expected == ALLOWED:
        assert response.status_code == 200
    elif expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected


API_WRITES = [
    # (role, expected status for filing through the API)
    ("anonymous", (401, 403)),
    ("citizen", (201,)),
]


@pytest.mark.parametrize(("role", "expected"), API_WRITES)
def test_api_filing_needs_an_account(role, expected, client, roles):
    user = roles[role]
    if user is not None:
        client.force_login(user)
    response = client.post(
        "/api/v1/tickets/",
        {"service": "sampah-menumpuk", "title": "Sampah", "description": "Menumpuk.", "lat": -3.319, "lng": 114.592},
        content_type="application/json",
    )
    assert response.status_code in expected


def test_api_staff_only_fields_are_not_writable_by_citizens(client, citizen):
    client.force_login(citizen)
    ticket = make_ticket(reporter=citizen)
    response = client.patch(
        f"/api/v1/tickets/{ticket.reference}/", {"status": "closed"}, content_type="application/json"
    )
    assert response.status_code in (403, 404, 405)
    ticket.refresh_from_db()
    assert ticket.status == "routed"
