"""The dashboards' figures lead to the lists behind them, as far as the viewer may open them: department names to
the department's dashboard or plan page, activities to their pages, ticket counts to the staff queue (or, on the
public page, the public reports list) on exactly the tickets counted. Finance sees the city page, without any
ticket or name it could not see before."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Ticket
from smartcity.site_links import absolute_url

from .conftest import CONFIDENTIAL_TITLE, MAWAR, NOW, SECRET_EMAIL, SECRET_NAME, SECRET_PHONE

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}
STAFF_PAGES = ("/staf/", "/dasbor/dinas/", "/perencanaan/dinas/", "/perencanaan/kegiatan/")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def escalated(plan, dataset):
    """DLH: T11 told the head (level 1), confidential T3 the inspectorate (level 2); PUPR: P2 told the head."""
    for name, level in (("T11", 1), ("T3", 2), ("P2", 1)):
        Ticket.objects.filter(pk=dataset[name].pk).update(escalation_level=level)
    return dataset


def _page(client, user, name: str, **params):
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name), {**FILTERS, **params})
    assert response.status_code == 200
    return response


def _rows(response, key: str, by: str) -> dict:
    return {row[by]: row for row in response.context["tables"][key].rows}


def _links(response) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', response.content.decode())]


def _listed(client, url: str) -> int:
    """How many tickets the staff queue at ``url`` lists."""
    return client.get(url).context["listing"]["total"]


def _each_leads_to_its_count(client, row: dict, *columns: str) -> None:
    """Each count of ``row`` leads to the queue on that many tickets; a zero leads nowhere (nothing to list)."""
    for column in columns:
        if row[column]:
            assert _listed(client, row["links"][column]) == row[column], (row, column)
        else:
            assert column not in row.get("links", {}), (row, column)


def test_the_inspectorate_follows_each_count_of_the_city_page_to_exactly_those_tickets(
    client, inspector, escalated, frozen
):
    response = _page(client, inspector, "dashboards:city")
    departments = _rows(response, "departments", "code")
    dlh = departments["dlh"]
    assert dlh["links"]["department"] == (
        f"{reverse('dashboards:department')}?department=dlh&date_from=2026-01-01&date_to=2026-03-06&tahun=2026"
    )
    for row in departments.values():
        _each_leads_to_its_count(client, row, "total", "open", "overdue")
    kpis = _rows(response, "summary", "measure")
    assert _listed(client, kpis["tickets"]["links"]["value"]) == kpis["tickets"]["value"] == 14
    assert _listed(client, kpis["open"]["links"]["value"]) == kpis["open"]["value"]
    assert "links" not in kpis["resolution_rate"]  # a rate is no list
    for row in response.context["tables"]["kelurahan"].rows:
        _each_leads_to_its_count(client, row, "n", "open")
    for row in response.context["tables"]["kecamatan"].rows:
        _each_leads_to_its_count(client, row, "tickets")
    escalations = {
        (row["department_code"], row["level"]): row for row in response.context["tables"]["escalations"].rows
    }
    # The queue lists a level and the ones above it: DLH's level-1 count is no list of its own, PUPR's is.
    assert "n" not in escalations[("dlh", 1)]["links"]
    assert _listed(client, escalations[("dlh", 2)]["links"]["n"]) == 1
    assert _listed(client, escalations[("pupr", 1)]["links"]["n"]) == 1
    assert escalations[("dlh", 1)]["links"]["department"] == dlh["links"]["department"]
    # Drawn as links on the page, the downloads keep the figures alone.
    assert re.search(r'<td><a href="[^"]+department=dlh[^"]*">DLH</a></td>', response.content.decode())
    body = client.get(reverse("dashboards:export", args=["city", "departments", "json"]), FILTERS).json()
    assert all("links" not in row for row in body["dataset"]["rows"])


def test_the_city_pages_links_keep_its_place_and_service(client, inspector, escalated, frozen):
    from services.models import Area, Service

    response = _page(client, inspector, "dashboards:city", kelurahan=MAWAR, service="sampah-menumpuk")
    mawar, service = Area.objects.get(code=MAWAR), Service.objects.get(code="sampah-menumpuk")
    dlh = _rows(response, "departments", "code")["dlh"]
    assert f"kelurahan={mawar.pk}" in dlh["links"]["total"] and f"service={service.pk}" in dlh["links"]["total"]
    assert _listed(client, dlh["links"]["total"]) == dlh["total"] == 11  # every DLH ticket but T7, in Mantuil
    assert "kelurahan=63.71.05.1003" in dlh["links"]["department"]  # the dashboard's filters go by code


def test_planners_get_the_departments_and_the_plan_but_no_queue(client, planner, escalated, frozen):
    response = _page(client, planner, "dashboards:city")
    dlh = _rows(response, "departments", "code")["dlh"]
    assert set(dlh["links"]) == {"department"} and dlh["links"]["department"].startswith(
        "/dasbor/dinas/?department=dlh"
    )
    assert not any("/staf/" in link for link in _links(response))
    absorption = _rows(response, "absorption_department", "department_code")
    assert absorption["dlh"]["links"] == {"department": f"{reverse('planning:department', args=['dlh'])}?tahun=2026"}
    assert client.get(absorption["dlh"]["links"]["department"]).status_code == 200


def test_each_stage_count_of_the_city_page_leads_to_exactly_those_activities(client, planner, plan, frozen):
    response = _page(client, planner, "dashboards:city")
    stages = _rows(response, "plan_stages", "stage")
    assert "links" not in stages["evaluated"]  # none: a zero leads nowhere
    for stage in ("planned", "in_execution", "completed"):
        link = stages[stage]["links"]["n"]
        assert link.startswith(reverse("planning:activities")) and "tahun=2026" in link
        assert len(client.get(link).context["activities"]) == stages[stage]["n"] == 1
    # In sight, not folded away in the chart's "Show the numbers": the chart's bars are not links.
    stages_card = response.content.decode().split('id="chart-title-plan_stages"')[1].split("</section>")[0]
    assert re.search(r"<details[^>]* open>", stages_card)
    assert html.escape(stages["planned"]["links"]["n"]) in stages_card
    narrowed = _rows(_page(client, planner, "dashboards:city", department="pupr"), "plan_stages", "stage")
    assert "dinas=pupr" in narrowed["planned"]["links"]["n"]
    assert [a.code for a in client.get(narrowed["planned"]["links"]["n"]).context["activities"]] == ["A3"]


def test_finance_sees_the_city_page_and_no_ticket_or_name_it_could_not_see(client, finance, escalated, frozen):
    """Finance had no dashboard: its budget absorption per department is on the city page only."""
    response = _page(client, finance, "dashboards:city")
    page = response.content.decode()
    assert 'data-chart="absorption_department"' in page
    # The city's escalated tickets are listed from each viewer's own staff scope: finance has none.
    assert response.context["escalated_tickets"] == [] and 'id="title-escalated-list"' not in page
    payloads = [page]
    for key in response.context["tables"]:
        for fmt in ("csv", "json"):
            download = client.get(reverse("dashboards:export", args=["city", key, fmt]), FILTERS)
            assert download.status_code == 200
            payloads.append(download.content.decode())
    everything = "\n".join(payloads)
    for secret in (escalated["T3"].reference, CONFIDENTIAL_TITLE, SECRET_NAME, SECRET_EMAIL, SECRET_PHONE):
        assert secret not in everything
    # No officer's workload either: finance gets no department dashboard, and its names lead to the plan instead.
    assert client.get(reverse("dashboards:department"), {"department": "dlh"}).status_code == 403
    assert client.get(reverse("dashboards:export", args=["city", "workload", "csv"])).status_code == 404
    dlh = _rows(response, "departments", "code")["dlh"]
    assert dlh["links"] == {"department": f"{reverse('planning:department', args=['dlh'])}?tahun=2026"}
    assert not any(link.startswith(("/staf/", "/dasbor/dinas/")) for link in _links(response))
    assert all(client.get(link).status_code == 200 for link in _links(response) if link.startswith("/perencanaan/"))


def test_the_department_page_leads_to_the_queue_and_the_activities(client, head_dlh, plan, frozen):
    response = _page(client, head_dlh, "dashboards:department", department="dlh")
    kpis = _rows(response, "summary", "measure")
    for measure in ("tickets", "open", "open_now", "overdue"):
        _each_leads_to_its_count(client, kpis[measure], "value")
    for row in response.context["tables"]["kelurahan"].rows:
        _each_leads_to_its_count(client, row, "n", "open")
    for row in response.context["tables"]["top_services"].rows:
        _each_leads_to_its_count(client, row, "n")
    a1 = plan["A1"]
    activity = reverse("planning:activity", args=[a1.pk])
    activities = _rows(response, "activities", "code")
    assert activities["A1"]["links"] == {"code": activity, "activity": activity}
    assert f'<a href="{activity}">Kegiatan A1</a>' in response.content.decode()
    (milestone,) = response.context["tables"]["milestones_overdue"].rows
    (indicator,) = response.context["tables"]["indicators"].rows
    assert milestone["links"] == indicator["links"] == {"activity": activity}
    assert client.get(activity).status_code == 200


def test_a_planner_on_a_department_page_gets_the_activities_but_no_queue(client, planner, plan, frozen):
    response = _page(client, planner, "dashboards:department", department="dlh")
    assert "links" not in _rows(response, "summary", "measure")["tickets"]
    assert not any("/staf/" in link for link in _links(response))
    assert _rows(response, "activities", "code")["A1"]["links"]["activity"] == reverse(
        "planning:activity", args=[plan["A1"].pk]
    )


def test_the_public_page_leads_to_public_lists_and_pages_only(client, plan, frozen):
    response = _page(client, None, "dashboards:public")
    assert not any(link.startswith(STAFF_PAGES) for link in _links(response))
    a2 = reverse("planning:public_activity", args=[plan["A2"].pk])
    assert _rows(response, "activities", "code")["A2"]["links"] == {"code": a2, "activity": a2}
    assert _rows(response, "you_asked_we_did", "code")["A2"]["links"]["activity"] == a2
    assert client.get(a2).status_code == 200
    kpis = _rows(response, "summary", "measure")
    for row in [kpis["tickets"], kpis["open"], *response.context["tables"]["kelurahan"].rows]:
        for column, url in row["links"].items():
            assert url.startswith(reverse("complaints:public_list"))
            listed = client.get(url).context["page"].paginator.count
            assert listed == row[column], (row, column)
    # The public list has no department filter: with one chosen it would list more than counted.
    narrowed = _page(client, None, "dashboards:public", department="dlh")
    assert "links" not in _rows(narrowed, "summary", "measure")["tickets"]
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("dashboards:export", args=["public", "activities", "csv"]), FILTERS).content.decode()
            )
        )
    )
    # Figures, not the page's links; only the column before "verified" and the time holds an address: each activity's
    # public page, at the portal's public address (a file leaves the site).
    assert all("/" not in cell for row in csv_rows for cell in row[:-3] + row[-2:])
    a2_row = next(row for row in csv_rows if row[1] == "A2")
    assert a2_row[-3] == absolute_url(a2)


@pytest.mark.parametrize("name", ["planning:activity", "planning:public_activity"])
def test_an_activitys_link_reversed_once_is_the_address_reverse_gives(name):
    """The dashboards build a thousand activity links from one reverse(): each must be the page's own address."""
    from dashboards.links import page_by_id

    activity_page = page_by_id(name)
    assert [activity_page(pk) for pk in (1, 7, 987654321, 12345)] == [
        reverse(name, args=[pk]) for pk in (1, 7, 987654321, 12345)
    ]
