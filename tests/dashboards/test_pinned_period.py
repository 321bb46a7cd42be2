"""A figure can be cited: every download link on the page and in the catalogue pins the period it holds (the dates
counted and the plan's year), and the JSON names it, even when nobody typed it. The links pinned only ?tahun=2026,
so they were a rolling window; the JSON's "filters" left the period out unless typed; the catalogue's addresses
had no year while its titles said "…, 2026"."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": ["2025-09-06"], "date_to": ["2026-03-06"], "tahun": ["2026"]}  # the defaults on NOW
PLAN_KEYS = {"programmes", "activities", "you_asked_we_did"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _key(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[1].split(".", 1)[0]


def _query(url: str) -> dict:
    """The filters a link carries (not the page's snapshot: tests/dashboards/test_download_snapshot.py)."""
    query = parse_qs(urlsplit(url).query)
    query.pop("snapshot", None)
    return query


def _download_links(page) -> list[str]:
    found = re.findall(r'href="(/dasbor/\w+/data/[^"]+)"', page.content.decode())
    return [html.unescape(href) for href in found]


def test_the_pages_download_links_pin_the_period_shown(client, plan, frozen):
    links = _download_links(client.get(reverse("dashboards:public")))
    assert {_key(link) for link in links} >= {"summary", "weekly", "map", *PLAN_KEYS}
    for link in links:
        expected = {"tahun": ["2026"]} if _key(link) in PLAN_KEYS else PERIOD
        assert _query(link) == expected, link


def test_the_json_names_the_period_even_when_not_typed(client, plan, frozen):
    answer = client.get(reverse("dashboards:export", args=["public", "summary", "json"]))
    assert answer.json()["filters"] == {key: value for key, [value] in PERIOD.items()}
    plan_file = client.get(reverse("dashboards:export", args=["public", "activities", "json"]))
    assert plan_file.json()["filters"] == {"tahun": "2026"}


def test_the_catalogue_pins_the_period_its_titles_name(client, plan, frozen):
    catalogue = client.get(reverse("dashboards:open_data")).json()
    assert catalogue["filters"] == {key: value for key, [value] in PERIOD.items()}
    for dataset in catalogue["datasets"]:
        for fmt in ("csv", "json"):
            expected = {"tahun": ["2026"]} if dataset["key"] in PLAN_KEYS else PERIOD
            assert _query(dataset[fmt]) == expected, dataset
    # Asked with the page's filters (its link does so), the catalogue's addresses carry them too.
    page = client.get(reverse("dashboards:public"), {"kecamatan": "63.71.05"}).content.decode()
    link = html.unescape(re.search(r'href="(/dasbor/publik/data\.json[^"]*)"', page).group(1))
    weekly = next(d for d in client.get(link).json()["datasets"] if d["key"] == "weekly")
    assert _query(weekly["csv"]) == {**PERIOD, "kecamatan": ["63.71.05"]}


def test_a_department_pages_links_name_its_department(client, staff_dlh, plan, frozen):
    client.force_login(staff_dlh)
    links = _download_links(client.get(reverse("dashboards:department")))
    assert links and all(_query(link)["department"] == ["dlh"] for link in links)
    assert all(_query(link)["tahun"] == ["2026"] for link in links)
