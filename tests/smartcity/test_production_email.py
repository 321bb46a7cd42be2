"""Production mode refuses mail backends that print or keep emails instead of sending them: with
EMAIL_URL=consolemail:// every password-reset key went unredacted into the web's log, while the README promises that
such links are never stored nor logged. A staging server that must email nobody says so (STAGING_LOCAL_EMAIL)."""

import pytest

from .test_production_empty_values import import_production_settings


@pytest.mark.parametrize("email_url", ["consolemail://", "filemail:///tmp/lapor-mail", "memorymail://"])
def test_a_mail_backend_that_prints_or_keeps_emails_stops_the_start(email_url):
    result = import_production_settings(EMAIL_URL=email_url)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_URL must name a mail server in production" in result.stderr
    assert f"{email_url.split(':')[0]}://" in result.stderr and "STAGING_LOCAL_EMAIL=true" in result.stderr


@pytest.mark.parametrize("email_url", ["consolemail://", "filemail:///tmp/lapor-mail", "memorymail://"])
def test_a_staging_server_may_keep_its_emails_when_it_says_so(email_url):
    result = import_production_settings(EMAIL_URL=email_url, STAGING_LOCAL_EMAIL="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("staging", ["false", ""])
def test_only_an_explicit_yes_lets_the_console_through(staging):
    result = import_production_settings(EMAIL_URL="consolemail://", STAGING_LOCAL_EMAIL=staging)
    assert result.returncode != 0
    assert "EMAIL_URL must name a mail server in production" in result.stderr


def test_a_backend_that_sends_and_keeps_nothing_is_accepted():
    """dummymail:// leaks nothing: the benchmarks and load tests run production mode with it."""
    result = import_production_settings(EMAIL_URL="dummymail://")
    assert result.returncode == 0, result.stderr
