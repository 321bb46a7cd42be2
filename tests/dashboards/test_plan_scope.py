"""The plan's tables follow the plan's year and the department chosen, not the dates, place or service (an open-data
analyst's walk: activities.csv?kecamatan=… held every activity of the city under a file name and "filters" naming
the kecamatan, with nothing saying so). The page and the files now say so, and the files name only what applies."""

import html
import re

import pytest
import time_machine
from django.urls import reverse

from .conftest import MAWAR, NOW

pytestmark = pytest.mark.django_db

NARROWED = {"date_from": "2026-01-01", "date_to": "2026-03-06", "kecamatan": "63.71.05", "service": "sampah-menumpuk"}
NOTE = "the dates, kecamatan, kelurahan and service chosen do not apply to them"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _export(client, key, fmt, params):
    url = reverse("dashboards:export", args=["public", key, fmt])
    return client.get(url, {**params, "tahun": "2026"}, HTTP_ACCEPT_LANGUAGE="en")


def _file_name(response) -> str:
    return re.fullmatch(r'attachment; filename="(.+)"', response["Content-Disposition"]).group(1)


@pytest.mark.parametrize("key", ["activities", "programmes", "you_asked_we_did"])
def test_a_plan_file_names_and_carries_only_the_filters_it_follows(client, plan, frozen, key):
    narrowed = _export(client, key, "json", NARROWED)
    whole = _export(client, key, "json", {})
    assert narrowed.json()["dataset"]["rows"] == whole.json()["dataset"]["rows"]  # the place does not narrow it
    assert narrowed.json()["filters"] == {"tahun": "2026"}
    assert NOTE in narrowed.json()["dataset"]["note"]
    assert _file_name(narrowed) == f"public-{key}-tahun-2026-2026-03-06-1200-WITA.json"
    assert _file_name(_export(client, key, "csv", NARROWED)) == f"public-{key}-tahun-2026-2026-03-06-1200-WITA.csv"
    # The department chosen does narrow the plan: it stays.
    by_department = _export(client, key, "json", {**NARROWED, "department": "dlh"})
    assert by_department.json()["filters"] == {"tahun": "2026", "department": "dlh"}
    assert _file_name(by_department) == f"public-{key}-department-dlh-tahun-2026-2026-03-06-1200-WITA.json"


def test_a_ticket_file_still_names_every_filter(client, plan, frozen):
    name = _file_name(_export(client, "weekly", "csv", {**NARROWED, "kelurahan": MAWAR}))
    filters = f"kecamatan-63.71.05-kelurahan-{MAWAR}-service-sampah-menumpuk"
    assert name == f"public-weekly-2026-01-01_2026-03-06-{filters}-tahun-2026-2026-03-06-1200-WITA.csv"


def test_the_page_says_the_plan_is_not_narrowed_by_place_and_links_its_files_so(client, plan, frozen):
    page = client.get(reverse("dashboards:public"), NARROWED, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    said = page.split('id="plan-scope">', 1)[1].split("</p>", 1)[0]
    assert NOTE in said
    links = [html.unescape(href) for href in re.findall(r'href="(/dasbor/public/data/[^"]+)"', page)]
    plan_links = [link for link in links if re.search(r"/(activities|programmes|you_asked_we_did)\.", link)]
    assert plan_links and all(re.search(r"\?tahun=2026&snapshot=[\d-]+$", link) for link in plan_links)
    weekly = [link for link in links if "/weekly." in link]
    assert weekly and all("kecamatan=63.71.05" in link and "service=sampah-menumpuk" in link for link in weekly)
