"""A password with "#", "/" or "?" in DATABASE_URL, EMAIL_URL or REDIS_URL, written as it is, cuts the URL short.
Every start stopped on "ValueError: Port could not be cast to integer value as 'Pa%23ss'": no variable named, part
of the password in the log. The start now stops naming the variable and how to write the password, never showing
it; written percent-encoded, the password reaches the database, the mail server and Redis as it is."""

import subprocess
import sys

import pytest
from django.conf import settings

from .conftest import PRODUCTION_ENV, run_manage

PASSWORD = "Sandi#Rahasia/77"  # neither half may reach the log
ENCODED = "Sandi%23Rahasia%2F77"
CUT_SHORT = {
    "DATABASE_URL": f"postgres://portal:{PASSWORD}@db.internal:5432/portal",
    "EMAIL_URL": f"smtp+tls://noreply:{PASSWORD}@smtp.banjarmasinkota.go.id:587",
    "REDIS_URL": f"redis://:{PASSWORD}@redis.internal:6379/0",
}


def production_env(**overrides) -> dict:
    return {**PRODUCTION_ENV, "ENV_FILE": "/dev/null", **overrides}


def read_settings(code: str, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings as s; {code}"],
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )


def assert_refused_naming(result: subprocess.CompletedProcess, variable: str):
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} is not a valid URL" in result.stderr
    assert "# as %23, / as %2F, ? as %3F, @ as %40" in result.stderr
    assert "Sandi" not in result.stderr and "Rahasia" not in result.stderr
    assert "Port could not be cast" not in result.stderr


@pytest.mark.parametrize("variable", sorted(CUT_SHORT))
def test_a_password_written_as_it_is_stops_the_start_naming_the_variable_not_the_password(variable):
    result = run_manage("check", env=production_env(**{variable: CUT_SHORT[variable]}))
    assert_refused_naming(result, variable)


@pytest.mark.parametrize(
    "variable, url",
    [
        # Digits before the "/": read as host "portal", port 2026, without an error of its own.
        ("DATABASE_URL", "postgres://portal:2026/Rahasia@db.internal:5432/portal"),
        ("EMAIL_URL", "smtp+tls://noreply:Sandi?Rahasia@smtp.banjarmasinkota.go.id:587"),
        ("REDIS_URL", "redis://:2026/Rahasia@redis.internal:6379/0"),
    ],
)
def test_a_password_that_would_be_read_as_another_host_is_refused_too(variable, url):
    assert_refused_naming(read_settings("print(s.DATABASES)", **{variable: url}), variable)


def test_a_percent_encoded_password_reaches_each_service_as_it_is():
    code = (
        "import redis; "
        "print(s.DATABASES['default']['PASSWORD']); print(s.EMAIL_HOST_PASSWORD); "
        "print(redis.ConnectionPool.from_url(s.REDIS_URL).connection_kwargs['password'])"
    )
    result = read_settings(
        code,
        DATABASE_URL=f"postgres://portal:{ENCODED}@db.internal:5432/portal",
        EMAIL_URL=f"smtp+tls://noreply:{ENCODED}@smtp.banjarmasinkota.go.id:587",
        REDIS_URL=f"redis://:{ENCODED}@redis.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [PASSWORD] * 3


def test_a_port_that_is_not_a_number_is_named_alike():
    result = read_settings("", DATABASE_URL="postgres://portal:kata-sandi@db.internal:54x32/portal")
    assert result.returncode != 0
    assert "DATABASE_URL is not a valid URL" in result.stderr
    assert "the port, if any, is a number" in result.stderr
