"""A Dinas PUPR field technician works a ticket on a 360 × 740 Android phone over a slow network: the resolution's
photos are refused at once when too large or no picture, shrunk on the phone (1600 px, upright) and sent as they are
picked with their progress shown, and the form then carries only their tokens. Debian's chromium via Playwright."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_staff_flow import signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLOW = {"offline": False, "latency": 150, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
FAST = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def technician_phone(browser, live_server, user):
    page = signed_in_page(browser, live_server, user)
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def open_resolve(page, url):
    page.goto(url)
    page.click("#action-resolve .accordion-button")
    page.wait_for_selector("#action-body-resolve.show")


def camera_photo() -> bytes:
    """A 4000 × 3000 photo held upright (EXIF orientation 6: turn it a quarter): red on the left of the stored picture,
    which is the top of the photo as taken."""
    picture = Image.new("RGB", (4000, 3000), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 2000, 3000))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def road(city, staff_pupr):
    return make_ticket(service="jalan-rusak", status="in_progress", assignee=staff_pupr)


def test_a_resolution_photo_is_shrunk_on_the_phone_and_sent_as_it_is_picked(live_server, browser, road, staff_pupr):
    from complaints.models import Attachment, Status
    from complaints.photos import MAX_SIDE

    page = technician_phone(browser, live_server, staff_pupr)
    photo_bodies, action_bodies = [], []

    def keep_what_is_sent(bodies):
        def handler(route):
            bodies.append(route.request.post_data_buffer)
            route.continue_()

        return handler

    page.route("**/lapor/foto/", keep_what_is_sent(photo_bodies))
    page.route("**/aksi/resolve/", keep_what_is_sent(action_bodies))
    open_resolve(page, f"{live_server.url}/staf/tiket/{road.reference}/")
    original = camera_photo()
    page.set_input_files(
        "#id_resolve-photos", files=[{"name": "IMG_4000.jpg", "mimeType": "image/jpeg", "buffer": original}]
    )
    page.wait_for_selector("#form-resolve li.picked-photo")
    body = photo_bodies[0]
    sent = body[body.index(b"\xff\xd8") :]
    picture = Image.open(io.BytesIO(sent))
    assert len(sent) < len(original)
    assert picture.size == (round(3000 * MAX_SIDE / 4000), MAX_SIDE)  # upright, the server's size
    assert picture.getpixel((picture.width // 2, 10))[0] > 200  # red at the top
    page.fill("#id_resolve-note", "Lubang jalan sudah ditambal.")
    with page.expect_navigation():
        page.click("#form-resolve button[type=submit]")
    # The form carried the photo's token, not the photo again.
    assert len(action_bodies) == 1 and b"\xff\xd8" not in action_bodies[0]
    road.refresh_from_db()
    assert road.status == Status.RESOLVED
    stored = Attachment.objects.get(ticket=road, purpose=Attachment.Purpose.RESOLUTION)
    assert stored.pk


def test_a_resolution_photo_too_large_or_no_picture_is_refused_before_it_is_sent(
    live_server, browser, road, staff_pupr
):
    from complaints.photos import MAX_PHOTO_BYTES

    page = technician_phone(browser, live_server, staff_pupr)
    sent = []
    page.on("request", lambda r: r.url.endswith("/lapor/foto/") and sent.append(r))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    open_resolve(page, f"{live_server.url}/staf/tiket/{road.reference}/")
    big = {"name": "IMG_big.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" + b"\0" * MAX_PHOTO_BYTES}
    page.set_input_files("#id_resolve-photos", files=[big])
    refusals = page.locator("#form-resolve .photo-refusals")
    assert refusals.inner_text() == "IMG_big.jpg is larger than 10 MB. Please choose a smaller photo."
    assert page.locator("#id_resolve-photos").get_attribute("aria-invalid") == "true"
    pdf = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
    page.set_input_files("#id_resolve-photos", files=[pdf])
    assert refusals.inner_text() == (
        "scan.pdf is not a photo we can read. Please choose a JPEG, PNG, WebP or HEIC image."
    )
    page.wait_for_timeout(500)
    assert sent == []


def test_a_resolution_photo_on_its_way_shows_how_much_is_sent_and_holds_the_form(
    live_server, browser, road, staff_pupr
):
    from complaints.models import Attachment, Status

    page = technician_phone(browser, live_server, staff_pupr)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    open_resolve(page, f"{live_server.url}/staf/tiket/{road.reference}/")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    # A PNG (not made smaller) of noise: seconds on a slow upload.
    noise = Image.frombytes("RGB", (400, 500), os.urandom(400 * 500 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    page.set_input_files(
        "#id_resolve-photos", files=[{"name": "noise.png", "mimeType": "image/png", "buffer": out.getvalue()}]
    )
    page.wait_for_function(
        "() => { const bar = document.querySelector('#form-resolve progress');"
        " return bar && !bar.classList.contains('d-none') && bar.value > 5 && bar.value < 95; }"
    )
    line = page.locator("#form-resolve li.photo-pending").inner_text()
    assert line.startswith("Sending the photo… noise.png")
    # Saving meanwhile waits for the photo, and says so; then the form goes by itself.
    page.fill("#id_resolve-note", "Lubang jalan sudah ditambal.")
    page.click("#form-resolve button[type=submit]")
    status = page.locator("#form-resolve .photo-wait-status")
    assert status.inner_text().startswith("Wait, the photos are still uploading")
    with page.expect_navigation(timeout=TIMEOUT_MS * 2):
        cdp.send("Network.emulateNetworkConditions", FAST)
    road.refresh_from_db()
    assert road.status == Status.RESOLVED
    assert Attachment.objects.filter(ticket=road, purpose=Attachment.Purpose.RESOLUTION).count() == 1
