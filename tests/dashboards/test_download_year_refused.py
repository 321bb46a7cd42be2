"""A download refuses a fiscal year without a plan, as it refuses every other filter it cannot apply (a researcher's
walk: ``activities.csv?tahun=2025``, the demo having no 2025 plan, answered 200 with 2026's activities; only the
file's name and the JSON's "filters" said 2026, and the CSV's rows carry no year). The page still shows the default
year and says so."""

import pytest
import time_machine
from django.urls import reverse

from .test_fiscal_year import TODAY

pytestmark = pytest.mark.django_db

REFUSED_2025 = "There is no plan for fiscal year “2025”; the years with one: 2026."


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _export(client, key: str, fmt: str, **params):
    return client.get(reverse("dashboards:export", args=["public", key, fmt]), params, HTTP_ACCEPT_LANGUAGE="en")


def test_a_json_file_of_a_year_without_a_plan_answers_400_naming_the_years_there_are(client, plan, frozen):
    answer = _export(client, "activities", "json", tahun="2025")
    assert answer.status_code == 400
    assert answer.json() == {
        "detail": "These filters were refused, so nothing was computed: tahun.",
        "errors": {"tahun": [REFUSED_2025]},
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_csv_or_xlsx_of_a_year_without_a_plan_is_refused_in_plain_text(client, plan, frozen, fmt):
    answer = _export(client, "activities", fmt, tahun="2025")
    assert answer.status_code == 400 and answer["Content-Type"].startswith("text/plain")
    assert f"tahun: {REFUSED_2025}" in answer.content.decode()
    assert "Content-Disposition" not in answer  # nothing to save as a file


@pytest.mark.parametrize("asked", ["abc", "2025-"])
def test_a_year_that_is_no_year_is_refused_too(client, plan, frozen, asked):
    answer = _export(client, "programmes", "json", tahun=asked)
    assert answer.status_code == 400 and list(answer.json()["errors"]) == ["tahun"]


def test_the_year_is_refused_beside_the_other_refused_filters_and_by_every_file_and_the_catalogue(client, plan, frozen):
    both = _export(client, "weekly", "json", tahun="2025", kecamatan="zzz").json()
    assert sorted(both["errors"]) == ["kecamatan", "tahun"]
    # A ticket figure's file too: the year is a filter of the address, refused wherever it is asked for.
    assert _export(client, "weekly", "csv", tahun="2025").status_code == 400
    assert client.get(reverse("dashboards:open_data"), {"tahun": "2025"}).status_code == 400
    assert _export(client, "activities", "csv", tahun="2026").status_code == 200
    assert _export(client, "activities", "csv").status_code == 200  # no year asked: the default one, named


def test_the_page_keeps_showing_the_default_year_and_its_links_download(client, plan, frozen):
    page = client.get(reverse("dashboards:public"), {"tahun": "2025"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Fiscal year “2025” is not available; showing 2026." in page.content.decode()
    link = page.context["downloads"]["activities"]["csv"]
    assert "tahun=2026" in link and client.get(link).status_code == 200


def test_without_any_plan_a_year_asked_for_is_refused_and_the_page_says_so(client, dataset, frozen):
    answer = _export(client, "weekly", "json", tahun="2026")
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"tahun": ["There is no plan for fiscal year “2026”, nor for any year yet."]}
    assert _export(client, "weekly", "json").status_code == 200
    page = client.get(reverse("dashboards:public"), {"tahun": "2026"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Fiscal year “2026” is not available." in page.content.decode()
    assert "tahun=" not in page.context["downloads"]["weekly"]["csv"]
