"""The environment file and the settings module, settled before Django starts.

Every entry point (manage.py, wsgi, asgi, celery) calls ``use_settings()``. The settings module has to be known
before any settings are read: without this, a ``DJANGO_SETTINGS_MODULE=smartcity.settings.production`` written in
``.env`` was ignored and the portal served with the laptop settings (no HTTPS redirect, no HSTS, no secure
cookies) without a word.
"""

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

DEFAULT_SETTINGS = "smartcity.settings.base"
PRODUCTION_SETTINGS = "smartcity.settings.production"
# The laptop settings' key when SECRET_KEY is not set: public, in the repository. ``check --deploy`` refuses it
# (accounts/checks.py): a server started without its settings module ran on it.
DEVELOPMENT_SECRET_KEY = "insecure-dev-key-change-me-for-any-real-deployment-0123456789"
DEFAULT_ENV_FILE = Path(__file__).resolve().parent.parent / ".env"
Parsed = TypeVar("Parsed")


def read_dotenv() -> None:
    """Variables from ``ENV_FILE`` (default: ``.env`` in the project directory); the real environment wins.

    A laptop has no ``.env``, and that is fine. But django-environ skips any file it cannot open with a line in
    the log, and a server whose ``ENV_FILE`` is misspelt, not mounted or not readable by the service's user then
    ran on the laptop defaults (SQLite, console email, the insecure key): so a file that is named or that
    exists and cannot be read stops the start, naming the file."""
    named = os.environ.get("ENV_FILE")
    path = Path(named) if named else DEFAULT_ENV_FILE
    if not named and not path.exists():
        return
    try:
        with open(path, encoding="utf-8") as env_file:
            environ.Env.read_env(env_file, overwrite=False)
    except OSError as error:
        source = "ENV_FILE" if named else "The environment file"
        raise ImproperlyConfigured(f"{source} {path} cannot be read: {error.strerror or error}") from error


def use_settings() -> None:
    """The environment wins, then the environment file, then the laptop default."""
    read_dotenv()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)


def _holds_together(url: str) -> bool:
    """Whether ``url`` reads as one address: its port, if any, a number and, past the host, no "#" (a fragment
    means nothing in a service's address) and no "@" (the rest of a password)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - the property raises ValueError for a port that is not a number
    except ValueError:
        return False
    return not (parts.netloc and ("#" in url or "@" in parts.path + parts.query))


class Env(environ.Env):
    """django-environ's reader of the environment, whose service URLs stop the start, when they cannot be read,
    naming the variable and how to write it, never its value.

    DATABASE_URL, EMAIL_URL and REDIS_URL hold a password, and a password with ``#``, ``/`` or ``?`` written as it
    is cuts the URL short: django-environ and redis-py took part of the password for the port, and every start
    stopped on "ValueError: Port could not be cast to integer value as 'Pa%23ss'", which names no variable and
    writes part of the password into the log (or, with digits before the "/", read a wrong host and port)."""

    def db_url(self, var=environ.Env.DEFAULT_DATABASE_ENV, default=environ.Env.NOTSET, engine=None) -> dict:
        return self._service_url(var, default, lambda url: self.db_url_config(url, engine=engine))

    db = db_url

    def email_url(self, var=environ.Env.DEFAULT_EMAIL_ENV, default=environ.Env.NOTSET, backend=None) -> dict:
        return self._service_url(var, default, lambda url: self.email_url_config(url, backend=backend))

    email = email_url

    def service_url(self, var: str, default=environ.Env.NOTSET) -> str:
        """The URL as written, checked as ``db_url`` and ``email_url`` check theirs: for a URL another library
        parses (REDIS_URL: redis-py and kombu, which fail alike, at the first request or task)."""
        return self._service_url(var, default, str)

    def _service_url(self, var: str, default, parse: Callable[[str], Parsed]) -> Parsed:
        value = self.get_value(var, default=default)
        if _holds_together(value):
            try:
                return parse(value)
            except ValueError:
                pass  # raised below, outside this block: the parser's message quotes what it took for a port
        raise ImproperlyConfigured(
            f"{var} is not a valid URL (its value is not shown: it holds a password). Percent-encode the special "
            "characters of its user name and password: # as %23, / as %2F, ? as %3F, @ as %40, : as %3A, % as %25 "
            "(python3 -c \"import urllib.parse; print(urllib.parse.quote(input(), safe=''))\" prints a password "
            "so written); the port, if any, is a number."
        )
