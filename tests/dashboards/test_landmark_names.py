"""Each dashboard card is a region named after its title; the scrolling box of its table and its map are regions too,
and were named with the same title. A screen reader's list of landmarks then read each name twice, with nothing to
tell the card from the table or the map inside it (axe: landmark-unique)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from tests.aria import Page

from .test_views import FILTERS, frozen  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _region_names(html: str) -> list[str]:
    """The accessible name of every region landmark: a <section> named by its heading, a role="region" by its label."""
    page = Page(html)
    sections = [" ".join(page.by_id[s["aria-labelledby"]].text.split()) for s in page.find_all("section")]
    labelled = [e["aria-label"] for e in page.elements if e.get("role") == "region"]
    return [name for name in sections + labelled if name]


@pytest.mark.parametrize(
    "name,user", [("dashboards:public", None), ("dashboards:department", "staff_dlh"), ("dashboards:city", "inspector")]
)
def test_no_two_regions_of_a_dashboard_share_a_name(client, request, name, user, plan):
    if user:
        client.force_login(request.getfixturevalue(user))
    html = client.get(reverse(name), FILTERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    names = _region_names(html)
    assert len(names) > 5
    assert [name for name, n in Counter(names).items() if n > 1] == []
    # The table's box and the map still say which card they belong to.
    assert any(name.endswith(": table") for name in names) and any(name.endswith(": map") for name in names)
