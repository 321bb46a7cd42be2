"""The environment file and the settings module, settled before Django starts.

Every entry point (manage.py, wsgi, asgi, celery) calls ``use_settings()``. The settings module has to be known
before any settings are read: without this, a ``DJANGO_SETTINGS_MODULE=smartcity.settings.production`` written in
``.env`` was ignored and the portal served with the laptop settings (no HTTPS redirect, no HSTS, no secure
cookies) without a word.
"""

import os
from pathlib import Path

import environ

DEFAULT_SETTINGS = "smartcity.settings.base"


def read_dotenv() -> None:
    """Variables from ``ENV_FILE`` (default: ``.env`` in the project directory); the real environment wins."""
    path = os.environ.get("ENV_FILE") or Path(__file__).resolve().parent.parent / ".env"
    environ.Env.read_env(path, overwrite=False)


def use_settings() -> None:
    """The environment wins, then the environment file, then the laptop default."""
    read_dotenv()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
