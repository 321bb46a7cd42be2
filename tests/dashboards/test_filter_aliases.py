"""The filters read as the staff activity list names them (a Bappeda planner's walk): ``/dasbor/dinas/?dinas=pupr``
opened BPBD's dashboard (the first department), and the public activities list under ``?dinas=pupr`` listed every
department's. And a download refuses a parameter it does not know, with 400 naming it, rather than give a wider file
(README: a refused filter answers 400 "rather than a wider list")."""

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_department_dashboard_opens_the_department_named_dinas(client, planner, plan, frozen):
    client.force_login(planner)
    page = client.get(reverse("dashboards:department"), {"dinas": "pupr"})
    assert page.status_code == 200 and page.context["department"].code == "pupr"
    assert {row["code"] for row in page.context["tables"]["activities"].rows} == {"A3"}


def test_the_city_and_public_dashboards_narrow_to_dinas(client, planner, plan, frozen):
    client.force_login(planner)
    for name in ("city", "public"):
        page = client.get(reverse(f"dashboards:{name}"), {**FILTERS, "dinas": "dlh"})
        assert page.context["form"].cleaned_data["department"].code == "dlh"
    export = reverse("dashboards:export", args=["public", "activities", "json"])
    answer = client.get(export, {**FILTERS, "dinas": "dlh"}).json()
    assert answer["filters"]["department"] == "dlh"
    assert {row["code"] for row in answer["dataset"]["rows"]} == {"A1", "A2"}


def test_the_public_activities_list_narrows_to_dinas_and_tahap(client, plan, frozen):
    url = reverse("planning:public_activities")
    answer = client.get(url, {"tahun": "2026", "dinas": "dlh", "format": "json"}).json()
    assert answer["filters"]["department"] == "dlh"
    assert {row["code"] for row in answer["dataset"]["rows"]} == {"A1", "A2"}
    answer = client.get(url, {"tahun": "2026", "dinas": "dlh", "tahap": "completed", "format": "json"}).json()
    assert answer["filters"]["stage"] == "completed"
    assert [row["code"] for row in answer["dataset"]["rows"]] == ["A2"]
    page = client.get(url, {"tahun": "2026", "dinas": "pupr"})
    assert [activity.code for activity, _row in page.context["rows"]] == ["A3"]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_dashboard_download_refuses_a_parameter_it_does_not_know(client, plan, frozen, fmt):
    url = reverse("dashboards:export", args=["public", "activities", fmt])
    # "tahap": the dashboards have no stage filter; "departement": mistyped.
    for name in ("tahap", "departement"):
        answer = client.get(url, {**FILTERS, name: "pupr"}, HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 400
        text = answer.content.decode()
        assert f"refused, so nothing was computed: {name}." in (answer.json()["detail"] if fmt == "json" else text)


def test_the_open_data_catalogue_and_the_public_list_refuse_it_too(client, plan, frozen):
    catalogue = client.get(reverse("dashboards:open_data"), {"departement": "pupr"}, HTTP_ACCEPT_LANGUAGE="en")
    assert catalogue.status_code == 400 and "departement" in catalogue.json()["errors"]
    url = reverse("planning:public_activities")
    for fmt in ("csv", "json"):
        answer = client.get(url, {"tahun": "2026", "departement": "pupr", "format": fmt}, HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 400 and "departement" in answer.content.decode()
    # The page itself lists, as before: a parameter it does not know (a campaign's tag) leaves it as it is.
    assert client.get(url, {"tahun": "2026", "utm_source": "x"}).status_code == 200
