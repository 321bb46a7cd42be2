"""The dashboards for a screen reader: every map has its numbers as a table, every download link names its dataset,
a refused filter's message is tied to its field."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from .conftest import MAWAR, NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _section(html: str, section_id: str) -> str:
    start = html.index(f'aria-labelledby="{section_id}"')
    return html[start : html.index("</section>", start)]


def _link_names(html: str) -> list[str]:
    """The accessible name of each download link: its text with the visually hidden part, tags removed."""
    links = re.findall(r"<a [^>]*\bdownload\b[^>]*>(.*?)</a>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", link).strip() for link in links]


def test_the_public_map_has_its_numbers_per_kelurahan_as_a_table(client, dataset, frozen):
    """city.html and department.html gave their maps the per-kelurahan table; the public map had only its colours."""
    from services.models import Area

    html = client.get(reverse("dashboards:public"), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = _section(html, "title-map-public")
    assert "Show the numbers" in card and 'data-table="kelurahan"' in card
    assert Area.objects.get(code=MAWAR).name in card


@pytest.mark.parametrize(
    "name,user", [("dashboards:public", None), ("dashboards:department", "staff_dlh"), ("dashboards:city", "inspector")]
)
def test_every_download_link_names_its_dataset(client, request, name, user, plan, frozen):
    """About 30 links on the public page read "CSV", "JSON", "CSV", … with nothing to tell them apart."""
    if user:
        client.force_login(request.getfixturevalue(user))
    html = client.get(reverse(name), FILTERS).content.decode()
    names = _link_names(html)
    assert len(names) > 10
    assert all(re.fullmatch(r"(Excel \(XLSX\)|CSV|JSON): \S.*", link) for link in names), names
    # The links of one card differ from another card's: each names its own data.
    assert len(set(names)) > len(names) / 2
    # The visible text stays "CSV" / "JSON" (the visually hidden part follows it, so the name starts with it).
    assert re.search(r'download>CSV<span class="visually-hidden">: ', html)


def test_a_refused_dashboard_filter_is_named_under_its_field(client, dataset, frozen):
    html = client.get(reverse("dashboards:public"), {"date_from": "kemarin"}).content.decode()
    field = re.search(r'<input[^>]*name="date_from"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_date_from_error"' in field
    assert re.search(r'<div [^>]*id="id_date_from_error"[^>]*>[^<]+</div>', html)
