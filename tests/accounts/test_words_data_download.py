"""The "your data" file is named in the page's language: an English reader downloaded
``lapor-banjarmasin-data-saya-….json``."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_english_download_is_named_my_data(client, citizen):
    client.force_login(citizen)
    response = client.get("/akun/data-saya/unduh/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="lapor-banjarmasin-my-data-\d{4}-\d{2}-\d{2}\.json"', response["Content-Disposition"]
    )
