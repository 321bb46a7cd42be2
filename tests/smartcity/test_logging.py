"""What an operator reads in the log: time, level and logger on each line; nothing for a refused host, which
scanners send by the thousand (the README promises errors for 5xx only)."""

import re
import subprocess
import sys

from django.conf import settings

from .conftest import PRODUCTION_ENV

# A request served by Django's own handler, as gunicorn would pass it: the process's stderr is the web's log. The
# base settings log alike and need no collected static files for the error page; the database is never reached.
LAPTOP_ENV = {
    "PATH": PRODUCTION_ENV["PATH"],
    "ENV_FILE": "/dev/null",
    "DJANGO_SETTINGS_MODULE": "smartcity.settings.base",
    "DATABASE_URL": PRODUCTION_ENV["DATABASE_URL"],
}
REQUEST = (
    "import django; django.setup(); from django.test import Client; "
    "response = Client().get('/', HTTP_HOST='{host}'); print(response.status_code)"
)


def serve_one_request(host: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", REQUEST.format(host=host)],
        env=LAPTOP_ENV,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )


def test_a_request_for_a_foreign_host_is_refused_without_an_error_in_the_log():
    result = serve_one_request("10.0.0.5")
    assert result.stdout.strip() == "400", result.stderr
    assert "DisallowedHost" not in result.stderr
    assert "10.0.0.5" not in result.stderr
    assert " ERROR " not in result.stderr


def test_a_line_carries_time_level_logger_and_process():
    """The same process logs what the operator needs: a deliberate warning shows the line's layout."""
    code = "import django, logging; django.setup(); logging.getLogger('smartcity').warning('Redis is away')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=LAPTOP_ENV,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "Redis is away" in line]
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ WARNING smartcity \d+: Redis is away", lines[0])
