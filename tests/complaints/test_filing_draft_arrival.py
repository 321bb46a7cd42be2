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


def test_two_tabs_filing_one_report_each_both_arrive(client, waste, pin):
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    client.post("/lapor/", form_data(waste, pin, filing_key=first, reporter_email="warga@example.id", title="Satu"))
    client.post("/lapor/", form_data(waste, pin, filing_key=second, reporter_email="warga@example.id", title="Dua"))
    assert arrived_key(client).split() == [first, second]


def test_a_received_form_sent_again_with_its_photo_folds_onto_its_report(client, waste, pin, settings, tmp_path):
    # Its photo went with the report (the kept copy is gone): the second sending is the same report, not a form
    # that lost a photo.
    from complaints import photos
    from complaints.models import Ticket
    from tests.complaints.conftest import jpeg_bytes, upload

    settings.PRIVATE_UPLOAD_ROOT = tmp_path
    key = str(uuid.uuid4())
    data = {
        **form_data(waste, pin, filing_key=key, reporter_email="warga@example.id"),
        "photo_tokens": [photos.stash_upload(upload(jpeg_bytes(), name="gang.jpg"))],
    }
    assert client.post("/lapor/", data).status_code == 302
    again = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    page = again.content.decode()
    assert "could no longer be kept" not in page and "it was not filed twice" in page
    assert Ticket.objects.count() == 1 and Ticket.objects.get().attachments.count() == 1
