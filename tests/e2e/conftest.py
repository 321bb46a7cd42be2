"""Shared browser set-up for the end-to-end tests: Debian's chromium driven by Playwright's sync API."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
        # Playwright keeps an asyncio loop running in this thread, and meanwhile Django keeps the thread's database
        # connections in a separate, context-local store: the test's fixtures opened one there. Close it while
        # that store is still the current one, or it outlives the run and the test database cannot be dropped
        # ("is being accessed by other users").
        connections.close_all()


def session_cookie(user, live_server):
    """A session cookie for ``user`` on the live server (the login form itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
