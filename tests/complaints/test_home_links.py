"""The home page's buttons say what they open."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_public_reports_button_does_not_promise_reports_near_the_visitor(client):
    # The public list is the whole city's reports by date: it neither asks for nor uses the visitor's location.
    client.cookies["django_language"] = "en"
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("complaints:public_list")}">See public reports</a>' in page
    assert "near you" not in page
