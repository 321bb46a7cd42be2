"""A draft of the filing form belongs to who was signed in when it was typed: after they sign out on a shared phone
(a family's, a kelurahan office's), the next person in the same tab starts with an empty form; a visitor who signs
in keeps what they typed. Debian's chromium via Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import session_cookie
from tests.e2e.test_citizen_flow import phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_next_person_after_a_sign_out_gets_an_empty_form(live_server, browser, city, citizen):
    page = phone(browser)
    page.context.add_cookies([session_cookie(citizen, live_server)])
    page.goto(f"{live_server.url}/lapor/")
    page.fill("#id_title", "Laporan warga yang masuk")
    page.fill("#id_description", "Hanya untuk pemilik akun ini.")
    page.reload()
    assert page.locator("#id_title").input_value() == "Laporan warga yang masuk"  # the draft is kept for its owner

    with page.expect_navigation():  # the menu's "Log out" (folded away on a phone's width)
        page.evaluate("document.querySelector(\"form[action$='/akun/logout/']\").submit()")
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#id_title").input_value() == ""
    assert page.locator("#id_description").input_value() == ""
    assert not page.locator("#draft-restored").is_visible()


def test_a_visitor_who_signs_in_keeps_the_draft(live_server, browser, city, citizen):
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    page.fill("#id_title", "Ditulis sebelum masuk")
    page.wait_for_timeout(50)
    page.context.add_cookies([session_cookie(citizen, live_server)])
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#id_title").input_value() == "Ditulis sebelum masuk"
