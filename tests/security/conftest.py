"""Fixtures for the security suite: reuse the other suites' fixtures (roles, fiscal year), never redefine them."""

from __future__ import annotations

import pytest

from tests.conftest import make_city_role
from tests.planning.conftest import fiscal_year, head_pupr, planned_activity  # noqa: F401

# django_db_setup seeds the city once per session (hundreds of matrix tests).
from tests.staff.conftest import as_role, django_db_setup, dlh_member  # noqa: F401

# A payload that breaks out of text, attributes and script contexts alike.
XSS = "<script>alert('xss')</script>\"><img src=x onerror=alert(1)>"
XSS_MARKERS = ("<script>alert('xss')</script>", "<img src=x onerror=alert(1)>")


@pytest.fixture
def council(city):
    """A member of the city council (DPRD): reads the dashboards and the plan, changes nothing."""
    return make_city_role("anggota@dprd-banjarmasinkota.go.id", "council", full_name="Anggota Dewan")


@pytest.fixture
def roles(citizen, staff_dlh, head_dlh, inspector, planner, finance, administrator, council):
    return {
        "anonymous": None,
        "citizen": citizen,
        "staff": staff_dlh,
        "head": head_dlh,
        "inspector": inspector,
        "planner": planner,
        "finance": finance,
        "administrator": administrator,
        "council": council,
    }
