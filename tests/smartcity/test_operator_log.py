"""The log says what an operator can act on: one line when the broker is down, no line for a visitor's 4xx, a worker
at -l warning logs failures and retries but not each task's success."""

import logging

import pytest
from celery.app import trace
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.log import log_response
from kombu.exceptions import OperationalError

from smartcity.taskqueue import enqueue


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def lines(self) -> list[str]:
        return [f"{record.levelname} {record.name} {record.getMessage()}" for record in self.records]


@pytest.fixture
def root_log():
    """Every record that reaches the root logger's handlers, as journald would get it."""
    handler = Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


class _Task:
    name = "complaints.tasks.route_ticket"

    def __init__(self, error):
        self.error = error

    def apply_async(self, args, kwargs):
        raise self.error


def test_a_broker_that_is_down_is_one_line_with_the_reason(root_log):
    down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    assert enqueue(_Task(down), 4) is False
    [record] = [r for r in root_log.records if r.name == "smartcity.taskqueue"]
    assert record.getMessage() == (
        "could not enqueue complaints.tasks.route_ticket(4,) (OperationalError: Error 111 connecting to "
        "127.0.0.1:6379. Connection refused.); the periodic sweep will retry"
    )
    assert record.levelno == logging.WARNING
    assert not record.exc_info  # no 60-line kombu traceback


def test_an_unexpected_error_keeps_its_traceback(root_log):
    assert enqueue(_Task(TypeError("route_ticket() takes 2 positional arguments")), 4) is False
    [record] = [r for r in root_log.records if r.name == "smartcity.taskqueue"]
    assert "TypeError: route_ticket() takes 2 positional arguments" in record.getMessage()
    assert record.exc_info is not None


@pytest.mark.django_db
def test_a_refused_citizen_form_logs_nothing_and_a_server_error_still_does(client, city, root_log):
    response = client.post("/lapor/", {"title": ""})
    assert response.status_code == 400
    assert client.get("/laporan/BJM-1999-000001/").status_code == 404
    assert not [line for line in root_log.lines() if "django.request" in line]

    request = RequestFactory().get("/staf/antrian/")
    log_response("%s: %s", "Internal Server Error", request.path, response=HttpResponse(status=500), request=request)
    assert root_log.lines() == ["ERROR django.request Internal Server Error: /staf/antrian/"]


@pytest.fixture
def worker_at_warning(root_log):
    """The root logger as `celery worker -l warning` leaves it."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)
    yield root_log
    root.setLevel(level)


def test_a_worker_at_warning_logs_retries_and_failures_but_not_successes(worker_at_warning):
    task = {"name": "complaints.tasks.send_notification", "id": "a1b2"}
    trace.info(trace.LOG_SUCCESS, {**task, "runtime": 0.01, "return_value": True})
    trace.info(trace.LOG_RETRY, {**task, "exc": "SMTPServerDisconnected('Connection unexpectedly closed')"})
    trace.logger.error(trace.LOG_FAILURE, {**task, "exc": "ValueError('bad')", "description": "raised unexpected"})
    logging.getLogger("celery.worker.strategy").info(trace.LOG_RECEIVED, task)

    assert worker_at_warning.lines() == [
        "INFO celery.app.trace Task complaints.tasks.send_notification[a1b2] retry: "
        "SMTPServerDisconnected('Connection unexpectedly closed')",
        "ERROR celery.app.trace Task complaints.tasks.send_notification[a1b2] raised unexpected: ValueError('bad')",
    ]


def test_a_5xx_on_a_link_that_acts_without_logging_in_is_logged_without_its_secret(root_log):
    """Django logs a 5xx as "Internal Server Error: <path>": a failing guest follow link kept its token in the log."""
    from smartcity.log_filters import Redacted

    path = "/laporan/BJM-2026-000123/ikuti/rahasia-tautan-pribadi/"
    request = RequestFactory().get(path)
    log_response("Internal Server Error: %s", path, response=HttpResponse(status=500), request=request)
    [record] = [r for r in root_log.records if r.name == "django.request"]
    assert Redacted().filter(record)
    assert record.getMessage() == "Internal Server Error: /laporan/BJM-2026-000123/ikuti/…/"
    # Every handler the portal configures (the console, which the journal keeps) applies it.
    from django.conf import settings

    assert settings.LOGGING["filters"]["redacted"]["()"] == "smartcity.log_filters.Redacted"
    assert all("redacted" in handler["filters"] for handler in settings.LOGGING["handlers"].values())
