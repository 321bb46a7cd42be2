"""A form restored from a phone's draft can send photos kept more than a day ago: the report is not filed without
them unsaid; the citizen is told which photo to add again, and nothing typed is lost."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from complaints import photos
from complaints.models import Ticket
from services.models import Service

from .conftest import jpeg_bytes, upload
from .test_filing_views import form_data

pytestmark = pytest.mark.django_db


def test_a_photo_kept_too_long_is_named_and_the_report_waits_for_it(client, city, citizen, pin, settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path
    service = Service.objects.get(code="sampah-menumpuk")
    with time_machine.travel(timezone.now() - dt.timedelta(hours=25)):
        old_token = photos.stash_upload(upload(jpeg_bytes(), name="tumpukan.jpg"))
    fresh_token = photos.stash_upload(upload(jpeg_bytes(), name="gang.jpg"))
    client.force_login(citizen)
    data = {**form_data(service, pin, title="Judul saya tetap"), "photo_tokens": [old_token, fresh_token, "palsu"]}
    response = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert "tumpukan.jpg could no longer be kept (it was added more than a day ago). Please add it again." in html
    assert "palsu" not in html
    assert 'value="Judul saya tetap"' in html and "gang.jpg" in html  # the fresh photo stays with the form
