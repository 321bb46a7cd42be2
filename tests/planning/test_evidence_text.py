"""A proposal made from complaint evidence is stored in Indonesian, its numbers written the Indonesian way
("3,8 hari", never "3.8"), whatever language the planner's page was in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from complaints.models import Ticket
from planning import actions
from services.models import Area, Service
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page_language", ["id", "en"])
def test_the_median_is_written_with_a_decimal_comma(fiscal_year, planner, citizen, page_language):
    mawar = Area.objects.get(code="63.71.05.1003")
    drains = Service.objects.get(code="drainase-tersumbat")
    now = timezone.now()
    for hours in (72, 91.2, 110):  # median 91,2 hours = 3,8 days
        ticket = make_ticket(service=drains, kelurahan=mawar, reporter=citizen, status="resolved")
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=now - dt.timedelta(days=10), resolved_at=now - dt.timedelta(days=10) + dt.timedelta(hours=hours)
        )
    with translation.override(page_language):
        proposal = actions.propose_from_evidence(actor=planner, fiscal_year=fiscal_year, service=drains, area=mawar)
    assert "(median waktu penyelesaian: 3,8 hari)" in proposal.problem
    assert proposal.problem.startswith("3 laporan tentang")
