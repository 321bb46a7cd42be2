"""`manage.py check --deploy` warns a city that left ALLAUTH_TRUSTED_PROXY_COUNT at 0 behind its proxy: every visitor
would count as 127.0.0.1, and ten wrong passwords a minute from anyone would lock the whole city out."""

from __future__ import annotations

from django.core import checks


def _warnings():
    return [message.id for message in checks.run_checks(include_deployment_checks=True, tags=["security"])]


def test_zero_proxies_behind_a_proxy_is_named(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert "accounts.W001" in _warnings()
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert "accounts.W001" not in _warnings()


def test_no_proxy_no_warning(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert "accounts.W001" not in _warnings()
