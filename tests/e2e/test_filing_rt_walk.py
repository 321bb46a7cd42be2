"""The Ketua RT walk on an Android phone (58 years old), in a browser: a chosen service's description shows under it;
choosing his kelurahan from the list takes the map there (no pin placed or moved); a "me too" halfway through his
own report says that report was not sent, keeps it, and lets him continue or discard it; buttons, link buttons and
page links on the citizen pages are at least 44 × 44 px and badges at least 14 px. Debian's chromium via Playwright.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import session_cookie
from tests.e2e.test_phone_filing import SIZES
from tests.e2e.test_phone_maps import MAWAR, ZOOM, phone, ready

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOUNDS_HOLD = """([lat, lng]) => document.getElementById('filing-map').portalMap.getBounds().contains([lat, lng])"""


def signed_in_phone(browser, user, live_server):
    page = phone(browser)
    page.context.add_cookies([session_cookie(user, live_server)])
    return page


def test_a_chosen_services_description_shows_under_it(live_server, browser, city):
    from services.models import Service

    fire = Service.objects.get(code="kebakaran")
    waste = Service.objects.get(code="sampah-menumpuk")
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    description = page.locator(f"#service-{fire.pk}-description")
    assert not description.is_visible()
    page.locator(f"label[for=service-{fire.pk}]").tap()
    description.wait_for()
    assert "Emergency: call 112." in description.inner_text()
    # Another choice: the other service's description instead.
    page.locator(f"label[for=service-{waste.pk}]").tap()
    description.wait_for(state="hidden")
    assert page.locator(f"#service-{waste.pk}-description").is_visible()


def test_choosing_the_kelurahan_takes_the_map_there_without_a_pin(live_server, browser, city):
    from services.models import Area

    mawar = Area.objects.get(code=MAWAR)
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    ready(page, "filing-map")
    whole_city = page.evaluate(ZOOM, "filing-map")

    page.select_option("#id_area", str(mawar.pk))
    page.wait_for_function(f"() => document.getElementById('filing-map').portalMap.getZoom() > {whole_city}")
    assert page.evaluate(BOUNDS_HOLD, [mawar.label_lat, mawar.label_lng])
    assert page.input_value("#id_lat") == "" and page.locator("#filing-map .leaflet-marker-icon").count() == 0

    # The tab's draft keeps the choice: the reloaded form opens the map on it as well.
    page.reload()
    ready(page, "filing-map")
    assert page.input_value("#id_area") == str(mawar.pk)
    page.wait_for_function(f"() => document.getElementById('filing-map').portalMap.getZoom() > {whole_city}")
    assert page.evaluate(BOUNDS_HOLD, [mawar.label_lat, mawar.label_lng])


def test_a_me_too_keeps_the_report_being_written_until_it_is_discarded(live_server, browser, citizen, other_citizen):
    from services.models import Area
    from tests.factories import make_ticket

    mawar = Area.objects.get(code=MAWAR)
    first = make_ticket(reporter=other_citizen, title="Sampah menumpuk di Gang Mawar", lat=None, lng=None)
    second = make_ticket(reporter=other_citizen, title="Sampah di tepi sungai Mawar", lat=None, lng=None)
    page = signed_in_phone(browser, citizen, live_server)
    page.goto(f"{live_server.url}/lapor/")
    page.check(f"#service-{first.service_id}")
    page.fill("#id_title", "Sampah di depan langgar")
    page.fill("#id_description", "Sudah seminggu tidak diangkut, baunya sampai ke rumah warga.")
    page.select_option("#id_area", str(mawar.pk))
    offer = page.locator("#similar-reports")
    offer.wait_for()

    item = offer.locator(".similar-item", has_text=first.reference)
    item.locator("button.me-too").tap()
    notice = item.locator(".me-too-draft")
    notice.wait_for()
    assert "Thank you. You now support and follow" in item.inner_text()
    assert "The report you were writing in this form was not sent." in notice.inner_text()
    assert page.url.endswith("/lapor/")  # still on the form, everything typed in it
    assert page.input_value("#id_title") == "Sampah di depan langgar"
    first.refresh_from_db()
    assert first.support_count == 1

    notice.get_by_role("button", name="Continue my report").tap()
    notice.wait_for(state="detached")
    assert page.evaluate("() => document.activeElement.id") == "id_title"

    # Kept: the page opened again has it back.
    page.reload()
    assert page.input_value("#id_title") == "Sampah di depan langgar"
    offer.wait_for()
    item = offer.locator(".similar-item", has_text=second.reference)
    item.locator("button.me-too").tap()
    item.locator(".me-too-draft").get_by_role("button", name="Discard my report").tap()
    page.wait_for_url(f"**/laporan/{second.reference}/")

    # Discarded: the form opens empty.
    page.goto(f"{live_server.url}/lapor/")
    assert page.input_value("#id_title") == ""
    assert not page.locator("#draft-restored").is_visible()


def too_small(page, selector):
    return [size for size in page.evaluate(SIZES, selector) if size[1] < 44 or size[2] < 44]


def badge_sizes(page):
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('main .badge')).map(b => parseFloat(getComputedStyle(b).fontSize))"
    )


def test_buttons_links_and_badges_of_the_citizen_pages_fit_a_finger_and_an_older_eye(
    live_server, browser, citizen, other_citizen
):
    from tests.factories import make_ticket

    mine = make_ticket(reporter=citizen, status="resolved")
    followed = make_ticket(reporter=other_citizen)
    followed.subscriptions.create(user=citizen, reason="supporter", active=True)
    page = signed_in_phone(browser, citizen, live_server)

    page.goto(f"{live_server.url}/laporan-saya/")
    page.locator("#my-reports").wait_for()
    assert too_small(page, ".btn") == []
    assert too_small(page, ".my-report") == []
    sizes = badge_sizes(page)
    assert len(sizes) >= 3 and min(sizes) >= 14  # the statuses and "following"

    page.goto(f"{live_server.url}/laporan/{mine.reference}/")
    assert page.locator("main .btn").count() >= 2
    assert too_small(page, ".btn") == []
    assert min(badge_sizes(page)) >= 14

    page.goto(f"{live_server.url}/lapor/")
    assert too_small(page, ".btn") == []
