"""The filing form names the last form key that reached the server from this browser (data-draft-arrived): the draft
kept in the tab (static/js/form-draft.js) outlives a sending whose answer never came, and is forgotten, not refilled,
once its key has arrived. A refused form has not arrived."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.complaints.test_filing_views import form_data

pytestmark = pytest.mark.django_db


def arrived_key(client) -> str:
    return re.search(r'data-draft-arrived="([^"]*)"', client.get("/lapor/").content.decode()).group(1)


@pytest.fixture
def waste(city):
    from services.models import Service

    return Service.objects.get(code="sampah-menumpuk")


def test_the_form_names_the_key_of_the_last_filing_that_arrived(client, waste, pin):
    assert arrived_key(client) == ""
    key = str(uuid.uuid4())
    refused = client.post("/lapor/", form_data(waste, pin, filing_key=key, reporter_email="warga@example.id", title=""))
    assert refused.status_code == 400
    assert arrived_key(client) == ""

    client.post("/lapor/", form_data(waste, pin, filing_key=key, reporter_email="warga@example.id"))
    assert arrived_key(client) == key
    # Sent again (its answer was lost): the same report, and the same key has arrived.
    again = client.post("/lapor/", form_data(waste, pin, filing_key=key, reporter_email="warga@example.id"))
    assert again.status_code == 302
    assert arrived_key(client) == key


def test_a_signed_in_citizens_filing_is_named_too(client, citizen, waste, pin):
    client.force_login(citizen)
    key = str(uuid.uuid4())
    client.post("/lapor/", form_data(waste, pin, filing_key=key))
    assert arrived_key(client) == key
