"""Production mode refuses a required variable that is present but empty ("SECRET_KEY=" in the environment file)
as it refuses a missing one, and a SITE_URL that is not an absolute address: each would otherwise pass `check` and
fail later (every page a 500, every request a 400 with /healthz too, relative links in the emails)."""

import subprocess
import sys

import pytest
from django.conf import settings

from .conftest import PRODUCTION_ENV


def import_production_settings(**overrides) -> subprocess.CompletedProcess:
    env = {**PRODUCTION_ENV, "ENV_FILE": "/dev/null", **overrides}  # and no developer's .env
    return subprocess.run(
        [sys.executable, "-c", "import smartcity.settings.production as s; print(s.ALLOWED_HOSTS, s.SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )


def test_the_production_environment_of_the_tests_is_accepted():
    result = import_production_settings()
    assert result.returncode == 0, result.stderr
    assert "lapor.banjarmasinkota.go.id" in result.stdout


@pytest.mark.parametrize(
    "variable, empty",
    [
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "   "),
        ("ALLOWED_HOSTS", ""),
        ("ALLOWED_HOSTS", " , "),
        ("SITE_URL", ""),
        ("DATABASE_URL", ""),
        ("REDIS_URL", ""),
        ("EMAIL_URL", ""),
    ],
)
def test_an_empty_required_variable_stops_the_start_like_a_missing_one(variable, empty):
    result = import_production_settings(**{variable: empty})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the {variable} environment variable" in result.stderr


@pytest.mark.parametrize(
    "site_url", ["lapor.banjarmasinkota.go.id", "/", "ftp://lapor.banjarmasinkota.go.id", "https://"]
)
def test_site_url_must_be_an_absolute_http_address(site_url):
    result = import_production_settings(SITE_URL=site_url)
    assert result.returncode != 0
    assert "SITE_URL must be the portal's absolute address" in result.stderr
    assert repr(site_url) in result.stderr


def test_an_http_site_url_is_accepted_with_surrounding_hosts_trimmed():
    result = import_production_settings(SITE_URL="http://10.0.0.5:8000", ALLOWED_HOSTS=" lapor.example.id , 10.0.0.5 ")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("]")[0] == "['lapor.example.id', '10.0.0.5'"
