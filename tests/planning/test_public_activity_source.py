"""The public activity page says when its figures were read and where they come from, under which licence, as the
public dashboard does: an analyst quoting "Rp 1.200.000.000 realised" had no date to quote it with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dashboards.queries.base import LICENCE, LICENCE_URL

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_public_activity_page_has_its_time_source_and_licence(client, budgeted_activity, time_machine, language):
    time_machine.move_to(dt.datetime(2026, 6, 15, 2, 5, tzinfo=dt.UTC), tick=False)  # 10:05 WITA
    html = client.get(
        reverse("planning:public_activity", args=[budgeted_activity.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    source = html.split('id="figures-source">')[1].split("</div>")[0]
    assert "10:05 WITA (15 Jun 2026)" in source
    assert f'<a href="{LICENCE_URL}" rel="license">{LICENCE}</a>' in source
    if language == "en":
        assert "Figures as of 10:05 WITA (15 Jun 2026)." in source
        assert "Source: the city's plan and budget (APBD)" in source.replace("&#x27;", "'")
