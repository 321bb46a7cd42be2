"""The filing form's script keeps as many photos as the server takes, read from the photo picker
(``data-max-photos``, from ``complaints.photos.MAX_PHOTOS`` through ``FilingForm.max_photos``) instead of its own
``var MAX_PHOTOS = 3``: one more is refused at once, with the page's "Please add at most N photos."."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEPT = "() => document.querySelectorAll('#kept-photos li.kept-photo').length"


def pick_photos(browser, live_server, how_many: int):
    """An English filing form with ``how_many`` photos picked at once, once the picks are answered."""
    from tests.complaints.conftest import jpeg_bytes

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    photo = jpeg_bytes(size=(64, 48), gps=None)
    files = [{"name": f"foto{i}.jpg", "mimeType": "image/jpeg", "buffer": photo} for i in range(1, how_many + 1)]
    page.set_input_files("#id_photos", files=files)
    page.wait_for_function("() => document.getElementById('photo-errors').textContent.trim() !== ''")
    page.wait_for_function(f"() => ({KEPT})() === {how_many - 1}")
    page.wait_for_function("() => !document.querySelector('#kept-photos li:not(.kept-photo)')")  # none on its way
    return page


def test_the_script_keeps_as_many_photos_as_the_server_takes(live_server, browser, city, monkeypatch):
    from complaints import forms

    page = pick_photos(browser, live_server, 4)
    assert page.evaluate(f"({KEPT})()") == 3  # as before
    assert page.locator("#photo-errors").inner_text().strip() == "Please add at most 3 photos."
    page.context.close()

    monkeypatch.setattr(forms.FilingForm, "max_photos", 2)  # the live server runs in this process
    page = pick_photos(browser, live_server, 3)
    assert page.evaluate(f"({KEPT})()") == 2
    assert page.locator("#photo-errors").inner_text().strip() == "Please add at most 2 photos."
