"""The boundaries' attribution speaks the reader's language: it said "Batas wilayah: …" on English pages too."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from services.areas import BOUNDARY_ATTRIBUTION, BOUNDARY_SOURCE, boundaries_geojson


@pytest.fixture
def marked_indonesian(monkeypatch):
    """An Indonesian text no real translation uses, so the test sees the string went through gettext."""
    from django.utils.translation import trans_real

    indonesian = trans_real.translation("id")
    real_gettext = indonesian.gettext
    marks = {"Boundaries: %(source)s": "BATAS-UJI %(source)s"}
    monkeypatch.setattr(indonesian, "gettext", lambda message: marks.get(message) or real_gettext(message))


def test_the_attribution_is_translated_when_it_is_shown(marked_indonesian):
    with translation.override("en"):
        assert str(BOUNDARY_ATTRIBUTION) == f"Boundaries: {BOUNDARY_SOURCE}"
    with translation.override("id"):
        assert str(BOUNDARY_ATTRIBUTION) == f"BATAS-UJI {BOUNDARY_SOURCE}"
    assert "Batas" not in BOUNDARY_SOURCE and "Kepmendagri 100.1.1-6117/2022" in BOUNDARY_SOURCE


@pytest.mark.django_db
def test_the_cached_geojson_names_the_source_alone_in_every_language(city, marked_indonesian):
    """The maps' GeoJSON is cached and served alike to both languages: it carries no words of either; the page says
    "Boundaries" in its own (services/templatetags/map_strings.py)."""
    for language in ("id", "en"):
        with translation.override(language):
            assert boundaries_geojson()["attribution"] == BOUNDARY_SOURCE


@pytest.mark.django_db
def test_the_rest_api_gives_the_attribution_in_the_language_asked(client, city, marked_indonesian):
    english = client.get("/api/v1/areas/", {"level": "kecamatan"}, HTTP_ACCEPT_LANGUAGE="en")
    assert json.loads(english.content)["attribution"] == f"Boundaries: {BOUNDARY_SOURCE}"
    indonesian = client.get("/api/v1/areas/", {"level": "kecamatan"}, HTTP_ACCEPT_LANGUAGE="id")
    assert json.loads(indonesian.content)["attribution"] == f"BATAS-UJI {BOUNDARY_SOURCE}"
    header = client.get("/dasbor/batas/kecamatan.geojson", HTTP_ACCEPT_LANGUAGE="en")["X-Attribution"]
    assert header.startswith("Boundaries: cahyadsn/wilayah_boundaries")
