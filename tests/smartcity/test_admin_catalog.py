"""The admin's JavaScript catalogue (smartcity/admin_catalog.py): the two-list picker (an activity's kelurahan and
services) told an Indonesian administrator to press the "Choose" / "Remove" arrow button, in English. The catalogue
was served in the page's language; Django's own Indonesian leaves those words English, so the portal's catalogue
words the picker's messages."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import resolve, reverse

from smartcity import admin_catalog

pytestmark = pytest.mark.django_db

CHOOSE_HINT = 'Choose %s by selecting them and then select the "Choose" arrow button.'
REMOVE_HINT = 'Remove %s by selecting them and then select the "Remove" arrow button.'


def _catalog(response) -> dict:
    """The messages of a jsi18n answer (``const newcatalog = {...};``)."""
    (found,) = re.findall(r"const newcatalog = (\{.*?\});\n", response.content.decode(), flags=re.S)
    return json.loads(found)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_the_admin_pages_load_the_portals_catalogue():
    # The admin's pages ask {% url 'admin:jsi18n' %}: that address answers with the portal's catalogue.
    url = reverse("admin:jsi18n")
    assert url == "/admin/jsi18n/"
    assert resolve(url).func.view_class is admin_catalog.AdminJavaScriptCatalog


def test_the_catalogue_speaks_the_administrators_language(admin_client):
    indonesian = admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9")
    assert indonesian.status_code == 200 and indonesian["Content-Language"] == "id"
    assert "Accept-Language" in indonesian["Vary"] and "Cookie" in indonesian["Vary"]
    messages = _catalog(indonesian)
    assert messages["Choose all %s"].startswith("Pilih") and messages["Choose a Date"] == "Pilih Tanggal"
    english = admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en" and "Pilih" not in english.content.decode()
    # As Django's own: for signed-in staff only.
    admin_client.logout()
    assert admin_client.get("/admin/jsi18n/").status_code == 302


def test_the_pickers_hints_name_no_english_button(admin_client):
    # Passes once locale/id translates admin_catalog.REWORDED's messages (tests/smartcity/test_translations.py asks).
    messages = _catalog(admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="id"))
    for hint in (CHOOSE_HINT, REMOVE_HINT):
        assert "Choose" not in messages[hint] and "Remove" not in messages[hint], messages[hint]
        assert "%s" in messages[hint]


def test_a_message_the_portal_translates_replaces_djangos_and_one_it_does_not_stays(admin_client, monkeypatch):
    monkeypatch.setitem(admin_catalog.REWORDED, CHOOSE_HINT, 'Pilih %s, lalu tekan tombol panah "Pilih".')
    monkeypatch.setitem(admin_catalog.REWORDED, "Choose all %s", "Choose all %s")  # untranslated: Django's stays
    messages = _catalog(admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="id"))
    assert messages[CHOOSE_HINT] == 'Pilih %s, lalu tekan tombol panah "Pilih".'
    assert messages["Choose all %s"] == "Pilih semua %s"
