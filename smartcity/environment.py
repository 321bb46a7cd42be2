"""The environment file and the settings module, settled before Django starts.

Every entry point (manage.py, wsgi, asgi, celery) calls ``use_settings()``. The settings module has to be known
before any settings are read: without this, a ``DJANGO_SETTINGS_MODULE=smartcity.settings.production`` written in
``.env`` was ignored and the portal served with the laptop settings (no HTTPS redirect, no HSTS, no secure
cookies) without a word.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

DEFAULT_SETTINGS = "smartcity.settings.base"
DEFAULT_ENV_FILE = Path(__file__).resolve().parent.parent / ".env"


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
