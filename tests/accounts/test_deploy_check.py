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


def test_the_development_key_is_an_error(settings):
    """A server started without its settings module ran on the key written in the repository; Django's own key check
    let it pass (long, without Django's "insecure" prefix)."""
    from smartcity.environment import DEVELOPMENT_SECRET_KEY

    settings.SECRET_KEY = DEVELOPMENT_SECRET_KEY
    found = checks.run_checks(include_deployment_checks=True, tags=["security"])
    (error,) = [message for message in found if message.id == "accounts.E001"]
    assert error.level == checks.ERROR and "smartcity.settings.production" in error.hint
    settings.SECRET_KEY = "k" * 64
    assert "accounts.E001" not in _warnings()


def test_the_laptop_settings_without_debug_are_named(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "smartcity.settings.base")
    assert "accounts.W002" in _warnings()
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "smartcity.settings.production")
    assert "accounts.W002" not in _warnings()
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "smartcity.settings.base")
    settings.DEBUG = True  # make run's laptop
    assert "accounts.W002" not in _warnings()
