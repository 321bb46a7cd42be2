"""A refused filter refuses only itself (an open-data analyst's walk of the public page): the page keeps and applies
the other filters, its links leave the refused one out, and a download answers 400 naming it instead of the whole
city's figures under the filters asked for."""

import html
import re

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

KECAMATAN = "63.71.05"  # Banjarmasin Tengah: every public dataset ticket but T7
REVERSED = {"date_from": "2026-12-01", "date_to": "2026-11-01"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _kpi(response, measure: str):
    return next(row["value"] for row in response.context["tables"]["summary"].rows if row["measure"] == measure)


def _download_links(response) -> list[str]:
    found = re.findall(r'href="(/dasbor/public/data/[^"]+)"', response.content.decode())
    return [html.unescape(href) for href in found]


def test_refused_dates_keep_the_place_chosen_on_the_page_and_in_its_links(client, dataset, frozen):
    """The kecamatan stayed selected while the tiles counted the whole city (12 public tickets, not 11)."""
    city = client.get(reverse("dashboards:public"))
    assert _kpi(city, "tickets") == 12  # the public tickets: T7 is in another kecamatan
    page = client.get(reverse("dashboards:public"), {"kecamatan": KECAMATAN, **REVERSED}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "The start date must not be after the end date." in page.content.decode()
    assert _kpi(page, "tickets") == 11 and page.context["window"].kecamatan_id is not None
    # The fields show the window counted (the default one), as the files do.
    assert 'name="date_from" value="2025-09-06"' in page.content.decode()
    links = _download_links(page)
    assert links and all(f"kecamatan={KECAMATAN}" in link and "date_from=2025-09-06" in link for link in links)
    assert not any("2026-12-01" in link for link in links)


def test_a_refused_service_leaves_the_place_applied_and_the_links_without_it(client, dataset, frozen):
    page = client.get(reverse("dashboards:public"), {"kecamatan": KECAMATAN, "service": "zzz"})
    assert _kpi(page, "tickets") == 11
    assert page.context["form"].errors["service"]
    links = _download_links(page)
    assert links and not any("service=" in link for link in links)


@pytest.mark.parametrize(
    "params,refused",
    [
        ({"kecamatan": KECAMATAN, **REVERSED}, ["dates"]),
        ({"kecamatan": "zzz", "service": "zzz"}, ["kecamatan", "service"]),
        ({"department": "nope"}, ["department"]),
        ({"date_from": "kemarin"}, ["date_from"]),
    ],
)
def test_a_download_with_a_refused_filter_answers_400_naming_it(client, dataset, frozen, params, refused):
    """summary.json answered 200 with "filters": {"kecamatan": "zzz"} and the whole city's figures."""
    url = reverse("dashboards:export", args=["public", "summary", "json"])
    answer = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    body = answer.json()
    assert sorted(body["errors"]) == refused and all(body["errors"].values())
    assert body["detail"] == f"These filters were refused, so nothing was computed: {', '.join(refused)}."
    csv_file = client.get(url.replace(".json", ".csv"), params, HTTP_ACCEPT_LANGUAGE="en")
    assert csv_file.status_code == 400 and csv_file["Content-Type"].startswith("text/plain")
    assert all(f"{name}: " in csv_file.content.decode() for name in refused)
    assert "Content-Disposition" not in csv_file  # nothing to save as a file


def test_the_refusal_speaks_the_requests_language(client, dataset, frozen):
    url = reverse("dashboards:export", args=["public", "summary", "json"])
    english = client.get(url, {"kecamatan": "zzz"}, HTTP_ACCEPT_LANGUAGE="en").json()["errors"]["kecamatan"]
    indonesian = client.get(url, {"kecamatan": "zzz"}, HTTP_ACCEPT_LANGUAGE="id").json()["errors"]["kecamatan"]
    assert english != indonesian


def test_the_catalogue_refuses_a_refused_filter_too(client, dataset, frozen):
    assert client.get(reverse("dashboards:open_data"), {"service": "zzz"}).status_code == 400
    assert client.get(reverse("dashboards:open_data")).status_code == 200


def test_valid_filters_still_download(client, dataset, frozen):
    url = reverse("dashboards:export", args=["public", "summary", "json"])
    answer = client.get(url, {"kecamatan": KECAMATAN, "date_from": "2026-01-01", "date_to": "2026-03-06"})
    assert answer.status_code == 200
    assert {row["measure"]: row["value"] for row in answer.json()["dataset"]["rows"]}["tickets"] == 11
