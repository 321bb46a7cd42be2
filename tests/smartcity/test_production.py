"""Production mode: `check --deploy` is clean and every page carries the security headers."""

import pytest

from .conftest import PRODUCTION_ENV, run_manage


def test_check_deploy_prints_no_warnings_with_real_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output.upper().replace("--FAIL-LEVEL WARNING", "")


def test_check_deploy_names_a_proxy_count_left_at_zero():
    env = {**PRODUCTION_ENV, "ALLAUTH_TRUSTED_PROXY_COUNT": "0", "ENV_FILE": "/dev/null"}
    result = run_manage("check", "--deploy", env=env)
    assert "accounts.W001" in result.stderr + result.stdout


@pytest.mark.parametrize("variable", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL"])
def test_production_refuses_to_start_without_a_required_variable(variable):
    # Each has a laptop default (SQLite, in-process tasks, console email, 127.0.0.1 links) a city must never run on.
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != variable}
    result = run_manage("check", env={**env, "ENV_FILE": "/dev/null"})  # and no developer's .env
    assert result.returncode != 0
    assert f"Set the {variable} environment variable" in result.stderr


def test_the_settings_module_may_come_from_the_environment_file(tmp_path):
    """An operator who writes everything, the settings module too, into the environment file gets production."""
    env_file = tmp_path / "portal.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in PRODUCTION_ENV.items() if name != "PATH"))
    show = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.SECURE_SSL_REDIRECT)"
    result = run_manage("shell", "-v", "0", "-c", show, env={"PATH": PRODUCTION_ENV["PATH"], "ENV_FILE": str(env_file)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["smartcity.settings.production", "True"]


@pytest.fixture
def production_mode(settings, production_settings):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    settings.SECURE_SSL_REDIRECT = False
    return settings


@pytest.mark.django_db
def test_security_headers_in_production_mode(client, production_mode):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_production_pages_have_no_inline_scripts(client, production_mode):
    """The CSP forbids inline <script>: pages must load their code from files (JSON data blocks are fine)."""
    import re

    for url in ("/", "/akun/login/", "/akun/signup/"):
        page = client.get(url, secure=True).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or "application/json" in tag, (url, tag)


@pytest.mark.django_db
def test_development_mode_sends_no_hsts(client):
    response = client.get("/")
    assert "Strict-Transport-Security" not in response
    assert "Content-Security-Policy" not in response
