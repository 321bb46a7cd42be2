"""The filing form ticks the chosen service's default privacy (confidential for a person's health, welfare or civil
records) until the citizen ticks a choice; then choosing another service keeps theirs. Debian's chromium via
Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.test_citizen_flow import phone, tap_map_at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"


def checked_privacy(page) -> str | None:
    return page.evaluate("() => (document.querySelector('input[name=privacy]:checked') || {}).value || null")


def test_the_services_default_is_ticked_until_the_citizen_chooses(live_server, browser, city):
    from complaints.models import Privacy, Ticket
    from services.models import Area, Service

    odgj, waste = Service.objects.get(code="odgj-terlantar"), Service.objects.get(code="sampah-menumpuk")
    mawar = Area.objects.get(code=MAWAR)
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    assert checked_privacy(page) is None  # no service yet
    page.check(f"#service-{odgj.pk}")
    assert checked_privacy(page) == "confidential"
    page.check(f"#service-{waste.pk}")
    assert checked_privacy(page) == "public"
    page.check("#service-unsure")
    assert checked_privacy(page) == "public"

    # A choice of the citizen's own stays, whatever service they pick next.
    page.check("#privacy-anonymous")
    page.check(f"#service-{odgj.pk}")
    assert checked_privacy(page) == "anonymous"

    # Sent back with an error (no email address), the choice is still theirs.
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    page.fill("#id_title", "Orang terlantar")
    page.fill("#id_description", "Di depan pasar sejak kemarin.")
    page.click("#submit-report")
    page.wait_for_selector("#form-errors")
    assert checked_privacy(page) == "anonymous"
    page.check(f"#service-{waste.pk}")
    assert checked_privacy(page) == "anonymous"

    page.check(f"#service-{odgj.pk}")
    page.fill("#id_reporter_email", "warga.pasar@example.id")
    page.click("#submit-report")
    page.wait_for_url("**/lapor/terkirim/**")
    assert Ticket.objects.get().privacy == Privacy.ANONYMOUS


def test_a_citizen_who_never_touches_the_choice_files_with_the_services_default(live_server, browser, city):
    from complaints.models import Privacy, Ticket
    from services.models import Area, Service

    odgj = Service.objects.get(code="odgj-terlantar")
    mawar = Area.objects.get(code=MAWAR)
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    page.check(f"#service-{odgj.pk}")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    page.fill("#id_title", "ODGJ di jalan")
    page.fill("#id_description", "Butuh bantuan Dinas Sosial.")
    page.fill("#id_reporter_email", "warga.jalan@example.id")
    page.click("#submit-report")
    page.wait_for_url("**/lapor/terkirim/**")
    assert Ticket.objects.get().privacy == Privacy.CONFIDENTIAL
