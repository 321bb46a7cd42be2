"""Login brute force runs into allauth's rate limits (ACCOUNT_RATE_LIMITS["login_failed"])."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LIMITED = "Too many failed login attempts"


def _attempt(client, email, password, ip):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en"
    )


def _limited(response) -> bool:
    return response.status_code == 429 or LIMITED in response.content.decode()


def _fresh_ip() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def test_guessing_one_accounts_password_is_stopped(client, city):
    email = f"korban-{uuid.uuid4().hex[:8]}@example.id"  # fresh key: no earlier run's counters apply
    make_user(email, password="kata-sandi-yang-benar-123")
    ip = _fresh_ip()
    responses = [_attempt(client, email, f"tebakan-{i}", ip) for i in range(8)]
    assert not _limited(responses[0])
    assert any(_limited(r) for r in responses), [r.status_code for r in responses]
    # While limited, even the right password is refused: the attacker learns nothing.
    response = _attempt(client, email, "kata-sandi-yang-benar-123", ip)
    assert _limited(response)
    assert "_auth_user_id" not in client.session


def test_spraying_many_accounts_from_one_address_is_stopped(client, city):
    ip = _fresh_ip()
    responses = [_attempt(client, f"akun-{uuid.uuid4().hex[:8]}@example.id", "password-umum-1", ip) for _ in range(14)]
    assert not _limited(responses[0])
    assert any(_limited(r) for r in responses), [r.status_code for r in responses]


def test_the_right_password_works_when_not_limited(client, city):
    email = f"warga-{uuid.uuid4().hex[:8]}@example.id"
    make_user(email, password="kata-sandi-yang-benar-123")
    response = _attempt(client, email, "kata-sandi-yang-benar-123", _fresh_ip())
    assert response.status_code == 302
