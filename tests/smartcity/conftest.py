import json
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "smartcity.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "lapor.banjarmasinkota.go.id,www.lapor.banjarmasinkota.go.id",
    "DATABASE_URL": "postgres://portal:kata-sandi@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://noreply:kata-sandi@smtp.banjarmasinkota.go.id:587",
    "SITE_URL": "https://lapor.banjarmasinkota.go.id",
    "ALLAUTH_TRUSTED_PROXY_COUNT": "1",  # behind the README's nginx
}


def run_manage(*args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env or PRODUCTION_ENV,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=timeout,
    )


SECURITY_SETTINGS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY_ENABLED",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DEBUG",
]


@pytest.fixture(scope="session")
def production_settings() -> dict:
    """The security settings exactly as production mode computes them (read in a separate process)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
