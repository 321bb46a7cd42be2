"""A visitor without an account files a confidential report in English, confirms it from the email, and later, on
another phone, opens the personal link from the "resolved" email to confirm the fix and rate it. Debian's chromium
via Playwright."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_citizen_flow import tap_map_at, tasks_run  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUEST = "tamu.tanpa.akun@example.id"


def english_phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: print("page error:", error))
    page.on("response", lambda r: r.status >= 400 and print("http", r.status, r.url))
    return page


def local(url: str, base: str) -> str:
    return base + "/" + url.split("/", 3)[3]


def link_in(notification, pattern: str) -> str:
    """A link of the email as it is sent: the links that act without logging in are made then, never stored."""
    from complaints.mail import _render

    _subject, body = _render(notification)
    return re.search(pattern, body).group(0)


def test_guest_follows_a_confidential_report_by_its_email_link_and_closes_the_loop(
    live_server,
    browser,
    city,
    staff_dlh,
    tasks_run,  # noqa: F811
):
    from complaints.actions import resolve_ticket
    from complaints.models import EventType, Notification, Rating, Status, Ticket
    from services.models import Area, Service

    base = live_server.url
    waste = Service.objects.get(code="sampah-menumpuk")
    mawar = Area.objects.get(code="63.71.05.1003")

    # 1. File without an account, confidential, in English.
    page = english_phone(browser)
    page.goto(f"{base}/lapor/")
    page.check(f"#service-{waste.pk}")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function("() => document.getElementById('pin-status').textContent.includes('Mawar')")
    page.fill("#id_title", "Illegal dumping behind the school")
    page.fill("#id_description", "Every night a truck dumps waste behind the school fence.")
    page.check("#privacy-confidential")
    page.fill("#id_reporter_email", GUEST)
    page.click("#submit-report")
    reference = page.locator("#reference").inner_text().strip()
    ticket = Ticket.objects.get(reference=reference)

    # 2. The confirmation link (in English), then the report is routed.
    confirmation = Notification.objects.get(ticket=ticket, template="confirm_ticket")
    assert confirmation.language == "en"
    page.goto(local(link_in(confirmation, r"https?://\S+/lapor/konfirmasi/\S+/"), base))
    page.click("#confirm-report")  # not "This was not me"
    page.wait_for_selector("#follow-report")
    for _ in range(30):
        ticket.refresh_from_db()
        if ticket.status == Status.ROUTED:
            break
        page.wait_for_timeout(1000)
    assert ticket.status == Status.ROUTED

    # 3. The department resolves it; the resolved email carries the personal link, in English.
    resolve_ticket(ticket=ticket, actor=staff_dlh, note="The dumping site was cleared and a sign put up.")
    resolved = Notification.objects.get(ticket=ticket, email=GUEST, event__type=EventType.RESOLVED)
    assert resolved.language == "en"
    link = link_in(resolved, r"https?://\S+/ikuti/\S+/")

    # 4. On another phone (no session yet): the public address is a 404, the personal link opens the report and
    #    leaves the token behind.
    other_phone = english_phone(browser)
    assert other_phone.goto(f"{base}/laporan/{reference}/").status == 404
    other_phone.goto(local(link, base))
    assert re.fullmatch(rf"{re.escape(base)}/laporan/{reference}/", other_phone.url)
    assert "The dumping site was cleared" in other_phone.locator("#timeline").inner_text()
    other_phone.locator("label[for=score-4]").click()
    other_phone.fill("#id_comment", "Quick, thank you.")
    other_phone.click("#send-rating")
    other_phone.wait_for_selector("#confirm-fixed-open")
    other_phone.click("#confirm-fixed-open")  # closing is final: a second step confirms it
    other_phone.click("#confirm-fixed")
    other_phone.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert Rating.objects.get(ticket=ticket).score == 4
    assert "/ikuti/" not in other_phone.content()
