"""New proposals go into the fiscal year the planning cycle says (next year's, or the one whose Musrenbang runs),
never silently into the year ending or over: when that year is not set up yet, the page says so and who sets it up;
a year whose execution has ended takes no proposal, and a proposal filed into one is accepted into another."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from planning import actions, queries
from planning.models import Activity, Proposal
from services.models import Area, Department
from tests.factories import make_ticket
from tests.planning.conftest import bridge_proposal, recommend_at_every_level

pytestmark = pytest.mark.django_db

DEC_7_2026 = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
JAN_1_2027 = dt.datetime(2027, 1, 1, 2, 0, tzinfo=dt.UTC)


def proposal_data(**extra) -> dict:
    return {
        "source": "musrenbang_kelurahan",
        "title": "Normalisasi saluran",
        "problem": "Saluran tersumbat.",
        "area": Area.objects.get(code="63.71.05.1003").pk,
        "department": Department.objects.get(code="pupr").pk,
        "estimated_cost": "150.000.000",
        **extra,
    }


def english(client, url, data=None, **params):
    with translation.override("en"):
        if data is not None:
            return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(("moment", "year"), [(DEC_7_2026, 2027), (JAN_1_2027, 2028)])
def test_without_next_year_set_up_the_new_proposal_page_says_so_and_files_nothing(
    client, fiscal_year, planner, time_machine, moment, year
):
    time_machine.move_to(moment)
    assert queries.proposal_year() == year and queries.proposal_fiscal_year() is None
    client.force_login(planner)
    page = english(client, reverse("planning:proposal_new"))
    assert page.status_code == 200
    html = page.content.decode()
    notice = html[html.index('id="proposal-year-notice"') :].split("</div>")[0]
    assert f"New proposals are for fiscal year {year}, which has not been set up yet" in notice
    assert "An administrator adds it" in notice
    assert 'id="form-main"' not in html and "For fiscal year 2026" not in html
    # The planning menu leads there too, from the board of the year being executed or just over, chosen or not.
    for board in (english(client, reverse("planning:board")), english(client, reverse("planning:board"), tahun=2026)):
        html = board.content.decode()
        assert f'href="{reverse("planning:proposal_new")}?tahun={year}"' in html
        assert f'href="{reverse("planning:evidence")}?tahun={year}"' in html

    response = english(client, reverse("planning:proposal_new"), proposal_data())
    assert response.status_code == 400 and not Proposal.objects.exists()


def test_the_evidence_page_says_it_too_and_offers_no_proposal_into_another_year(
    client, fiscal_year, planner, citizen, time_machine
):
    time_machine.move_to(DEC_7_2026)
    for _ in range(2):
        make_ticket(service="drainase-tersumbat", kelurahan="63.71.05.1003", reporter=citizen)
    client.force_login(planner)
    html = english(client, reverse("planning:evidence")).content.decode()
    assert "New proposals are for fiscal year 2027, which has not been set up yet" in html
    assert reverse("planning:propose_from_evidence") not in html
    cluster = english(client, reverse("planning:evidence")).context["clusters"][0]
    response = client.post(
        reverse("planning:propose_from_evidence"), {"service": cluster["service"].pk, "area": cluster["area"].pk}
    )
    assert response.status_code == 302 and not Proposal.objects.exists()


def test_once_next_year_is_set_up_december_proposals_go_into_it(
    client, fiscal_year, fiscal_year_2027, planner, time_machine
):
    time_machine.move_to(DEC_7_2026)
    client.force_login(planner)
    page = english(client, reverse("planning:proposal_new"))
    assert page.context["proposal_year"] == fiscal_year_2027
    assert "For fiscal year 2027." in page.content.decode()
    response = client.post(reverse("planning:proposal_new"), proposal_data(tahun=2027))
    assert response.status_code == 302
    assert Proposal.objects.get().fiscal_year == fiscal_year_2027


def test_a_year_that_is_over_takes_no_proposal(client, fiscal_year, fiscal_year_2027, planner, time_machine):
    time_machine.move_to(JAN_1_2027)
    client.force_login(planner)
    page = english(client, reverse("planning:proposal_new"), tahun=2026)
    assert "Fiscal year 2026 is over (its execution ended on" in page.content.decode()
    assert page.context["proposal_year"] is None
    refused = english(client, reverse("planning:proposal_new"), proposal_data(tahun=2026))
    assert refused.status_code == 400 and not Proposal.objects.exists()
    with pytest.raises(ValidationError, match="Fiscal year 2026 is over"), translation.override("en"):
        bridge_proposal(fiscal_year, planner)


def test_the_rest_api_refuses_a_proposal_into_a_year_that_is_over(fiscal_year, planner, time_machine):
    from rest_framework.test import APIClient

    time_machine.move_to(JAN_1_2027)
    api = APIClient()
    api.force_authenticate(planner)
    payload = {
        "fiscal_year": 2026,
        "source": "department",
        "title": "Normalisasi drainase",
        "problem": "Genangan setiap hujan.",
        "area": "63.71.05.1003",
        "department": "pupr",
        "estimated_cost": "250000000.00",
    }
    response = api.post("/api/v1/planning/proposals/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and not Proposal.objects.exists()
    assert "Fiscal year 2026 is over" in response.content.decode()


def test_a_proposal_filed_into_a_year_now_over_is_accepted_into_an_open_one(
    client, fiscal_year, fiscal_year_2027, planner, head_pupr, time_machine
):
    time_machine.move_to(DEC_7_2026)
    proposal = recommend_at_every_level(bridge_proposal(fiscal_year, planner), planner=planner, head=head_pupr)
    time_machine.move_to(JAN_1_2027)
    client.force_login(planner)
    page = english(client, reverse("planning:proposal", args=[proposal.pk]))
    assert "Fiscal year 2026 is over" in page.content.decode()
    form = page.context["accept_form"]
    assert form.initial["fiscal_year"] == 2027 and form.initial["start_date"] == dt.date(2027, 1, 1)
    assert [year.year for year in form.fields["fiscal_year"].queryset] == [2027]
    with pytest.raises(ValidationError, match="Fiscal year 2026 is over"), translation.override("en"):
        actions.accept_proposal(
            actor=planner,
            proposal=proposal,
            code="1.03.10.2.01.0001",
            start_date=dt.date(2026, 3, 1),
            end_date=dt.date(2026, 10, 31),
        )
    response = client.post(
        reverse("planning:proposal_accept", args=[proposal.pk]),
        {"fiscal_year": 2027, "code": "1.03.10.2.01.0001", "start_date": "2027-03-01", "end_date": "2027-10-31"},
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    proposal.refresh_from_db()
    assert activity.fiscal_year == fiscal_year_2027 == proposal.fiscal_year
    assert proposal.activity == activity
