"""A REST filing whose multipart body did not fully arrive is refused with a JSON error and files nothing
(smartcity/uploads.py); before, the cut-off photo was dropped and the report filed without it."""

from __future__ import annotations

import io

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from complaints.models import Ticket

pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"
ROAD = {"title": "Jalan berlubang", "description": "Lubang besar.", "service": "jalan-rusak", "area": MAWAR}


def jpeg_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.effect_noise((1200, 900), 80).convert("RGB").save(out, "JPEG", quality=95)
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_filing_cut_off_in_its_photo_is_refused_and_files_nothing(as_user, city, citizen):
    body = encode_multipart(BOUNDARY, {**ROAD, "attributes[ukuran]": "kecil", "photos": [jpeg_file()]})
    response = as_user(citizen).generic(
        "POST",
        "/api/v1/tickets/",
        body,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(body)),
        HTTP_ACCEPT_LANGUAGE="en",
        **{"wsgi.input": io.BytesIO(body[: len(body) // 2])},
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": None,
                "message": "The upload did not arrive completely (the connection dropped), so nothing was saved. "
                "Check your connection and send the form again.",
            }
        ]
    }
    assert not Ticket.objects.filter(title="Jalan berlubang").exists()
