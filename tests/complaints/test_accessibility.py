"""A citizen's pages say in words what they show by colour: the report's progress steps, an overdue due date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _steps(html: str) -> list[tuple[str, str]]:
    steps = re.search(r'<ol [^>]*id="progress-steps"[^>]*>(.*?)</ol>', html, flags=re.S).group(1)
    return [(attrs, re.sub(r"<[^>]+>", "", text)) for attrs, text in re.findall(r"<li ([^>]*)>(.*?)</li>", steps)]


def test_the_progress_steps_are_an_ordered_list_that_says_which_are_done(client, citizen):
    """The steps were coloured boxes (green done, blue current, grey not yet) with nothing else to tell them apart."""
    ticket = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED)
    html = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    steps = _steps(html)
    assert [text for _attrs, text in steps] == [
        "Submitted: done",
        "Routed: done",
        "Verified",
        "In progress: not yet",
        "Resolved: not yet",
        "Closed: not yet",
    ]
    assert ['aria-current="step"' in attrs for attrs, _text in steps] == [False, False, True, False, False, False]


def test_a_rejected_reports_steps_are_all_not_yet(client, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.REJECTED)
    client.force_login(citizen)
    html = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert all(text.endswith(": not yet") and "aria-current" not in attrs for attrs, text in _steps(html))


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
