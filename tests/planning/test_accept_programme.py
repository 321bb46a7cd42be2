"""An activity accepted from a proposal is filed under its programme: the acceptance form offers the programmes of
the proposal's department in that year, takes the one whose code starts the activity code when none is chosen, and
the activity page lets a planner file an activity without one until it is evaluated (it stayed under "Other" on the
public dashboard, without a programme code in the open data)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from planning.models import Programme
from services.models import Department
from tests.planning.conftest import bridge_proposal, recommend_at_every_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes(fiscal_year):
    pupr, dinkes = Department.objects.get(code="pupr"), Department.objects.exclude(code="pupr").first()
    return {
        "water": Programme.objects.create(
            fiscal_year=fiscal_year, code="1.03.02", name="Pengelolaan Sumber Daya Air", department=pupr
        ),
        "roads": Programme.objects.create(fiscal_year=fiscal_year, code="1.03.10", name="Jalan", department=pupr),
        "other": Programme.objects.create(fiscal_year=fiscal_year, code="1.02.02", name="Kesehatan", department=dinkes),
    }


@pytest.fixture
def to_accept(fiscal_year, planner, head_pupr):
    return recommend_at_every_level(bridge_proposal(fiscal_year, planner), planner=planner, head=head_pupr)


def _accept(client, proposal, **fields):
    data = {"fiscal_year": 2026, "code": "", "name": "", "start_date": "2026-03-02", "end_date": "2026-10-30"}
    return client.post(
        reverse("planning:proposal_accept", args=[proposal.pk]), {**data, **fields}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_acceptance_form_offers_the_departments_programmes_of_the_year(client, to_accept, planner, programmes):
    client.force_login(planner)
    html = client.get(reverse("planning:proposal", args=[to_accept.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    select = html.split('name="programme"')[1].split("</select>")[0]
    assert "1.03.02 Pengelolaan Sumber Daya Air" in select and "1.03.10 Jalan" in select
    assert "Kesehatan" not in select  # another department's


def test_a_chosen_programme_files_the_activity(client, to_accept, planner, programmes):
    client.force_login(planner)
    response = _accept(client, to_accept, code="9.99.01", programme=programmes["roads"].pk)
    assert response.status_code == 302
    to_accept.refresh_from_db()
    assert to_accept.activity.programme == programmes["roads"]


def test_left_empty_the_programme_is_the_one_whose_code_starts_the_activity_code(
    client, to_accept, planner, programmes
):
    client.force_login(planner)
    assert _accept(client, to_accept, code="1.03.02.2.01.0099").status_code == 302
    to_accept.refresh_from_db()
    assert to_accept.activity.programme == programmes["water"]


def test_a_refused_acceptance_keeps_the_programme_and_preselects_it_from_the_code(
    client, to_accept, planner, programmes
):
    client.force_login(planner)
    chosen = _accept(client, to_accept, code="9.99.01", programme=programmes["roads"].pk, end_date="")
    assert chosen.status_code == 400
    assert f'<option value="{programmes["roads"].pk}" selected>' in chosen.content.decode()
    from_code = _accept(client, to_accept, code="1.03.02.2.01.0099", end_date="")
    assert from_code.status_code == 400
    assert f'<option value="{programmes["water"].pk}" selected>' in from_code.content.decode()


def test_another_departments_programme_is_refused_by_name(client, to_accept, planner, programmes):
    client.force_login(planner)
    response = _accept(client, to_accept, code="1.02.02.2.01.0001", programme=programmes["other"].pk)
    assert response.status_code == 400
    assert response.context["accept_form"]["programme"].errors
    to_accept.refresh_from_db()
    assert to_accept.activity is None


def test_a_planner_files_an_activity_without_a_programme_on_its_page(
    client, planned_activity, planner, head_pupr, programmes
):
    page = reverse("planning:activity", args=[planned_activity.pk])
    client.force_login(head_pupr)
    assert 'id="programme"' not in client.get(page).content.decode()  # planners file activities
    client.force_login(planner)
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="programme"' in html and "File under a programme" in html
    url = reverse("planning:activity_action", args=[planned_activity.pk, "programme"])
    refused = client.post(url, {"programme-programme": programmes["other"].pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert client.post(url, {"programme-programme": programmes["water"].pk}).status_code == 302
    planned_activity.refresh_from_db()
    assert planned_activity.programme == programmes["water"]
    assert 'id="programme"' not in client.get(page).content.decode()  # it has one now
