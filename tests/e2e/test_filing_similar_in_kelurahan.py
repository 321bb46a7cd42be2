"""The filing form in a browser without a pin: a kelurahan picked from the list offers the open reports of the chosen
service there ("me too"), asked again when the service or the kelurahan changes, and when a pin is removed. Debian's
chromium via Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.test_citizen_flow import phone, tap_map_at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"


def test_a_guest_who_picks_the_kelurahan_is_offered_its_reports_and_says_me_too(live_server, browser, city):
    from complaints.models import Subscription
    from services.models import Area, Service
    from tests.factories import make_ticket

    mawar = Area.objects.get(code=MAWAR)
    elsewhere = city.exclude(pk=mawar.pk).order_by("code").first()
    roads = Service.objects.get(code="jalan-rusak")
    # Filed by a caller with no pin: somewhere in Mawar, far from where the next person would tap.
    in_mawar = make_ticket(service="sampah-menumpuk", title="Sampah menumpuk di Gang Mawar", lat=None, lng=None)
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    page.check(f"#service-{in_mawar.service_id}")
    page.fill("#id_title", "Tumpukan sampah di gang")
    offer = page.locator("#similar-reports")

    page.select_option("#id_area", str(mawar.pk))
    offer.wait_for()
    assert in_mawar.reference in offer.inner_text()
    assert mawar.name in offer.locator("h2").inner_text()

    # Another kelurahan, another service: nothing to offer; back to Mawar: offered again.
    page.select_option("#id_area", str(elsewhere.pk))
    offer.wait_for(state="detached")
    page.select_option("#id_area", str(mawar.pk))
    offer.wait_for()
    page.check(f"#service-{roads.pk}")
    offer.wait_for(state="detached")
    page.check(f"#service-{in_mawar.service_id}")
    offer.wait_for()

    # A pin in Mawar: only what is near it (the caller's report has no pin). Removed: the kelurahan the pin chose
    # stays, and so does its offer.
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    offer.wait_for(state="detached")
    page.click("#clear-pin")
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    offer.wait_for()
    assert in_mawar.reference in offer.inner_text()

    page.fill("#id_reporter_email", "Tetangga.Mawar@example.id")
    offer.locator("button.me-too").first.click()
    offer.locator(".me-too-result").get_by_text("tetangga.mawar@example.id").wait_for()  # "check your email to confirm"
    assert Subscription.objects.filter(ticket=in_mawar, email="tetangga.mawar@example.id", reason="supporter").exists()
