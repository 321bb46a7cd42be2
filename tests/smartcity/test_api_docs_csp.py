"""The API docs page (/api/docs/, Swagger UI) is served under the portal's Content-Security-Policy like every other
page: it had none at all, because its start-up script was inline. That script now comes from the page's own address
(?script=), and Swagger UI's files from the portal's static files (drf-spectacular-sidecar), never a CDN.
tests/e2e/test_api_docs.py checks in chromium that the page still renders under the policy."""

import re

import pytest

from .test_production import production_mode  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("production_mode")
def test_the_docs_page_has_the_portals_policy_and_no_inline_script(client):
    response = client.get("/api/docs/", secure=True)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_sources = policy.split("script-src")[1].split(";")[0]
    assert script_sources.strip() == "'self'"
    page = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts), scripts
    sources = [re.search(r'src="([^"]+)"', attributes).group(1) for attributes, _ in scripts]
    assert all(source.startswith("/") and not source.startswith("//") for source in sources), sources


@pytest.mark.usefixtures("production_mode")
def test_the_docs_start_up_script_is_served_from_the_site(client):
    page = client.get("/api/docs/", secure=True).content.decode()
    start_up = re.search(r'<script src="(/api/docs/[^"]*script[^"]*)"', page).group(1).replace("&amp;", "&")
    script = client.get(start_up, secure=True)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode() and "/api/schema/" in script.content.decode()
