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


def _watch_for_script_errors(chromium, errors: list[str]) -> None:
    """Record every uncaught JavaScript error of every page the test opens: a chart or map script that throws
    leaves a page that still loads and looks half right, which no assertion about the page's text would catch."""

    def watch(page):
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    open_context, open_page = chromium.new_context, chromium.new_page

    def new_context(*args, **kwargs):
        context = open_context(*args, **kwargs)
        context.on("page", watch)
        return context

    def new_page(*args, **kwargs):
        page = open_page(*args, **kwargs)
        watch(page)
        return page

    chromium.new_context, chromium.new_page = new_context, new_page


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    script_errors: list[str] = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        _watch_for_script_errors(chromium, script_errors)
        yield chromium
        chromium.close()
        # Playwright keeps an asyncio loop running in this thread, and meanwhile Django keeps the thread's database
        # connections in a separate, context-local store: the test's fixtures opened one there. Close it while
        # that store is still the current one, or it outlives the run and the test database cannot be dropped
        # ("is being accessed by other users").
        connections.close_all()
    assert not script_errors, "JavaScript errors in the pages:\n" + "\n".join(script_errors)


def session_cookie(user, live_server):
    """A session cookie for ``user`` on the live server (the login form itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
