"""The API docs page renders in chromium under the portal's production Content-Security-Policy (script-src 'self'):
Swagger UI's start-up script comes from the site (/api/docs/?script=), and its files are the vendored ones."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_lists_the_operations_under_the_content_security_policy(live_server, browser, settings):
    settings.CONTENT_SECURITY_POLICY_ENABLED = True
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=TIMEOUT_MS)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/tickets/" in path for path in paths), paths
    assert [text for text in console if "Content Security Policy" in text] == []
    assert [url for url in requested if not url.startswith(live_server.url)] == []  # no CDN
