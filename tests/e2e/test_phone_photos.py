"""Photos from a phone on a slow connection: a photo over the server's limit (or no picture at all) is refused at once
with the server's own words, before a byte is sent; a photo larger than the server keeps is made smaller on the
phone (upright, its location kept for "Use the photo's location"); and the sending shows how far it is. Debian's
chromium via Playwright, a 390 × 844 touch screen."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from tests.complaints.conftest import GPS_IN_CITY, jpeg_bytes
from tests.e2e.test_phone_maps import phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def photo_checks(page) -> list:
    sent: list = []
    page.on("request", lambda r: r.url.endswith("/lapor/foto/") and sent.append(r))
    return sent


def test_a_photo_over_the_limit_is_refused_before_it_is_sent(live_server, browser, city):
    from complaints.photos import MAX_PHOTO_BYTES

    page = phone(browser)
    sent = photo_checks(page)
    page.goto(f"{live_server.url}/lapor/")
    big = {"name": "IMG_big.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" + b"\0" * MAX_PHOTO_BYTES}
    page.set_input_files("#id_photos", files=[big])
    errors = page.locator("#photo-errors")
    assert errors.inner_text() == "IMG_big.jpg is larger than 10 MB. Please choose a smaller photo."
    assert page.locator("#id_photos").get_attribute("aria-invalid") == "true"
    # A PDF is no photo either: said at once too.
    pdf = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
    page.set_input_files("#id_photos", files=[pdf])
    assert errors.inner_text() == (
        "scan.pdf is not a photo we can read. Please choose a JPEG, PNG, WebP or HEIC image."
    )
    page.wait_for_timeout(500)
    assert sent == []
    assert page.locator("#kept-photos li").count() == 0


def test_a_large_photo_is_made_smaller_on_the_phone_upright_and_with_its_location(live_server, browser, city):
    from complaints.photos import MAX_SIDE

    # A 3000 × 2000 camera photo held upright (EXIF orientation 6: turn it a quarter): red on the left of the stored
    # picture, which is the top of the photo as taken.
    picture = Image.new("RGB", (3000, 2000), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 1500, 2000))
    camera = Image.open(io.BytesIO(jpeg_bytes(size=(8, 8), orientation=6)))  # the camera's EXIF, GPS included
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95, exif=camera.getexif().tobytes())
    original = out.getvalue()

    page = phone(browser)
    received = []

    def keep_what_is_sent(route):
        received.append(route.request.post_data_buffer)
        route.continue_()

    page.route("**/lapor/foto/", keep_what_is_sent)
    page.goto(f"{live_server.url}/lapor/")
    page.set_input_files("#id_photos", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": original}])
    page.wait_for_selector("li.kept-photo")
    body = received[0]
    sent = body[body.index(b"\xff\xd8") :]
    photo = Image.open(io.BytesIO(sent))
    assert len(sent) < len(original)
    assert photo.size == (round(2000 * MAX_SIDE / 3000), MAX_SIDE)  # upright, the server's size
    assert photo.getexif().get(0x0112) == 1  # turned already: the server must not turn it again
    assert photo.getpixel((photo.width // 2, 10))[0] > 200  # red at the top
    assert photo.getpixel((photo.width // 2, photo.height - 10))[2] > 200  # blue at the bottom
    # The camera's location came along: the page offers it as the pin.
    page.locator("#use-photo-location").click()
    page.wait_for_function("() => document.getElementById('id_lat').value !== ''")
    assert float(page.locator("#id_lat").input_value()) == pytest.approx(GPS_IN_CITY[0], abs=1e-3)


def test_a_photo_on_its_way_shows_how_much_is_sent(live_server, browser, city):
    page = phone(browser)
    page.goto(f"{live_server.url}/lapor/")
    # Slow 3G's upload (~50 KB/s); a 600 KB PNG (no JPEG: not made smaller) takes seconds.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 100, "downloadThroughput": 50_000, "uploadThroughput": 50_000},
    )
    noise = Image.frombytes("RGB", (400, 500), os.urandom(400 * 500 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    page.set_input_files("#id_photos", files=[{"name": "noise.png", "mimeType": "image/png", "buffer": out.getvalue()}])
    bar = page.locator("#kept-photos progress")
    page.wait_for_function(
        "() => { const bar = document.querySelector('#kept-photos progress');"
        " return bar && !bar.classList.contains('d-none') && bar.value > 5 && bar.value < 95; }"
    )
    line = page.locator("#kept-photos li").first.inner_text()
    assert line.startswith("Sending the photo… noise.png")
    assert f"{bar.evaluate('b => b.value')}%" in line
    assert bar.get_attribute("aria-label") == "noise.png"
    fast = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    cdp.send("Network.emulateNetworkConditions", fast)
    page.wait_for_selector("li.kept-photo", timeout=60_000)
