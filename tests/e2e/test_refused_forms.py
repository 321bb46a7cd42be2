"""A refused form announces itself, on a phone (360 px) under the production Content-Security-Policy: the page comes
back with the focus on the first refused field, described by its message and scrolled into view with it, or on the
form's message when the refusal is about the form as a whole. Before, "Send rating" with no star, "Reopen" with no
reason, "Me too" with no email, a refused sign-up came back scrolled to the top with the focus on <body>, and at
360 px the message was below the fold. Debian's chromium via Playwright."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.events import record_event
from complaints.models import EventType, Status
from tests.e2e.conftest import TIMEOUT_MS, session_cookie
from tests.e2e.test_citizen_flow import phone
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _csp(settings):
    """The production policy (script-src 'self'): the focus must come from a static file, not an inline script."""
    settings.CONTENT_SECURITY_POLICY_ENABLED = True


def signed_in_phone(browser, user, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([session_cookie(user, live_server)])
    return context.new_page()


def refused_at(page, url_part: str) -> None:
    page.wait_for_url(f"**{url_part}")
    page.wait_for_load_state()


def test_the_refused_rating_reopen_and_information_take_the_focus_with_their_message(live_server, browser, citizen):
    resolved = make_ticket(reporter=citizen, status=Status.RESOLVED, resolved_at=timezone.now())
    record_event(ticket=resolved, type=EventType.RESOLVED, payload={"note": "Sudah diperbaiki."})
    page = signed_in_phone(browser, citizen, live_server)
    page.goto(f"{live_server.url}/laporan/{resolved.reference}/")

    # "Send rating" with no star: the first star has the focus, is described by the message, both in view.
    page.click("#send-rating")
    refused_at(page, "/nilai/")
    first_star = page.locator("#score-1")
    expect(first_star).to_be_focused()
    expect(first_star).to_have_accessible_description("Please choose a score from 1 to 5 stars.")
    expect(page.locator("label[for=score-1]")).to_be_in_viewport()
    expect(page.locator("#id_score_error")).to_be_in_viewport()
    expect(page.get_by_role("alert")).to_have_text("Please choose a score from 1 to 5 stars.")

    # "Reopen" with no reason: the reason box.
    page.click("#reopen-form button[type=submit]")
    refused_at(page, "/buka-kembali/")
    reason = page.locator("#id_reason")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description("This field is required. " + _public_hint(page, "id_reason"))
    expect(reason).to_be_in_viewport()
    expect(page.locator("#id_reason_error")).to_be_in_viewport()

    # The report changed meanwhile (the department took it up again): the refusal is the form's, its message has it.
    page.goto(f"{live_server.url}/laporan/{resolved.reference}/")
    type(resolved).objects.filter(pk=resolved.pk).update(status=Status.IN_PROGRESS)
    page.fill("#id_reason", "Masih bocor di ujung gang.")
    page.click("#reopen-form button[type=submit]")
    refused_at(page, "/buka-kembali/")
    refusal = page.locator("#reopen-refused")
    expect(refusal).to_be_focused()
    expect(refusal).to_contain_text("Only a resolved report can be reopened")
    expect(refusal).to_be_in_viewport()
    assert page.locator("#id_reason").input_value() == "Masih bocor di ujung gang."

    # "Send" with nothing to add, on a report still open.
    open_report = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    page.goto(f"{live_server.url}/laporan/{open_report.reference}/")
    page.click("#info-form button[type=submit]")
    refused_at(page, "/info/")
    message = page.locator("#id_message")
    expect(message).to_be_focused()
    expect(message).to_be_in_viewport()
    expect(page.locator("#id_message_error")).to_have_text("Please write something or add a photo.")


def _public_hint(page, field_id: str) -> str:
    return page.locator(f"#{field_id}_helptext").inner_text().strip()


def test_me_too_without_an_email_takes_the_focus_to_the_email_box(live_server, browser, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.ROUTED)
    page = phone(browser)
    page.goto(f"{live_server.url}/laporan/{ticket.reference}/")
    page.click("#support-form button[type=submit]")
    refused_at(page, "/dukung/")
    email = page.locator("#id_email")
    expect(email).to_be_focused()
    expect(email).to_have_accessible_description(page.locator("#id_email_error").inner_text().strip())
    expect(email).to_be_in_viewport()


def test_a_refused_sign_up_or_sign_in_takes_the_focus_where_the_problem_is(live_server, browser, city):
    from tests.conftest import make_user

    page = phone(browser)
    page.goto(f"{live_server.url}/akun/signup/")
    page.fill("input[name=email]", "warga.baru@example.id")
    page.fill("input[name=password1]", "123")
    page.fill("input[name=password2]", "123")
    page.click("form[action='/akun/signup/'] button[type=submit]")
    page.wait_for_load_state()
    password = page.locator("#id_password1")
    expect(password).to_be_focused()  # the email was fine: the first refused field is the password
    expect(password).to_have_attribute("aria-invalid", "true")
    described = password.evaluate(
        "e => e.getAttribute('aria-describedby').split(' ').map(i => document.getElementById(i).innerText).join(' ')"
    )
    assert page.locator("#id_password1_error").inner_text().strip() in described

    make_user("warga.lama@example.id")
    page.goto(f"{live_server.url}/akun/login/")
    page.fill("input[name=login]", "warga.lama@example.id")
    page.fill("input[name=password]", "bukan-sandinya-123")
    page.click("form[action='/akun/login/'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#form-errors")).to_be_focused()


def test_the_filing_forms_refusal_of_the_whole_form_takes_the_focus(live_server, browser, citizen, settings):
    """The 429 "You have filed many reports in a short time": the summary is focusable now, so filing-form.js's
    focus lands on it (the other summary had tabindex="-1", this one did not)."""
    from django.test import Client

    from services.models import Area, Service

    settings.FILING_RATE_LIMIT = "1/h"
    waste = Service.objects.get(code="sampah-menumpuk")
    mawar = Area.objects.get(code="63.71.05.1003")
    first = Client()
    first.force_login(citizen)
    filed = {"service": waste.pk, "title": "Sampah satu", "description": "Menumpuk.", "area": mawar.pk}
    assert first.post("/lapor/", {**filed, "privacy": "public"}).status_code == 302

    page = signed_in_phone(browser, citizen, live_server)
    page.goto(f"{live_server.url}/lapor/")
    page.check(f"#service-{waste.pk}")
    page.select_option("#id_area", str(mawar.pk))
    page.fill("#id_title", "Sampah dua")
    page.fill("#id_description", "Menumpuk lagi.")
    page.click("#submit-report")
    page.wait_for_selector("#form-errors")
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("many reports in a short time")
    expect(summary).to_be_focused()
