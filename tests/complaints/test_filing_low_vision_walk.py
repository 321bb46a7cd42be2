"""The filing form after a low-vision citizen's accessibility walk (keyboard, screen reader, 200% zoom): a street
light "on the electricity pole" is no danger, while a broken cable or a fallen pole still is; "Where is it?" names
the keyboard's way (the kelurahan list and the address) and describes the map; the words a screen reader hears when
a photo is added or removed are on the page. The browser side: tests/e2e/test_filing_low_vision_walk.py."""

import re
import unicodedata

import pytest

from complaints.emergency import DANGER_WORDS


def normalise(text: str) -> str:
    """As filing-form.js's normalise(): lower case, accents dropped, spaces made one."""
    text = unicodedata.normalize("NFD", text.lower())
    return re.sub(r"\s+", " ", "".join(char for char in text if not unicodedata.combining(char)))


# As the script builds it: each word at the start of a word of the text.
DANGER = re.compile("(^|[^a-z0-9])(" + "|".join(re.escape(normalise(word)) for word in DANGER_WORDS) + ")")


@pytest.mark.parametrize(
    "text",
    [
        "Lampu di tiang listrik depan rumah mati",
        "Kabel listrik ke lampu jalan sudah tua",
        "Lampu PJU mati, tiang listrik nomor 12",
        "The lamp on the power line pole is out",
        "Sapi lepas tapi pemiliknya tidak ada",
    ],
)
def test_a_street_light_on_an_electricity_pole_is_no_danger(text):
    assert DANGER.search(normalise(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "Kabel listrik putus di jalan",
        "Tiang listrik roboh menimpa rumah",
        "Tiang  listrik tumbang setelah hujan",
        "Ada percikan dari kabel",
        "Anak kesetrum di tiang",
        "Kabel putus menjuntai",
        "Power line down on Jalan A. Yani",
    ],
)
def test_a_broken_cable_or_a_fallen_pole_still_is(text):
    assert DANGER.search(normalise(text)) is not None


def test_where_is_it_names_the_keyboards_way_and_describes_the_map(client, city):
    page = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="where-hint"' in page
    assert "or choose the kelurahan and write the address below." in page
    assert '<a href="#id_area" class="skip-map">Skip the map</a>' in page
    assert 'aria-describedby="where-hint"' in page[page.index('id="filing-map"') :]
    # Before the map and its zoom buttons.
    assert page.index('class="skip-map"') < page.index('id="filing-map"')


def test_the_photo_announcements_are_on_the_page(client, city):
    page = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-msg-photo-added="{name} added ({n} of {max} photos)."' in page
    assert 'data-msg-photo-removed="{name} removed ({n} of {max} photos)."' in page
    assert '<div id="photo-status" class="visually-hidden" aria-live="polite"></div>' in page
