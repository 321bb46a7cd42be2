"""A citizen signs up, files a complaint with a pin and a photo, follows it to the right department,
confirms and rates the fix; a neighbour filing near it is offered "me too". Debian's chromium via Playwright."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail

from tests.complaints.conftest import jpeg_bytes
from tests.conftest import make_user
from tests.e2e.conftest import ARTIFACTS, TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tasks_run(settings, request):
    """Routing and photo processing: a real worker when Redis is configured, in-process otherwise."""
    if settings.REDIS_URL:
        return request.getfixturevalue("live_worker")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return None


def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID", device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Browser-side errors end up in the test's captured output when it fails.
    page.on("console", lambda message: print("console:", message.type, message.text))
    page.on("pageerror", lambda error: print("page error:", error))
    page.on("response", lambda r: r.status >= 400 and print("http", r.status, r.url))
    return page


def tap_map_at(page, lat: float, lng: float) -> None:
    page.wait_for_function("() => document.getElementById('filing-map').portalMap.boundaryLayer !== undefined")
    x, y = page.evaluate(
        """([lat, lng]) => { const map = document.getElementById('filing-map').portalMap;
             map.setView([lat, lng], 16, {animate: false});
             const p = map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }""",
        [lat, lng],
    )
    page.locator("#filing-map").click(position={"x": x, "y": y})


def sign_up(page, base: str, email: str) -> None:
    page.goto(f"{base}/akun/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", "Banjarmasin-Bungas-2026")
    page.fill("input[name=password2]", "Banjarmasin-Bungas-2026")
    page.press("input[name=password2]", "Enter")
    page.wait_for_load_state()
    if not settings.DEMO_MODE:
        message = next(m for m in reversed(mail.outbox) if email in m.to)
        link = re.search(r"https?://\S+/akun/confirm-email/\S+", message.body).group(0)
        page.goto(base + link[link.index("/akun/") :])
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    if page.locator("form[action*='logout']").count() == 0:
        log_in(page, base, email, "Banjarmasin-Bungas-2026")


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("form[action*='logout']", state="attached")


def test_citizen_files_follows_and_closes_a_complaint(live_server, browser, city, staff_dlh, tasks_run):
    from complaints.actions import resolve_ticket
    from complaints.models import Rating, Status, Ticket
    from services.models import Area, Service

    base = live_server.url
    waste = Service.objects.get(code="sampah-menumpuk")
    mawar = Area.objects.get(code="63.71.05.1003")

    # 1. Sign up and file with a pin and a photo, on a 360 px phone screen.
    page = phone(browser)
    sign_up(page, base, "rahmah@example.id")
    page.goto(f"{base}/lapor/")
    page.fill("#service-search", "sampah")
    page.check(f"#service-{waste.pk}")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    page.wait_for_function("() => document.getElementById('pin-status').textContent.includes('Mawar')")
    page.fill("#id_title", "Sampah menumpuk di Gang Mawar")
    page.fill("#id_description", "Sudah seminggu sampah tidak diangkut, baunya sampai ke rumah warga.")
    page.set_input_files("#id_photos", files=[{"name": "sampah.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    page.wait_for_selector("input[name=photo_tokens]", state="attached")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "filing-form-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    page.click("#submit-report")
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"BJM-\d{4}-\d{6}", reference)
    ticket = Ticket.objects.get(reference=reference)
    assert ticket.attachments.count() == 1 and ticket.area == mawar

    # 2. Routed to the right department, visible in "my reports".
    for _ in range(30):
        page.goto(f"{base}/laporan-saya/")
        if "DLH" in page.locator(".my-report .department").first.inner_text():
            break
        page.wait_for_timeout(1000)
    assert "DLH" in page.locator(".my-report .department").first.inner_text()
    ticket.refresh_from_db()
    assert ticket.status == Status.ROUTED and ticket.department.code == "dlh"
    page.goto(f"{base}/laporan/{reference}/")
    assert "DLH" in page.locator("#timeline").inner_text()
    page.screenshot(path=str(ARTIFACTS / "ticket-page-360.png"), full_page=True)

    # 3. A neighbour filing the same problem nearby is offered "me too" and takes it.
    from allauth.account.models import EmailAddress

    budi = make_user("tetangga@example.id", full_name="Budi Tetangga")
    EmailAddress.objects.create(user=budi, email=budi.email, verified=True, primary=True)
    neighbour = phone(browser)
    log_in(neighbour, base, "tetangga@example.id", "rahasia-kota-123")
    neighbour.goto(f"{base}/lapor/")
    neighbour.check(f"#service-{waste.pk}")
    tap_map_at(neighbour, mawar.label_lat + 0.0005, mawar.label_lng)
    offer = neighbour.locator("#similar-reports")
    offer.wait_for()
    assert reference in offer.inner_text()
    offer.locator("button.me-too").first.click()
    # The form says the neighbour's own report was not sent; he had nothing more to say: discarded, the report opens.
    offer.locator(".me-too-draft .me-too-discard").click()
    neighbour.wait_for_selector("#support-count")
    assert neighbour.locator("#support-count").inner_text().strip() == "1"

    neighbour.goto(f"{base}/laporan/")
    neighbour.wait_for_function("() => document.querySelectorAll('#public-map path.leaflet-interactive').length > 52")
    neighbour.screenshot(path=str(ARTIFACTS / "public-list-360.png"), full_page=True)

    # 4. The department resolves it (the staff action), the citizen confirms and rates.
    resolve_ticket(ticket=ticket, actor=staff_dlh, note="Sampah sudah diangkut truk DLH pagi ini.")
    page.goto(f"{base}/laporan/{reference}/")
    assert "Sampah sudah diangkut truk DLH pagi ini." in page.locator("#timeline").inner_text()
    page.click("#confirm-fixed-open")  # closing is final: a second step confirms it
    page.click("#confirm-fixed")
    page.wait_for_selector("#rating-form")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    page.locator("label[for=score-5]").click()
    page.fill("#id_comment", "Cepat ditangani, terima kasih.")
    page.click("#send-rating")
    page.wait_for_load_state()
    rating = Rating.objects.get(ticket=ticket)
    assert rating.score == 5 and rating.comment == "Cepat ditangani, terima kasih."


def test_the_pin_shows_when_static_files_carry_hashed_names(live_server, browser, city):
    """Production serves leaflet.css with hashed image names (whitenoise's manifest); Leaflet's own guess of its
    marker folder then fails and the citizen sees no pin. The browser here is handed such a stylesheet."""
    from services.models import Area

    page = phone(browser)

    def hashed_leaflet_css(route):
        body = route.fetch().text().replace("images/marker-icon.png", "images/marker-icon.2273e3d8ad92.png")
        route.fulfill(status=200, content_type="text/css", body=body)

    page.route("**/vendor/leaflet/leaflet*.css", hashed_leaflet_css)
    page.goto(f"{live_server.url}/lapor/")
    mawar = Area.objects.get(code="63.71.05.1003")
    tap_map_at(page, mawar.label_lat, mawar.label_lng)
    pin = page.locator("#filing-map img.leaflet-marker-icon")
    pin.wait_for()
    page.wait_for_function("() => document.querySelector('#filing-map img.leaflet-marker-icon').complete")
    assert pin.evaluate("img => img.naturalWidth") > 0, pin.get_attribute("src")


def test_tab_leaves_the_filing_map_without_visiting_every_kelurahan_outline(live_server, browser, city):
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    page.wait_for_function("() => document.getElementById('filing-map').portalMap.boundaryLayer !== undefined")
    page.focus("#filing-map")
    stops_in_map = []
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#filing-map') === null"):
            break
        stops_in_map.append(page.evaluate("document.activeElement.tagName.toLowerCase()"))
    # The zoom buttons (and the attribution's links) are real stops; the 52 outlines are not.
    assert "path" not in stops_in_map and len(stops_in_map) < 5, stops_in_map
