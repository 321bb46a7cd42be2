"""Every link an account email carries starts with SITE_URL, whatever Host header the request that sent it named.

A penetration test asked for a password reset with ``Host: localhost:9999``: ALLOWED_HOSTS ignores ports, and allauth
built the emailed key link from the request, so it pointed at ``http://localhost:9999/akun/password/reset/key/...``
(any port, or any other allowed name such as a health check's IP address, could be made to carry the key)."""

from __future__ import annotations

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SITE_URL = "https://lapor.banjarmasinkota.go.id"
PASSWORD = "Kota-Seribu-Sungai-2026"
# Names ALLOWED_HOSTS accepts (the test settings' defaults), with a port nobody serves.
SPOOFED_HOSTS = ["localhost:9999", "127.0.0.1:8443"]


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SITE_URL = SITE_URL


def _fresh_ip() -> str:
    """An address allauth's per-address limits have not counted yet (their counters outlive a test)."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def _fresh_email() -> str:
    return f"warga.{uuid.uuid4().hex[:10]}@example.id"


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def _assert_every_link_is_on_the_site(message, path: str, host: str) -> None:
    links = _links(message)
    assert any(link.startswith(f"{SITE_URL}{path}") for link in links), message.body
    assert all(link.startswith(f"{SITE_URL}/") for link in links), links
    assert host not in message.body and host.split(":")[1] not in message.body


@pytest.mark.parametrize("host", SPOOFED_HOSTS)
def test_a_password_reset_key_link_ignores_the_requests_host(client, host):
    user = make_user(_fresh_email())
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post("/akun/password/reset/", {"email": user.email}, HTTP_HOST=host, REMOTE_ADDR=_fresh_ip())
    assert response.status_code == 302
    (message,) = mail.outbox
    _assert_every_link_is_on_the_site(message, "/akun/password/reset/key/", host)


@pytest.mark.parametrize("host", SPOOFED_HOSTS)
def test_a_sign_up_confirmation_link_ignores_the_requests_host(client, host):
    email = _fresh_email()
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/akun/signup/", data, HTTP_HOST=host, REMOTE_ADDR=_fresh_ip())
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [email]
    _assert_every_link_is_on_the_site(message, "/akun/confirm-email/", host)


def test_the_account_already_exists_email_links_to_the_site(client):
    """Signing up again with a known address emails the owner links to sign up and to reset the password."""
    host = SPOOFED_HOSTS[0]
    email = _fresh_email()
    make_user(email)
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    client.post("/akun/signup/", data, HTTP_HOST=host, REMOTE_ADDR=_fresh_ip())
    (message,) = mail.outbox
    _assert_every_link_is_on_the_site(message, "/akun/password/reset/", host)


def test_the_unknown_account_email_links_to_the_site(client):
    """A reset asked for an address without an account emails a link to sign up instead."""
    host = SPOOFED_HOSTS[0]
    client.post("/akun/password/reset/", {"email": _fresh_email()}, HTTP_HOST=host, REMOTE_ADDR=_fresh_ip())
    (message,) = mail.outbox
    _assert_every_link_is_on_the_site(message, "/akun/signup/", host)


def test_an_email_change_confirmation_link_ignores_the_requests_host(client):
    host = SPOOFED_HOSTS[1]
    user = make_user(_fresh_email())
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    new_address = _fresh_email()
    client.post("/akun/email/", {"action_add": "", "email": new_address}, HTTP_HOST=host, REMOTE_ADDR=_fresh_ip())
    (message,) = mail.outbox
    assert message.to == [new_address]
    _assert_every_link_is_on_the_site(message, "/akun/confirm-email/", host)
