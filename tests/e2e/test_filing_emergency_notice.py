"""The filing form's emergency notice in a browser (found in the Saturday-night storm QA walk): a citizen who types
about a fallen tree on sparking power lines, or picks the fire service, sees the notice at the top turn red and stay
in sight, and a screen reader hears "call now" once; ordinary words ("tapi", "sapi") leave it calm."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_citizen_flow import phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def is_raised(page) -> bool:
    return "emergency-raised" in (page.locator("#emergency-notice").get_attribute("class") or "")


def test_a_danger_word_raises_the_notice_once_and_everyday_words_do_not(live_server, browser, city):
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    notice = page.locator("#emergency-notice")
    assert notice.is_visible() and not is_raised(page)
    assert page.locator("#emergency-alert").inner_text() == ""

    # "api" (fire) is part of "tapi" (but) and "sapi" (cow): those say nothing.
    page.fill("#id_title", "Sapi lepas tapi pemiliknya tidak ada")
    page.wait_for_timeout(200)
    assert not is_raised(page)

    page.locator("#id_description").press_sequentially("Pohon tumbang menimpa kabel, ada percikan.")
    page.wait_for_selector("#emergency-notice.emergency-raised.alert-danger")
    said = page.locator("#emergency-notice [role=alert]")
    assert said.count() == 1 and said.inner_text() == said.get_attribute("data-msg") != ""
    first_words = said.inner_text()
    # More typing does not say it again (the box is filled once), and the numbers are a tap away.
    page.locator("#id_description").press_sequentially(" Bahaya, api!")
    assert said.inner_text() == first_words
    assert (
        page.evaluate(
            """() => { let n = 0; new MutationObserver(() => n++).observe(document.getElementById('emergency-alert'),
             { childList: true, characterData: true, subtree: true });
           const d = document.getElementById('id_description'); d.value += ' kebakaran';
           d.dispatchEvent(new Event('input'));
           return new Promise((done) => setTimeout(() => done(n), 300)); }"""
        )
        == 0
    )
    assert page.locator("#emergency-notice a[href='tel:112']").count() == 1
    assert page.locator("#emergency-notice a[href='tel:123']").count() == 1

    # Kept in sight while the citizen scrolls down the form, until "Understood".
    page.locator("#submit-report").scroll_into_view_if_needed()
    assert notice.bounding_box()["y"] <= 1
    page.click("#emergency-understood")
    assert is_raised(page)
    page.locator("#submit-report").scroll_into_view_if_needed()
    assert notice.bounding_box()["y"] < 0


def test_picking_the_fire_service_raises_the_notice_in_english(live_server, browser, city):
    from services.models import Service

    fire = Service.objects.get(code="kebakaran")
    # An English-speaking phone: the context's locale is what Chromium sends as Accept-Language (an extra header
    # was overridden by the Indonesian locale, which went unseen while the Indonesian texts did not exist yet).
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    assert "Not for emergencies" in page.locator("#emergency-notice").inner_text()
    page.check(f"#service-{fire.pk}")
    page.wait_for_selector("#emergency-notice.emergency-raised")
    assert "If anyone is in danger, call now" in page.locator("#emergency-alert").inner_text()
