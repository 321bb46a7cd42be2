"""Production mode names every missing or empty required setting in one message: a new server's environment file
missing SITE_URL and EMAIL_URL was refused naming EMAIL_URL alone, and SITE_URL only at the next start."""

from .conftest import PRODUCTION_ENV, run_manage

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL")


def start_without(*names: str, **overrides: str):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name not in names}
    return run_manage("check", env={**env, "ENV_FILE": "/dev/null", **overrides})


def test_two_missing_settings_are_named_together():
    result = start_without("SITE_URL", "EMAIL_URL")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the EMAIL_URL and SITE_URL environment variables" in result.stderr


def test_every_missing_or_empty_setting_is_named_at_once():
    result = start_without(*REQUIRED[:3], ALLOWED_HOSTS=" , ", REDIS_URL="")
    assert result.returncode != 0
    assert "Set the SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL environment variables" in result.stderr, (
        result.stderr
    )


def test_one_missing_setting_is_named_alone():
    result = start_without("SITE_URL")
    assert "ImproperlyConfigured: Set the SITE_URL environment variable\n" in result.stderr
