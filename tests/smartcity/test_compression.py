"""A phone on 3G gets the portal's text compressed (the map data and boundaries were most of the filing page's
weight, sent as plain text), photos as they are; and a guest's language choice is still there the next day."""

from __future__ import annotations

import gzip
import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from smartcity.compression import TextGZipMiddleware

pytestmark = pytest.mark.django_db


def test_the_kelurahan_boundaries_come_gzipped_to_a_browser_that_asks(client, city):
    plain = client.get("/peta/kelurahan.geojson")
    assert "Content-Encoding" not in plain  # a client that did not ask gets plain text
    packed = client.get("/peta/kelurahan.geojson", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == json.loads(plain.content)
    assert len(packed.content) * 3 < len(plain.content)


def test_pages_are_gzipped_and_photos_are_not():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    page = TextGZipMiddleware(lambda r: HttpResponse("<p>Laporan</p>" * 200, content_type="text/html; charset=utf-8"))
    assert page(request)["Content-Encoding"] == "gzip"
    photo = TextGZipMiddleware(lambda r: HttpResponse(b"\xff\xd8\xff" + b"\0" * 4000, content_type="image/jpeg"))
    assert not photo(request).has_header("Content-Encoding")


def test_a_guests_language_choice_outlives_the_browser_session(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 300 * 24 * 3600
