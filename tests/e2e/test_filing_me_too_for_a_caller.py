"""A call-centre operator filing for a phone caller says "me too" on a similar report in the kelurahan: it is the
caller's, confirmed from the caller's address, and the operator stays on the half-filled form (a QA walk saw the
operator's own account subscribed and the form left for the report's page). Debian's chromium via Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import session_cookie
from tests.e2e.test_citizen_flow import phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"
CALLER = "penelepon.112@example.id"


def test_an_operator_says_me_too_for_a_phone_caller_and_keeps_the_form(live_server, browser, city):
    from complaints.models import Subscription
    from services.models import Area
    from tests.conftest import make_staff
    from tests.factories import make_ticket

    operator = make_staff("operator.112@banjarmasinkota.go.id", "dishub")
    mawar = Area.objects.get(code=MAWAR)
    in_mawar = make_ticket(service="sampah-menumpuk", title="Sampah menumpuk di Gang Mawar", lat=None, lng=None)
    page = phone(browser)
    page.context.add_cookies([session_cookie(operator, live_server)])
    page.goto(f"{live_server.url}/lapor/")
    page.select_option("#id_channel", "phone")
    page.check(f"#service-{in_mawar.service_id}")
    page.fill("#id_title", "Sampah di gang, telepon Pak Amat")
    page.select_option("#id_area", str(mawar.pk))
    offer = page.locator("#similar-reports")
    offer.wait_for()

    # No caller's address yet: the answer says to type it, next to the button.
    offer.locator("button.me-too").first.click()
    offer.locator(".me-too-result a[href='#id_reporter_email']").wait_for()
    assert not Subscription.objects.filter(ticket=in_mawar).exists()

    page.fill("#id_reporter_email", CALLER)
    offer.locator("button.me-too").first.click()
    offer.locator(".me-too-result").get_by_text(CALLER).wait_for()
    assert page.url == f"{live_server.url}/lapor/"
    assert page.locator("#id_title").input_value() == "Sampah di gang, telepon Pak Amat"
    assert page.locator("#id_channel").input_value() == "phone"
    waiting = Subscription.objects.get(ticket=in_mawar, email=CALLER)
    assert not waiting.email_confirmed
    assert not Subscription.objects.filter(ticket=in_mawar, user=operator).exists()
    in_mawar.refresh_from_db()
    assert in_mawar.support_count == 0
