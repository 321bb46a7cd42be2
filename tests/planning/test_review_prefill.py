"""Each review level is offered the amount the level before it recommended, not the original estimate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from planning import actions
from tests.planning.conftest import bridge_proposal

pytestmark = pytest.mark.django_db


def test_the_department_head_is_offered_the_kecamatans_amount(client, fiscal_year, planner, head_pupr):
    proposal = bridge_proposal(fiscal_year, planner, estimated_cost=1_200_000_000)
    client.force_login(planner)
    first = client.get(reverse("planning:proposal", args=[proposal.pk]))
    assert first.context["review_form"]["amount"].value() == Decimal("1200000000.00")
    for level, amount in (("kelurahan", 1_000_000_000), ("kecamatan", 900_000_000)):
        actions.review_proposal(actor=planner, proposal=proposal, level=level, decision="recommend", amount=amount)
    client.force_login(head_pupr)
    page = client.get(reverse("planning:proposal", args=[proposal.pk]))
    assert page.context["review_form"]["amount"].value() == Decimal("900000000.00")
    assert 'value="900.000.000"' in page.content.decode()
