"""Two exports of the ticked tickets one after the other (XLSX, then CSV): both download. A download leaves the
page where it is, and the form's guard against sending twice ignored the second click for 10 s, unsaid."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.test_staff_flow import signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_export_selected_twice_in_a_row_downloads_twice(live_server, browser, staff_dlh):
    ticket = make_ticket()
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(live_server.url + reverse("staff:queue"))
    page.check(f"#queue-table input[name=ids][value='{ticket.pk}']")

    with page.expect_download(timeout=5000) as xlsx:
        page.click("#bulk-export-xlsx")
    with page.expect_download(timeout=5000) as csv:
        page.click("#bulk-export-csv")

    assert xlsx.value.suggested_filename.endswith(".xlsx")
    assert csv.value.suggested_filename.endswith(".csv")
