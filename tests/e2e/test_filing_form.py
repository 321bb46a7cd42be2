"""The filing form in a browser: the pin and the kelurahan agree, an unanswered required question is named in the
summary at the top together with the other errors, "me too" on a report nearby loses nothing typed, and a photo's
message goes once it is old news. Debian's chromium via Playwright."""

from __future__ import annotations

import pytest

from tests.e2e.test_citizen_flow import phone, tap_map_at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"
# Named a photo but no picture inside: only the server can tell (a file the browser knows as a PDF is refused at once).
NOT_A_PHOTO = {"name": "doc.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4"}


def test_a_pin_outside_the_city_loses_its_kelurahan_is_refused_once_and_shown_with_the_city(live_server, browser, city):
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
    # The map sent back shows the refused pin together with the city (up close it would stand alone in the blue).
    page.wait_for_timeout(600)
    pin_in_view, city_in_view = page.evaluate(
        """() => { const map = document.getElementById('filing-map').portalMap;
             const pin = [+document.getElementById('id_lat').value, +document.getElementById('id_lng').value];
             return [map.getBounds().contains(pin), map.getBounds().contains(map.boundaryLayer.getBounds())]; }"""
    )
    assert pin_in_view and city_in_view

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
    # Every refused field is named there with a link to it, and the summary has the focus (read out, Tab from it).
    assert summary.locator('a[href="#id_title"]').count() == 1
    assert summary.locator('a[href="#id_reporter_email"]').count() == 1
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert page.locator("#id_title.is-invalid").count() == 1
    assert page.locator("#id_reporter_email.is-invalid").count() == 1
    assert page.locator("#id_description").input_value() == "Lubang besar di depan sekolah."
    # The map sent back shows the pin up close, and stays there once the page has framed the city (a zoom animation
    # still running used to put the whole city back a moment later).
    page.wait_for_function("() => document.getElementById('id_area').value !== ''")
    page.wait_for_timeout(600)
    zoom, pin_in_view = page.evaluate(
        """() => { const map = document.getElementById('filing-map').portalMap;
             const pin = [+document.getElementById('id_lat').value, +document.getElementById('id_lng').value];
             return [map.getZoom(), map.getBounds().contains(pin)]; }"""
    )
    assert zoom >= 16 and pin_in_view
    link.click()
    assert page.evaluate("location.hash") == "#id_attr_ukuran"
    assert page.locator("#id_attr_ukuran").is_visible()


def test_switching_the_language_keeps_everything_typed_then_sending_forgets_it(live_server, browser, city):
    from complaints.models import Ticket
    from services.models import Area, Service
    from tests.complaints.conftest import jpeg_bytes

    mawar = Area.objects.get(code=MAWAR)
    road = Service.objects.get(code="jalan-rusak")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#draft-restored").is_hidden()
    page.check(f"#service-{road.pk}")
    page.select_option("#id_attr_ukuran", "sedang")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    page.fill("#id_title", "Jalan berlubang di Gang Mawar")
    page.fill("#id_description", "Lubang sedalam lutut di depan sekolah, sudah dua minggu.")
    page.fill("#id_reporter_email", "warga.mawar@example.id")
    page.set_input_files("#id_photos", files=[{"name": "lubang.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    page.wait_for_selector("input[name=photo_tokens]", state="attached")
    token = page.locator("input[name=photo_tokens]").input_value()

    # Halfway through, the visitor switches the page to English: nothing they typed or chose is gone.
    page.click("#language-form button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("#draft-restored").is_visible()
    assert page.locator("#id_title").input_value() == "Jalan berlubang di Gang Mawar"
    assert page.locator("#id_description").input_value() == "Lubang sedalam lutut di depan sekolah, sudah dua minggu."
    assert page.locator("#id_reporter_email").input_value() == "warga.mawar@example.id"
    assert page.locator(f"#service-{road.pk}").is_checked()
    page.wait_for_function("() => document.getElementById('id_attr_ukuran')?.value === 'sedang'")
    assert page.locator("#id_area").input_value() == str(mawar.pk)
    assert page.locator("input[name=lat]").input_value() != ""
    assert page.locator("input[name=photo_tokens]").input_value() == token
    assert page.locator("#kept-photos").inner_text().count("lubang.jpg") == 1

    page.click("#submit-report")
    page.wait_for_url("**/lapor/terkirim/**")
    ticket = Ticket.objects.get()
    assert ticket.title == "Jalan berlubang di Gang Mawar" and ticket.area == mawar
    assert ticket.attributes == {"ukuran": "sedang"} and ticket.attachments.count() == 1
    # Sent: the next report starts empty.
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#id_title").input_value() == ""
    assert page.locator("#draft-restored").is_hidden()


def test_start_over_empties_a_kept_draft(live_server, browser, city):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/lapor/")
    page.fill("#id_title", "Lampu jalan mati")
    page.reload()
    assert page.locator("#id_title").input_value() == "Lampu jalan mati"
    page.click("#draft-clear")
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.getElementById('id_title').value === ''")
    assert page.locator("#draft-restored").is_hidden()


def test_a_guest_says_me_too_from_the_form_without_losing_what_they_typed(live_server, browser, city):
    from complaints.models import Subscription
    from services.models import Area
    from tests.factories import make_ticket

    mawar = Area.objects.get(code=MAWAR)
    nearby = make_ticket(service="sampah-menumpuk", title="Sampah menumpuk di Gang Mawar")
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    page.check(f"#service-{nearby.service_id}")
    page.fill("#id_title", "Tumpukan sampah di gang")
    page.fill("#id_description", "Sampah belum diangkut sejak Senin.")
    tap_map_at(page, mawar.label_lat + 0.0005, mawar.label_lng)
    offer = page.locator("#similar-reports")
    offer.wait_for()
    assert nearby.reference in offer.inner_text()

    # No email address yet: the box says what is missing, and the form stays as it was.
    offer.locator("button.me-too").first.click()
    refusal = offer.locator(".me-too-result")
    refusal.get_by_text("email").wait_for()
    assert page.url == f"{live_server.url}/lapor/"
    assert page.locator("#id_title").input_value() == "Tumpukan sampah di gang"
    assert page.locator("#id_description").input_value() == "Sampah belum diangkut sejak Senin."
    assert not Subscription.objects.filter(ticket=nearby, reason="supporter").exists()
    refusal.locator('a[href="#id_reporter_email"]').click()
    assert page.evaluate("location.hash") == "#id_reporter_email"

    # With the address typed, "me too" sends it a link to confirm, said next to the button; the form stays as it was.
    page.fill("#id_reporter_email", "Tetangga.Mawar@example.id")
    offer.locator("button.me-too").first.click()
    refusal.get_by_text("tetangga.mawar@example.id").wait_for()
    assert page.url == f"{live_server.url}/lapor/#id_reporter_email"  # still the form (the link above went there)
    assert page.locator("#id_title").input_value() == "Tumpukan sampah di gang"
    waiting = Subscription.objects.get(ticket=nearby, email="tetangga.mawar@example.id", reason="supporter")
    assert not waiting.email_confirmed  # counted once the link is opened (test_support_confirmation.py)

    # The report they had started is still there, should they file it after all.
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#draft-restored").is_visible()
    assert page.locator("#id_title").input_value() == "Tumpukan sampah di gang"
    assert page.locator("#id_description").input_value() == "Sampah belum diangkut sejak Senin."


def test_a_refused_files_message_goes_with_the_next_pick_even_when_its_answer_comes_late(live_server, browser, city):
    from tests.complaints.conftest import jpeg_bytes

    page = phone(browser)
    held = []  # the check of the first file picked, answered only when the test says so (a slow upload)

    def hold_the_first_check(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/lapor/foto/", hold_the_first_check)
    page.goto(f"{live_server.url}/lapor/")
    page.set_input_files("#id_photos", files=[NOT_A_PHOTO])
    page.wait_for_function("() => document.getElementById('kept-photos').textContent.includes('doc.jpg')")
    # Still waiting for that answer, the visitor picks a real photo.
    page.set_input_files("#id_photos", files=[{"name": "lubang.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    page.wait_for_selector("li.kept-photo")
    held[0].continue_()
    page.wait_for_function("() => !document.getElementById('kept-photos').textContent.includes('doc.jpg')")
    assert page.locator("#photo-errors").inner_text() == ""

    # A refusal of the latest pick is shown, and goes when the visitor changes the photos again.
    page.set_input_files("#id_photos", files=[NOT_A_PHOTO])
    page.wait_for_function("() => document.getElementById('photo-errors').textContent.includes('doc.jpg')")
    page.locator("li.kept-photo .remove-photo").click()
    assert page.locator("#photo-errors").inner_text() == ""


def test_a_second_click_on_send_while_the_answer_is_slow_sends_the_report_once(live_server, browser, city, monkeypatch):
    import time

    from complaints import actions
    from complaints.models import Ticket
    from services.models import Area, Service

    file_ticket = actions.file_ticket

    def slow_file_ticket(**kwargs):  # a slow connection or a busy server: the citizen clicks again meanwhile
        time.sleep(1.5)
        return file_ticket(**kwargs)

    monkeypatch.setattr(actions, "file_ticket", slow_file_ticket)
    mawar = Area.objects.get(code=MAWAR)
    waste = Service.objects.get(code="sampah-menumpuk")
    page = phone(browser)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.goto(f"{live_server.url}/lapor/")
    page.check(f"#service-{waste.pk}")
    page.select_option("#id_area", str(mawar.pk))
    page.fill("#id_title", "Sampah di gang")
    page.fill("#id_description", "Sampah menumpuk sejak Senin.")
    page.fill("#id_reporter_email", "warga.sabar@example.id")
    # The second click comes 300 ms after the first, while the server still works on the first sending.
    page.evaluate(
        """() => { const send = document.getElementById('submit-report');
                   send.addEventListener('click', () => setTimeout(() => send.click(), 300), {once: true}); }"""
    )
    page.click("#submit-report", no_wait_after=True)
    page.wait_for_url("**/lapor/terkirim/**")
    assert [url for url in posts if url.endswith("/lapor/")] == [f"{live_server.url}/lapor/"]
    assert Ticket.objects.count() == 1


def test_a_second_service_picked_while_the_first_ones_questions_load_gets_its_own(live_server, browser, city):
    """The form's two requests (the service's questions, similar reports) each wait only for their own kind: in one
    shared queue, keeping only the newest waiting request, picking another service on a slow link dropped its
    questions and the first service's stayed on the form."""
    from services.models import Area, Service

    mawar = Area.objects.get(code=MAWAR)
    road, flood = Service.objects.get(code="jalan-rusak"), Service.objects.get(code="genangan-banjir")
    page = phone(browser)
    held = []  # the first service's questions, answered only when the test says so (a slow link)

    def hold_the_first_questions(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.goto(f"{live_server.url}/lapor/")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function("() => document.getElementById('id_area').value !== ''")
    page.route("**/lapor/atribut/**", hold_the_first_questions)
    page.check(f"#service-{road.pk}")
    page.wait_for_timeout(200)
    assert held, "the road's questions were asked"
    page.check(f"#service-{flood.pk}")
    page.wait_for_timeout(200)
    held[0].continue_()
    page.wait_for_selector("#id_attr_kedalaman_cm")
    page.wait_for_timeout(500)  # nothing older may land after it
    assert page.locator("#id_attr_kedalaman_cm").is_visible()
    assert page.locator("#id_attr_ukuran").count() == 0
