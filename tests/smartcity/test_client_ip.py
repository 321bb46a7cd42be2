"""Per-address limits behind the README's nginx count each citizen, not the proxy; a forged header counts nothing."""

import pytest
from django.test import RequestFactory

from smartcity.client_ip import client_ip

PROXY = "127.0.0.1"


def request_from(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # The citizen wrote the first entry, nginx appended the address it saw: only that one counts.
        (1, "10.0.0.1, 203.0.113.7", "203.0.113.7"),
        (2, "10.0.0.1, 203.0.113.7, 192.168.1.5", "203.0.113.7"),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
        # Not through every proxy, or nothing an address: the peer counts.
        (2, "203.0.113.7", PROXY),
        (1, "", PROXY),
        (1, None, PROXY),
        (1, "nonsense", PROXY),
        # No trusted proxy: the header is never read, whatever it says.
        (0, "203.0.113.7", PROXY),
    ],
)
def test_the_address_the_trusted_proxy_saw(settings, proxies, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from(PROXY, forwarded)) == expected


def test_no_address_at_all_is_one_shared_bucket(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("")) == "unknown"


@pytest.fixture
def one_photo_an_hour(settings):
    settings.PHOTO_UPLOAD_IP_RATE_LIMIT = settings.PHOTO_UPLOAD_RATE_LIMIT = "1/h"


def upload_status(client, forwarded) -> int:
    # No photo attached: past the limit the answer is 400 ("choose a photo"), over it 429.
    return client.post("/lapor/foto/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code


@pytest.mark.django_db
def test_photo_uploads_of_two_citizens_behind_the_proxy_are_counted_apart(client, settings, one_photo_an_hour):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert upload_status(client, "203.0.113.7") == 400
    assert upload_status(client, "203.0.113.8") == 400
    assert upload_status(client, "203.0.113.7") == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_does_not_buy_more_uploads(client, settings, one_photo_an_hour):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert upload_status(client, "203.0.113.7") == 400
    assert upload_status(client, "203.0.113.8") == 429


@pytest.mark.django_db
def test_open311_readers_behind_the_proxy_are_counted_apart(client, settings, city):
    settings.OPEN311_ANONYMOUS_RATE_LIMIT_PER_HOUR = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def status(forwarded):
        return client.get("/open311/v2/services.json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [status("203.0.113.7"), status("203.0.113.8"), status("203.0.113.7")] == [200, 200, 429]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert status("198.51.100.1") == 200  # the proxy's own bucket, first use
    assert status("198.51.100.2") == 429


@pytest.mark.django_db
def test_signed_in_uploaders_behind_one_address_each_have_their_allowance(client, settings, one_photo_an_hour, city):
    from tests.conftest import make_staff

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # one office, one public address
    for email in ("petugas.satu@banjarmasinkota.go.id", "petugas.dua@banjarmasinkota.go.id"):
        client.force_login(make_staff(email, "pupr"))
        assert upload_status(client, "") == 400
    assert upload_status(client, "") == 429  # the second technician's own second photo
    client.logout()
    assert upload_status(client, "") == 400  # a visitor at that address: counted by address, apart
