"""The suite runs on its own settings however it is started: `make test`, `pytest`, CI."""

import os
from urllib.parse import urlsplit


def test_the_suite_runs_on_the_test_settings():
    from django.conf import settings

    # `make test` once ran on the base settings the Makefile exports for `make run` (scripts/test.sh).
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "smartcity.settings.test"
    # The base settings hash with PBKDF2 (a million rounds): every password a test sets or checks cost 0.4 s here.
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_each_test_process_has_its_own_redis_database(settings):
    """Tests empty their Redis database: two processes sharing one would wipe each other's counters."""
    process = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not settings.REDIS_URL or not process.startswith("gw"):
        assert settings.REDIS_URL == os.environ.get("REDIS_URL", "")
        return
    given = int(urlsplit(os.environ["REDIS_URL"]).path.strip("/") or 0)
    own = given + int(process[2:])
    assert urlsplit(settings.REDIS_URL).path == f"/{own}"
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL == settings.CELERY_BROKER_URL
