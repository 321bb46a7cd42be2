"""A mistyped rate setting ("10/mn", "ten/m", "5/5x") is named by ``manage.py check`` and stops runserver and
gunicorn's start (accounts.checks.rates_readable), where it made every sign-in, sign-up or filing a server error while
the portal seemed to run."""

from __future__ import annotations

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from accounts.checks import RATES_TAG, rate_settings, refuse_mistyped_rates


def _rate_errors():
    return [message for message in checks.run_checks(tags=[RATES_TAG]) if message.is_serious()]


def test_the_shipped_rates_pass():
    assert {"FILING_RATE_LIMIT", "LOGIN_FAILED_ACCOUNT_RATE_LIMIT", "API_ANONYMOUS_READ_RATE"} <= set(rate_settings())
    assert _rate_errors() == []
    refuse_mistyped_rates()


@pytest.mark.parametrize("value", ["10/mn", "ten/m", "5/5x", "0/h", "10"])
def test_a_mistyped_rate_is_named_with_its_value_and_a_good_one(settings, value):
    settings.FILING_RATE_LIMIT = value
    (error,) = _rate_errors()
    assert error.id == "accounts.E002" and error.level == checks.ERROR
    assert f"FILING_RATE_LIMIT is {value!r}" in error.msg
    assert "FILING_RATE_LIMIT=10/h" in error.hint


def test_a_mistyped_account_limit_is_named_once_under_its_own_setting(settings):
    """The sign-in settings are written into allauth's ACCOUNT_RATE_LIMITS: the operator reads the setting they set."""
    settings.LOGIN_FAILED_ACCOUNT_RATE_LIMIT = "5/5x"
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "5/5x/key,100/m/ip"}
    assert [error.msg.partition(" is ")[0] for error in _rate_errors()] == ["LOGIN_FAILED_ACCOUNT_RATE_LIMIT"]


def test_allauths_own_limits_are_read_as_allauth_reads_them(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "change_password": "5/m/user",
        "manage_email": None,  # allauth's way to turn a limit off
        "reauthenticate": "10/m/person",
    }
    (error,) = _rate_errors()
    assert error.id == "accounts.E003"
    assert "ACCOUNT_RATE_LIMITS['reauthenticate'] is '10/m/person'" in error.msg
    assert "20/m/ip,5/m/key" in error.hint


def test_manage_py_check_and_gunicorns_start_stop_on_it(settings):
    settings.SUPPORT_IP_RATE_LIMIT = "30/jam"
    with pytest.raises(SystemCheckError, match="SUPPORT_IP_RATE_LIMIT is '30/jam'"):
        call_command("check", tags=[RATES_TAG])
    with pytest.raises(ImproperlyConfigured, match="SUPPORT_IP_RATE_LIMIT"):
        refuse_mistyped_rates()
