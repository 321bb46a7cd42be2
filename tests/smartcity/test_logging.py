"""What an operator reads in the log: time, level and logger on each line, no traceback for a refused host."""

import io
import logging
import re

import pytest


@pytest.fixture
def disallowed_host_log():
    handler = logging.getLogger("django.security.DisallowedHost").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_request_for_a_foreign_host_is_one_line(client, disallowed_host_log):
    response = client.get("/", HTTP_HOST="10.0.0.5")
    assert response.status_code == 400
    lines = disallowed_host_log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert re.match(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ERROR django\.security\.DisallowedHost \d+: .*10\.0\.0\.5", lines[0]
    )
