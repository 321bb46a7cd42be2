"""Photos are checked as a citizen picks them (``/lapor/foto/``), before the form is sent. Guests are counted by
internet address, and a mobile network puts thousands of phones behind one (CGNAT): their allowance was 60 an hour
for everyone behind it, while that address may file 60 reports of 3 photos each."""

import pytest
from django.core.cache import cache

from .conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

CARRIER_ADDRESS = "114.125.0.9"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def pick(client) -> int:
    return client.post("/lapor/foto/", {"photo": upload(jpeg_bytes())}, REMOTE_ADDR=CARRIER_ADDRESS).status_code


def test_twenty_five_guests_behind_one_carrier_address_each_attach_three_photos(client, city):
    statuses = [pick(client) for _guest in range(25) for _photo in range(3)]
    assert statuses == [200] * 75


def test_a_flood_of_photos_from_one_address_is_still_stopped(client, city, settings):
    settings.PHOTO_UPLOAD_IP_RATE_LIMIT = "5/h"
    assert [pick(client) for _ in range(6)] == [200] * 5 + [429]


def test_a_signed_in_account_keeps_its_own_allowance_behind_a_flooded_address(client, city, citizen, settings):
    settings.PHOTO_UPLOAD_IP_RATE_LIMIT = "2/h"
    settings.PHOTO_UPLOAD_RATE_LIMIT = "3/h"
    assert [pick(client) for _ in range(3)] == [200, 200, 429]
    client.force_login(citizen)
    assert [pick(client) for _ in range(4)] == [200, 200, 200, 429]
