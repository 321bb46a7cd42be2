"""Login brute force runs into allauth's rate limits (ACCOUNT_RATE_LIMITS["login_failed"], from
LOGIN_FAILED_ACCOUNT_RATE_LIMIT and LOGIN_FAILED_IP_RATE_LIMIT): guessing one account's password is stopped by the
account's limit, from however many addresses; the address's limit only stops a flood, since a mobile network puts
thousands of citizens behind one address (CGNAT)."""

from __future__ import annotations

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from complaints.ratelimit import parse_rate
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LIMITED = "Too many failed login attempts"
PASSWORD = "kata-sandi-yang-benar-123"
CARRIER_ADDRESS = "114.122.0.9"  # a mobile network's shared address


def _attempt(client, email, password, ip):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en"
    )


def _limited(response) -> bool:
    return response.status_code == 429 or LIMITED in response.content.decode()


def _fresh_ip() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def _citizen(email: str):
    """An account that may sign in: its address confirmed."""
    user = make_user(email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _signs_in(client, email, ip) -> bool:
    client.logout()
    signed_in = _attempt(client, email, PASSWORD, ip).status_code == 302 and "_auth_user_id" in client.session
    client.logout()
    return signed_in


def test_guessing_one_accounts_password_is_stopped_from_any_number_of_addresses(client, city):
    email = f"korban-{uuid.uuid4().hex[:8]}@example.id"  # fresh key: no earlier run's counters apply
    make_user(email, password=PASSWORD)
    allowed, _seconds = parse_rate(settings.LOGIN_FAILED_ACCOUNT_RATE_LIMIT)
    # Each guess from another address: the address's limit plays no part.
    responses = [_attempt(client, email, f"tebakan-{i}", _fresh_ip()) for i in range(allowed + 1)]
    assert not any(_limited(response) for response in responses[:allowed])
    assert _limited(responses[allowed]), [response.status_code for response in responses]
    # While limited, even the right password is refused: the attacker learns nothing.
    assert _limited(_attempt(client, email, PASSWORD, _fresh_ip()))
    assert "_auth_user_id" not in client.session


def test_a_locked_account_does_not_lock_its_neighbours_on_the_same_mobile_network(client, city):
    victim, neighbour = (f"{who}-{uuid.uuid4().hex[:8]}@example.id" for who in ("korban", "tetangga"))
    _citizen(victim)
    _citizen(neighbour)
    # Past the account's limit and past the address's: the tries the account's limit refuses are not the address's.
    address_allows, _seconds = parse_rate(settings.LOGIN_FAILED_IP_RATE_LIMIT)
    for i in range(address_allows + 5):
        _attempt(client, victim, f"tebakan-{i}", CARRIER_ADDRESS)
    assert _limited(_attempt(client, victim, PASSWORD, CARRIER_ADDRESS))
    assert _signs_in(client, neighbour, CARRIER_ADDRESS)


def test_twelve_citizens_behind_one_address_who_each_mistype_once_can_sign_in(client, city):
    emails = [f"warga{i}-{uuid.uuid4().hex[:8]}@example.id" for i in range(12)]
    for email in emails:
        _citizen(email)
    for email in emails:
        assert not _limited(_attempt(client, email, "salah-ketik-1", CARRIER_ADDRESS)), email
    assert [email for email in emails if not _signs_in(client, email, CARRIER_ADDRESS)] == []


def test_a_flood_of_failed_sign_ins_from_one_address_is_stopped(client, city):
    allowed, _seconds = parse_rate(settings.LOGIN_FAILED_IP_RATE_LIMIT)
    ip = _fresh_ip()
    responses = [_attempt(client, f"akun-{i}@example.id", "password-umum-1", ip) for i in range(allowed + 1)]
    assert not _limited(responses[0])
    assert _limited(responses[allowed]), [response.status_code for response in responses[-3:]]
    # The right password of an account never guessed at is refused too while the address is flooded.
    email = f"warga-{uuid.uuid4().hex[:8]}@example.id"
    make_user(email, password=PASSWORD)
    assert _limited(_attempt(client, email, PASSWORD, ip))


def test_the_right_password_works_when_not_limited(client, city):
    email = f"warga-{uuid.uuid4().hex[:8]}@example.id"
    make_user(email, password=PASSWORD)
    response = _attempt(client, email, PASSWORD, _fresh_ip())
    assert response.status_code == 302
