"""A refused filing (429) speaks the request's language from start to end: DRF used to append its own English
"Expected available in … seconds." to the Indonesian message."""

import math

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"


def refused_filing(client, language):
    payload = {"title": "t", "description": "d", "area": MAWAR}
    assert client.post("/api/v1/tickets/", payload, format="json", HTTP_ACCEPT_LANGUAGE=language).status_code == 201
    refused = client.post("/api/v1/tickets/", payload, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 429
    [error] = refused.json()["errors"]
    return error["message"], math.ceil(int(refused["Retry-After"]) / 60)


def test_in_english(as_user, citizen, settings):
    settings.FILING_RATE_LIMIT = "1/h"
    message, minutes = refused_filing(as_user(citizen), "en")
    assert message == (
        "You have filed many reports in a short time. Please try again later. "
        f"You can file again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


def test_in_indonesian(as_user, citizen, settings):
    settings.FILING_RATE_LIMIT = "1/h"
    message, minutes = refused_filing(as_user(citizen), "id")
    with translation.override("id"):
        when = translation.ngettext(
            "You can file again in %(minutes)d minute.", "You can file again in %(minutes)d minutes.", minutes
        ) % {"minutes": minutes}
    assert message == f"Anda telah membuat banyak laporan dalam waktu singkat. Silakan coba lagi nanti. {when}"
    assert "Expected available" not in message
