"""gunicorn's access log (journald in production) keeps no link that acts without logging in: the secret part of
each such address is "…", in the request line, the Referer of the lines that follow and a "next" parameter."""

from __future__ import annotations

import io
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from gunicorn.config import Config

from smartcity.gunicorn_logging import RedactingLogger, redact

SECRET = "Zm9sbG93:1tXyZa:Q2hhcmxpZS1zZWNyZXQ"
UUID = "6f1c2b7e-8d4a-4f0e-9b1a-2c3d4e5f6a7b"


def secret_links() -> dict[str, tuple[str, str]]:
    """Every tokenised address of the urls.py files, made by their names, with the secret it carries."""
    return {
        "follow": (reverse("complaints:follow", args=["BJM-2026-000123", SECRET]), SECRET),
        "confirm": (reverse("complaints:confirm", args=[UUID]), UUID),
        "stop emails": (reverse("complaints:stop_emails", args=[SECRET]), SECRET),
        "confirm email": (reverse("account_confirm_email", args=[SECRET]), SECRET),
        "password reset": (
            reverse("account_reset_password_from_key", kwargs={"uidb36": "1b", "key": "cz7-0a1b2c3d4e5f"}),
            "cz7-0a1b2c3d4e5f",
        ),
        "open311 token": (reverse("open311:token", kwargs={"token": UUID, "fmt": "json"}), UUID),
        "open311 api_key": ("/open311/v2/requests.json?jurisdiction_id=banjarmasin.go.id&api_key=" + SECRET, SECRET),
    }


@pytest.mark.parametrize(
    "name",
    ["follow", "confirm", "stop emails", "confirm email", "password reset", "open311 token", "open311 api_key"],
)
def test_each_secret_becomes_an_ellipsis_and_the_rest_stays(name):
    path, secret = secret_links()[name]
    redacted = redact(f"GET {path} HTTP/1.1")
    assert secret not in redacted
    assert "…" in redacted
    assert redacted.startswith("GET /") and redacted.endswith(" HTTP/1.1")
    assert redact(f"https://lapor.banjarmasinkota.go.id{path}") == "https://lapor.banjarmasinkota.go.id" + redact(path)


def test_the_follow_link_keeps_its_reference_and_a_login_next_parameter_is_redacted_too():
    assert redact(f"/laporan/BJM-2026-000123/ikuti/{SECRET}/") == "/laporan/BJM-2026-000123/ikuti/…/"
    encoded = "/akun/login/?next=%2Flaporan%2FBJM-2026-000123%2Fikuti%2F" + SECRET.replace(":", "%3A") + "%2F"
    assert redact(encoded) == "/akun/login/?next=%2Flaporan%2FBJM-2026-000123%2Fikuti%2F…%2F"


@pytest.mark.parametrize(
    "address",
    [
        "/laporan/BJM-2026-000123/",
        "/lapor/?service=4",
        "/laporan/?q=monkey=1&page=2",
        "/static/css/portal.4f2a.css",
        "/staf/tiket/BJM-2026-000123/aksi/resolve/",
        "/open311/v2/requests.json?service_code=jalan-rusak",
    ],
)
def test_ordinary_addresses_are_logged_as_they_are(address):
    assert redact(address) == address


@pytest.fixture
def access_log():
    """gunicorn's logger exactly as gunicorn.conf.py configures it, writing to a string."""
    conf = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        cfg.set(name, conf[name])
    cfg.set("accesslog", "-")
    logger = cfg.logger_class(cfg)
    assert isinstance(logger, RedactingLogger)
    stream = io.StringIO()
    logger.access_log.handlers[0].setStream(stream)
    return logger, stream


def _request(logger, path: str, referer: str = "-") -> None:
    raw_path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": raw_path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "203.0.113.7"), ("REFERER", referer)])
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[("Content-Type", "text/html")])
    logger.access(response, request, environ, timedelta(milliseconds=42))


def test_the_access_log_keeps_no_secret_in_the_request_line_nor_in_the_referer(access_log):
    logger, stream = access_log
    site = "https://lapor.banjarmasinkota.go.id"
    for path, _ in secret_links().values():
        _request(logger, path)
        _request(logger, "/static/css/portal.css", referer=site + path)

    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 * len(secret_links())
    for line in lines:
        assert SECRET not in line and UUID not in line and "cz7-0a1b2c3d4e5f" not in line, line
    assert "203.0.113.7 via 127.0.0.1 [" in lines[0]
    assert '"GET /laporan/BJM-2026-000123/ikuti/…/ HTTP/1.1" 200 5120 42ms "-" "Mozilla/5.0"' in lines[0]
    assert f'"GET /static/css/portal.css HTTP/1.1" 200 5120 42ms "{site}/laporan/BJM-2026-000123/ikuti/…/"' in lines[1]
