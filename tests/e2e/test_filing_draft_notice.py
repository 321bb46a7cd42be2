"""The filing form says "what you typed before is back" only when something typed is back: an untouched form
reloaded (after a filing, after "Start over") said it above empty fields. Debian's chromium via Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.test_citizen_flow import phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_restored_notice_needs_something_typed(live_server, browser, city):
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    page.reload()
    assert not page.locator("#draft-restored").is_visible()

    page.fill("#id_title", "Lampu jalan mati")
    page.reload()
    assert page.locator("#id_title").input_value() == "Lampu jalan mati"
    assert page.locator("#draft-restored").is_visible()
