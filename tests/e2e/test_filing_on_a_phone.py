"""The filing form on a phone with a poor connection: a report sent while offline comes back whole, a report is never
sent without a photo still uploading, a photo lost on the way or a place that could not be checked is said, a
kelurahan picked from the list is the one filed, the service search says how many services it left, a photo the
browser cannot draw gets a placeholder. Failures are simulated (offline context, route()), never timed. Debian's
chromium via Playwright."""

from __future__ import annotations

import json

import pytest

from tests.complaints.conftest import jpeg_bytes
from tests.e2e.conftest import session_cookie
from tests.e2e.test_citizen_flow import phone, tap_map_at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAWAR = "63.71.05.1003"
PHOTO = {"name": "phone.jpg", "mimeType": "image/jpeg"}


def message(page, name: str) -> str:
    """One of the form's phrases for the script (data-msg-*), in the page's language."""
    return page.locator("#filing-form").get_attribute(f"data-msg-{name}")


def fill_in(page, service, area=None, email="warga.hp@example.id"):
    page.check(f"#service-{service.pk}")
    if area is not None:
        page.select_option("#id_area", str(area.pk))
    page.fill("#id_title", "Sampah menumpuk di gang")
    page.fill("#id_description", "Belum diangkut sejak Senin.")
    if email:
        page.fill("#id_reporter_email", email)
        page.fill("#id_reporter_name", "Siti")


def pick_photo(page, name="phone.jpg"):
    page.set_input_files("#id_photos", files=[{**PHOTO, "name": name, "buffer": jpeg_bytes()}])


def posts_to_the_form(page) -> list[str]:
    posts: list[str] = []
    page.on("request", lambda r: r.method == "POST" and r.url.endswith("/lapor/") and posts.append(r.url))
    return posts


def test_a_report_sent_while_offline_is_all_back_on_the_form_and_files_once_sent_again(live_server, browser, city):
    from complaints.models import Ticket
    from services.models import Area, Service

    mawar = Area.objects.get(code=MAWAR)
    waste = Service.objects.get(code="sampah-menumpuk")
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    fill_in(page, waste)
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    pick_photo(page)
    page.wait_for_selector("input[name=photo_tokens]", state="attached")
    token = page.locator("input[name=photo_tokens]").input_value()

    # The connection drops as the citizen taps "Send": the browser shows its own error page instead of the form.
    page.context.set_offline(True)
    page.click("#submit-report", no_wait_after=True)
    page.wait_for_function("() => !document.getElementById('filing-form')")
    page.context.set_offline(False)
    assert not Ticket.objects.exists()

    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#draft-restored").is_visible()
    assert page.locator("#draft-maybe-sent").is_visible()
    assert page.locator(f"#service-{waste.pk}").is_checked()
    assert page.locator("#id_title").input_value() == "Sampah menumpuk di gang"
    assert page.locator("#id_description").input_value() == "Belum diangkut sejak Senin."
    assert page.locator("#id_reporter_email").input_value() == "warga.hp@example.id"
    assert page.locator("#id_reporter_name").input_value() == "Siti"
    assert page.locator("#id_area").input_value() == str(mawar.pk)
    assert page.locator("#id_lat").input_value() != ""
    assert page.locator("input[name=photo_tokens]").input_value() == token
    assert page.locator("#kept-photos .kept-photo-name").inner_text() == "phone.jpg"

    # Sent again, the report is filed with its photo; the page saying so ends the draft.
    page.click("#submit-report")
    page.wait_for_url("**/lapor/terkirim/**")
    ticket = Ticket.objects.get()
    assert ticket.area == mawar and ticket.attachments.count() == 1 and ticket.reporter_name == "Siti"
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#id_title").input_value() == ""
    assert page.locator("#draft-restored").is_hidden()


def lose_the_answer_to_the_filing(page) -> None:
    """The form's POST reaches the server, which files the report; its answer (and any cookie it sets) never reaches
    the phone, which shows its error page."""

    def arrive_but_lose_the_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        cookies = page.context.cookies()
        route.fetch(max_redirects=0)
        page.context.clear_cookies()
        page.context.add_cookies(cookies)
        route.abort("internetdisconnected")

    page.route("**/lapor/", arrive_but_lose_the_answer)
    page.click("#submit-report", no_wait_after=True)
    page.wait_for_function("() => !document.getElementById('filing-form')")
    page.unroute("**/lapor/")


def test_a_report_whose_answer_was_lost_is_not_filed_twice_when_sent_again(live_server, browser, city):
    from complaints.models import Ticket
    from services.models import Area, Service

    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    fill_in(page, Service.objects.get(code="sampah-menumpuk"), area=Area.objects.get(code=MAWAR))
    lose_the_answer_to_the_filing(page)
    first = Ticket.objects.get()

    # This browser had no session before: nothing tells the form the report arrived, so it is all back.
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#draft-maybe-sent").is_visible()
    page.click("#submit-report")
    page.wait_for_url(f"**/lapor/terkirim/{first.reference}/")
    assert Ticket.objects.count() == 1
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#id_title").input_value() == ""
    assert page.locator("#draft-arrived").is_visible()
    named = page.locator(f"#draft-arrived a[href='/lapor/terkirim/{first.reference}/']")
    assert named.is_visible() and named.inner_text() == first.reference


def test_a_signed_in_citizen_whose_answer_was_lost_is_told_the_report_arrived(live_server, browser, city, citizen):
    from complaints.models import Ticket
    from services.models import Area, Service

    page = phone(browser)
    page.context.add_cookies([session_cookie(citizen, live_server)])
    page.goto(f"{live_server.url}/lapor/")
    fill_in(page, Service.objects.get(code="sampah-menumpuk"), area=Area.objects.get(code=MAWAR), email="")
    lose_the_answer_to_the_filing(page)
    assert Ticket.objects.get().reporter == citizen

    # The session knows which form arrived: the form starts empty and says the report was received.
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("#draft-arrived").is_visible()
    assert page.locator("#draft-restored").is_hidden()
    assert page.locator("#id_title").input_value() == ""
    # It names the report, which the answer that never came would have opened.
    reference = Ticket.objects.get().reference
    named = page.locator(f"#draft-arrived a[href='/laporan/{reference}/']")
    assert named.is_visible() and named.inner_text() == reference


def test_send_waits_for_a_photo_still_uploading_and_files_it_with_the_photo(live_server, browser, city):
    from complaints.models import Ticket
    from services.models import Area, Service

    page = phone(browser)
    held = []  # the photo's upload, answered when the test says so (a slow connection)
    page.route("**/lapor/foto/", lambda route: held.append(route))
    posts = posts_to_the_form(page)
    page.goto(f"{live_server.url}/lapor/")
    fill_in(page, Service.objects.get(code="sampah-menumpuk"), area=Area.objects.get(code=MAWAR))
    pick_photo(page)
    page.wait_for_function("() => document.getElementById('kept-photos').textContent.includes('phone.jpg')")

    page.click("#submit-report")
    assert page.locator("#submit-status").inner_text() == message(page, "wait-photos")
    assert page.locator("#submit-status").get_attribute("role") == "status"
    assert posts == []

    held[0].continue_()
    page.wait_for_url("**/lapor/terkirim/**")
    assert posts == [f"{live_server.url}/lapor/"]
    assert Ticket.objects.get().attachments.count() == 1


def test_a_photo_lost_on_the_way_is_named_and_a_held_report_is_not_sent_without_it(live_server, browser, city):
    from complaints.models import Ticket
    from services.models import Area, Service

    page = phone(browser)
    answers = []  # how the photo check answers: a proxy's page, then no connection (held until the test says so)

    def photo_check(route):
        answers.append(route)
        if len(answers) == 1:
            route.fulfill(status=502, content_type="text/html", body="<html><h1>502 Bad Gateway</h1></html>")

    page.route("**/lapor/foto/", photo_check)
    posts = posts_to_the_form(page)
    page.goto(f"{live_server.url}/lapor/")
    failed = message(page, "upload-failed")
    assert "{name}" in failed
    pick_photo(page, "lubang.jpg")
    page.wait_for_function("() => document.getElementById('photo-errors').textContent.includes('lubang.jpg')")
    assert page.locator("#photo-errors").inner_text() == failed.replace("{name}", "lubang.jpg")
    assert page.locator("#kept-photos li").count() == 0

    # Sent while the next photo is on its way, which then fails: nothing is sent, and the page says why.
    fill_in(page, Service.objects.get(code="sampah-menumpuk"), area=Area.objects.get(code=MAWAR))
    pick_photo(page, "phone.jpg")
    page.wait_for_function("() => document.getElementById('kept-photos').textContent.includes('phone.jpg')")
    page.click("#submit-report")
    answers[1].abort("internetdisconnected")
    page.wait_for_function("() => document.getElementById('photo-errors').textContent.includes('phone.jpg')")
    assert page.locator("#submit-status").inner_text() == message(page, "not-sent")
    assert posts == [] and not Ticket.objects.exists()


def test_a_new_pin_replaces_the_old_message_and_says_when_its_place_could_not_be_checked(live_server, browser, city):
    from services.models import Area

    mawar = Area.objects.get(code=MAWAR)
    page = phone(browser)
    # The phone cannot tell its position.
    page.add_init_script(
        "navigator.geolocation.getCurrentPosition = (ok, fail) => setTimeout(() => fail({code: 2}), 0);"
    )
    page.goto(f"{live_server.url}/lapor/")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")
    page.click("#use-my-location")
    page.wait_for_function(
        "text => document.getElementById('pin-status').textContent === text", arg=message(page, "nogeo")
    )

    # The place check cannot be reached when the citizen taps the map instead.
    page.route("**/lapor/lokasi/**", lambda route: route.abort("internetdisconnected"))
    tap_map_at(page, mawar.label_lat + 0.002, mawar.label_lng)
    page.wait_for_function(
        "text => document.getElementById('pin-status').textContent === text", arg=message(page, "unchecked")
    )
    assert page.locator("#id_area").input_value() == ""  # not the last pin's kelurahan
    assert page.locator("#id_lat").input_value() != ""


def test_a_kelurahan_picked_while_a_pin_is_set_removes_the_pin_and_is_the_one_filed(live_server, browser, city):
    from complaints.models import Ticket
    from services.models import Area, Service

    mawar = Area.objects.get(code=MAWAR)
    other = Area.objects.filter(level="kelurahan").exclude(pk=mawar.pk).order_by("code").first()
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    fill_in(page, Service.objects.get(code="sampah-menumpuk"))
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function(f"() => document.getElementById('id_area').value === '{mawar.pk}'")

    page.select_option("#id_area", str(other.pk))
    assert page.locator("#pin-status").inner_text() == message(page, "area-chosen")
    assert page.locator("#pin-status").get_attribute("aria-live") == "polite"
    assert page.locator("#id_lat").input_value() == ""
    assert page.locator("#filing-map .leaflet-marker-icon").count() == 0
    assert page.locator("#clear-pin").is_hidden()

    page.click("#submit-report")
    page.wait_for_url("**/lapor/terkirim/**")
    ticket = Ticket.objects.get()
    assert ticket.area == other and ticket.lat is None


def test_the_service_search_says_how_many_services_it_left(live_server, browser, city):
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    count = page.locator("#service-search-count")
    assert count.get_attribute("aria-live") == "polite"

    page.fill("#service-search", "zzzqqq")
    page.wait_for_function(
        "text => document.getElementById('service-search-count').textContent === text", arg=message(page, "no-service")
    )
    assert page.locator("#service-unsure").is_visible()  # the way on when nothing matches

    page.fill("#service-search", "sampah")
    page.wait_for_function("() => /\\d/.test(document.getElementById('service-search-count').textContent)")
    shown = page.locator(".service-item:visible input[name=service]:not(#service-unsure)").count()
    assert shown > 1
    assert count.inner_text() == message(page, "services-other").replace("{n}", str(shown))

    page.fill("#service-search", "")
    page.wait_for_function("() => document.getElementById('service-search-count').textContent === ''")

    # A service already chosen stays in sight, but is not counted as matching words it does not hold.
    page.locator(".service-item input[name=service]:not(#service-unsure)").first.check()
    page.fill("#service-search", "zzzqqq")
    page.wait_for_function(
        "text => document.getElementById('service-search-count').textContent === text", arg=message(page, "no-service")
    )
    assert page.locator("#service-unsure").is_visible()


def test_a_photo_the_browser_cannot_show_gets_a_placeholder_beside_its_name(live_server, browser, city):
    page = phone(browser)
    # The server accepts the HEIC photo; this browser cannot draw it.
    page.route(
        "**/lapor/foto/",
        lambda route: route.fulfill(
            content_type="application/json", body=json.dumps({"token": "t", "name": "IMG.heic"})
        ),
    )
    page.goto(f"{live_server.url}/lapor/")
    page.set_input_files("#id_photos", files=[{"name": "IMG.heic", "mimeType": "image/heic", "buffer": b"ftypheic"}])
    kept = page.locator("li.kept-photo")
    kept.locator(".kept-photo-placeholder").wait_for()
    assert kept.locator("img").count() == 0
    assert kept.locator(".kept-photo-name").inner_text() == "IMG.heic"
