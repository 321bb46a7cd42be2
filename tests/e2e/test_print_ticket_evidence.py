"""A ticket's history printed as evidence for an audit (complaints/evidence.py): on paper the history only, A4, without
the navigation bar, the buttons or the site's footer, with the line saying who printed it, when and from where."""

from __future__ import annotations

import re

import pytest

from complaints.events import record_event
from complaints.models import EventType
from tests.e2e.conftest import TIMEOUT_MS, session_cookie
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_evidence_prints_on_a4_with_the_history_only(live_server, browser, staff_dlh, citizen):
    ticket = make_ticket(reporter=citizen, title="Got mampet di Gang Mawar")
    for i in range(60):
        record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": f"Balasan nomor {i}"})
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([session_cookie(staff_dlh, live_server)])
    page = context.new_page()
    page.goto(f"{live_server.url}/staf/tiket/{ticket.reference}/")
    page.get_by_role("link", name="Print as evidence").click()
    page.wait_for_url(f"**/staf/tiket/{ticket.reference}/bukti/")
    assert page.get_by_role("button", name="Print").is_visible()  # shown once its script runs
    page.emulate_media(media="print")
    for hidden in (".navbar", "#evidence-downloads", "body > footer", ".breadcrumb"):
        assert not page.locator(hidden).is_visible(), hidden
    assert "Balasan nomor 59" in page.inner_text("#evidence-timeline")
    taken = page.inner_text("#evidence-taken")
    assert f"Printed by {staff_dlh}" in taken and "WITA from Lapor Banjarmasin" in taken
    pdf = page.pdf(prefer_css_page_size=True)
    # A4 (595 × 842 points), the page box the stylesheet asks for, and the 60 events run over more than one page.
    boxes = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert len(boxes) >= 2
    assert all(round(float(width)) == 595 and round(float(height)) == 842 for width, height in boxes)
