"""The council (DPRD) role is a city role like the others: ``seed_city`` creates its group, the demo has an account
for it, and it opens the plan and the staff menu without working with citizens' data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from accounts.models import User
from accounts.roles import CITY_ROLES, COUNCIL, roles_of, sees_citizens
from tests.conftest import make_city_role

pytestmark = pytest.mark.django_db


def test_seed_city_creates_the_council_group_without_permissions(city):
    group = Group.objects.get(name=COUNCIL)
    assert not group.permissions.exists()  # no way into the administration
    with translation.override("en"):
        assert str(CITY_ROLES[COUNCIL]) == "Council member (DPRD)"


def test_a_council_member_reads_the_plan_but_is_not_shown_who_citizens_are(city):
    member = make_city_role("anggota@dprd-banjarmasinkota.go.id", COUNCIL)
    assert roles_of(member) == {COUNCIL}
    assert not sees_citizens(member)
    assert sees_citizens(make_city_role("perencana@banjarmasinkota.go.id", "planner"))


def test_the_demo_has_a_council_member(city):
    from services.demo import seed_demo_users

    seed_demo_users()
    member = User.objects.get(email="dprd@demo.banjarmasin.id")
    assert roles_of(member) == {COUNCIL}
    assert not member.is_staff and not member.is_superuser
