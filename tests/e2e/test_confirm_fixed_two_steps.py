"""Closing a resolved report is final (no reopening afterwards): one tap on 'Yes, it is fixed' closed it for good,
and an older reporter tapping it by mistake could not undo it (found in the Ketua RT walk). The first tap now says
what closing means; only 'Close the report' closes it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints.models import Status, Ticket
from tests.e2e.conftest import TIMEOUT_MS, session_cookie
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_one_tap_does_not_close_the_report_the_second_step_does(live_server, browser, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.RESOLVED, resolved_at=timezone.now())
    context = browser.new_context(locale="en-GB", viewport={"width": 393, "height": 851}, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([session_cookie(citizen, live_server)])
    page = context.new_page()
    page.goto(f"{live_server.url}/laporan/{ticket.reference}/")
    page.tap("#confirm-fixed-open")
    assert "cannot be reopened afterwards" in page.inner_text("#confirm-fixed-step")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED
    page.tap("#confirm-fixed")
    page.wait_for_selector("#rating-form")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
