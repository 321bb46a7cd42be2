"""Inspektorat/BPKAD year-end walk: the public page of an activity of a confidential service (ODGJ outreach) read
"Reports per month 0.0 (n = 0)" where the staff page counted 0.7 (n = 8). Confidential reports stay out of every
public figure, even as a count (the public dashboard's rule, c532c6d: one in a small kelurahan moved the public rate);
the public page now says so, naming the services whose reports are confidential unless the citizen chooses
otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from complaints.models import Privacy
from planning import actions, queries
from services.models import Area, Department, Service
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def outreach(fiscal_year, planner, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC))
    area = Area.objects.get(code="63.71.05.1003")
    for day in range(1, 9):
        make_ticket(
            service="odgj-terlantar",
            kelurahan=area,
            privacy=Privacy.CONFIDENTIAL,
            title="Orang terlantar di pasar",
            created_at=dt.datetime(2025, 4, day, 2, tzinfo=dt.UTC),
        )
    return actions.create_activity(
        actor=planner,
        fiscal_year=fiscal_year,
        code="1.06.04.2.01.0022",
        name="Penjangkauan ODGJ dan orang terlantar",
        department=Department.objects.get(code="dinsos"),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 10, 31),
        kelurahans=[area],
        services=[Service.objects.get(code="odgj-terlantar")],
    )


def test_the_public_page_says_confidential_reports_are_not_counted(client, outreach):
    assert queries.service_indicators(outreach)["before"]["count"] == 8  # the staff figures count them
    assert queries.service_indicators(outreach, public=True)["before"]["count"] == 0
    page = client.get(reverse("planning:public_activity", args=[outreach.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    note = html[html.index('id="confidential-not-counted"') :].split("</p>")[0]
    assert "Reports about Homeless or neglected person are confidential unless the citizen chooses otherwise" in note
    assert "not counted in these public figures" in note
    assert "Orang terlantar di pasar" not in html


def test_an_activity_of_public_services_says_it_in_one_line(client, budgeted_activity):
    html = client.get(
        reverse("planning:public_activity", args=[budgeted_activity.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    note = html[html.index('id="confidential-not-counted"') :].split("</p>")[0]
    assert note.endswith("Confidential reports are not counted in these public figures.")


def test_the_staff_page_has_no_such_line(client, budgeted_activity, planner):
    client.force_login(planner)
    html = client.get(reverse("planning:activity", args=[budgeted_activity.pk])).content.decode()
    assert "confidential-not-counted" not in html
