"""'My reports' printed for the neighbourhood meeting (found in the Ketua RT walk: the printout carried the blue
navigation bar, the menu button, 'File a report' and the filter form, and said neither whose list nor when): on
paper, the list only, with the name, the filter chosen and the date printed."""

from __future__ import annotations

import pytest

from complaints.models import Status
from tests.e2e.conftest import TIMEOUT_MS, session_cookie
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_my_reports_print_the_list_with_whose_it_is_and_when(live_server, browser, citizen):
    make_ticket(reporter=citizen, status=Status.ROUTED, title="Got mampet di Gang Mawar")
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([session_cookie(citizen, live_server)])
    page = context.new_page()
    page.goto(f"{live_server.url}/laporan-saya/?status=open")
    assert page.locator(".navbar").is_visible() and not page.locator("#printed-on").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".navbar").is_visible()
    assert not page.locator("form").first.is_visible()
    assert page.locator("#my-reports").is_visible() and "Got mampet di Gang Mawar" in page.inner_text("#my-reports")
    printed = page.inner_text("#printed-on")
    assert str(citizen) in printed and "Status: Open" in printed and "Printed on" in printed and "WITA" in printed
