"""The filing form in a browser: the pin and the kelurahan agree, and an unanswered required question is named in
the summary at the top together with the other errors. Debian's chromium via Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.test_citizen_flow import phone, tap_map_at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"


def test_a_pin_outside_the_city_clears_the_kelurahan_and_is_refused_with_one_message(live_server, browser, city):
    from services.models import Area, Service

    mawar = Area.objects.get(code=MAWAR)
    waste = Service.objects.get(code="sampah-menumpuk")
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    # East of the city, across the Barito: the pin says so and the kelurahan chosen by the last pin goes.
    tap_map_at(page, mawar.label_lat, mawar.label_lng + 0.2)
    page.wait_for_selector("#pin-status.text-danger")
    assert page.locator("#id_area").input_value() == ""

    page.check(f"#service-{waste.pk}")
    page.fill("#id_title", "Sampah di seberang")
    page.fill("#id_description", "Sampah menumpuk di tepi sungai.")
    page.fill("#id_reporter_email", "warga.seberang@example.id")
    page.click("#submit-report")
    page.wait_for_selector("#lat-error")
    page.wait_for_load_state("networkidle")  # the page asked the server about the pin it shows again
    assert page.locator("#lat-error").count() == 1
    assert page.locator("#pin-status").inner_text().strip() == ""
    assert page.locator("#id_area").input_value() == ""
    assert page.locator("#id_title").input_value() == "Sampah di seberang"

    # Moving the pin into the city replaces the refusal with the kelurahan.
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    assert page.locator("#lat-error").count() == 0
    assert mawar.name in page.locator("#pin-status").inner_text()


def test_an_unanswered_required_question_is_in_the_summary_with_the_other_errors(live_server, browser, city):
    from services.models import Area, Service

    mawar = Area.objects.get(code=MAWAR)
    road = Service.objects.get(code="jalan-rusak")
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    page.check(f"#service-{road.pk}")
    page.wait_for_selector("#id_attr_ukuran")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.fill("#id_description", "Lubang besar di depan sekolah.")
    # No title, no email, no answer: one round names all three.
    page.click("#submit-report")
    summary = page.locator("#form-errors")
    summary.wait_for()
    link = summary.locator('a[href="#id_attr_ukuran"]')
    assert link.inner_text() == "Seberapa besar kerusakannya?"
    assert page.locator("#id_title.is-invalid").count() == 1
    assert page.locator("#id_reporter_email.is-invalid").count() == 1
    assert page.locator("#id_description").input_value() == "Lubang besar di depan sekolah."
    link.click()
    assert page.evaluate("location.hash") == "#id_attr_ukuran"
    assert page.locator("#id_attr_ukuran").is_visible()
