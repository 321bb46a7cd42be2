"""A citizen's pages say in words what they show by colour: an overdue due date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_my_reports_says_overdue_in_words_not_only_in_red(client, citizen):
    """The staff queue writes "overdue" after a missed date; "My reports" only coloured it red."""
    late = make_ticket(reporter=citizen, title="Terlambat", resolution_due_at=timezone.now() - dt.timedelta(days=1))
    on_time = make_ticket(reporter=citizen, title="Tepat", resolution_due_at=timezone.now() + dt.timedelta(days=3))
    client.force_login(citizen)
    html = client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    def item(ticket):
        start = html.index(f"/laporan/{ticket.reference}/")
        return html[start : html.index("</a>", start)]

    assert re.search(r'<span class="overdue">[^<]+<span aria-hidden="true">⚠</span> overdue</span>', item(late))
    assert "overdue" not in item(on_time)
