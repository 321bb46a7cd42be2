"""Upload attacks on the filing form: refused or neutralised, and nothing lands outside MEDIA/PRIVATE roots."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints import actions, photos
from complaints.models import Attachment, Ticket
from services.models import Service

pytestmark = pytest.mark.django_db

LAT, LNG = -3.3190, 114.5920


def _jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _file(client, upload, **extra):
    service = Service.objects.get(code="sampah-menumpuk")
    data = {
        "service": service.pk,
        "title": "Sampah menumpuk",
        "description": "Sudah tiga hari.",
        "lat": LAT,
        "lng": LNG,
        "privacy": "public",
        "photos": upload,
        **extra,
    }
    return client.post(reverse("complaints:file"), data)


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def roots(settings, tmp_path):
    """MEDIA_ROOT and PRIVATE_UPLOAD_ROOT inside a sandbox; anything else written in the sandbox is a leak."""
    sandbox = tmp_path
    return sandbox, Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_UPLOAD_ROOT)


def _assert_contained(sandbox: Path, media: Path, private: Path):
    for path in _files_under(sandbox):
        resolved = path.resolve()
        assert resolved.is_relative_to(media.resolve()) or resolved.is_relative_to(private.resolve()), path
    assert not (sandbox / "etc" / "passwd.jpg").exists()


REFUSED = {
    "not an image": ("laporan.jpg", b"Just some text pretending to be a photo.\n" * 20, "image/jpeg"),
    "html renamed": ("foto.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
    "svg with script": (
        "peta.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
        "image/svg+xml",
    ),
    "svg renamed to jpg": (
        "peta.jpg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "image/jpeg",
    ),
    "executable": ("foto.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "image/jpeg"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_non_images_are_refused(name, client, citizen, roots):
    client.force_login(citizen)
    filename, content, content_type = REFUSED[name]
    response = _file(client, SimpleUploadedFile(filename, content, content_type=content_type))
    assert response.status_code in (200, 400)  # the form again, with the error
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    _assert_contained(*roots)


def test_decompression_bomb_is_refused(client, citizen, roots):
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")  # 400 megapixels, a few kilobytes
    client.force_login(citizen)
    response = _file(client, SimpleUploadedFile("bom.png", buffer.getvalue(), content_type="image/png"))
    assert response.status_code in (200, 400)
    assert not Ticket.objects.exists()
    _assert_contained(*roots)


def test_oversize_upload_is_refused(client, citizen, roots):
    big = _jpeg() + os.urandom(photos.MAX_PHOTO_BYTES + 1024)
    client.force_login(citizen)
    response = _file(client, SimpleUploadedFile("besar.jpg", big, content_type="image/jpeg"))
    assert response.status_code in (200, 400)
    assert not Ticket.objects.exists()
    _assert_contained(*roots)


def test_photo_endpoint_refuses_what_the_form_refuses(client, citizen):
    client.force_login(citizen)
    for filename, content, content_type in REFUSED.values():
        response = client.post(
            reverse("complaints:upload_photo"),
            {"photo": SimpleUploadedFile(filename, content, content_type=content_type)},
        )
        assert response.status_code == 400, filename


def _process_all():
    for attachment in Attachment.objects.filter(state=Attachment.State.PENDING):
        actions.process_attachment(attachment_id=attachment.pk)


def test_polyglot_jpeg_with_html_is_neutralised(client, citizen, roots):
    payload = b"<html><body><script>alert('polyglot')</script></body></html>"
    polyglot = _jpeg() + payload  # a valid JPEG that is also an HTML page
    client.force_login(citizen)
    response = _file(client, SimpleUploadedFile("foto.jpg", polyglot, content_type="image/jpeg"))
    assert response.status_code == 302
    _process_all()
    attachment = Attachment.objects.get()
    assert attachment.state == Attachment.State.READY
    served = Path(attachment.image.path).read_bytes()
    assert served.startswith(b"\xff\xd8") and b"<script>" not in served  # re-encoded: the HTML is gone
    assert Path(attachment.image.path).suffix.lower() in (".jpg", ".jpeg")
    _assert_contained(*roots)


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.jpg",
        "..\\..\\windows\\win.ini.jpg",
        "foto\x00.html.jpg",
        "/etc/passwd.jpg",
        "a" * 300 + ".jpg",
    ],
)
def test_path_tricks_in_file_names_stay_inside_the_roots(filename, client, citizen, roots):
    client.force_login(citizen)
    response = _file(client, SimpleUploadedFile(filename, _jpeg(), content_type="image/jpeg"))
    assert response.status_code in (200, 302, 400)
    _process_all()
    for attachment in Attachment.objects.all():
        for field in (attachment.image, attachment.thumbnail):
            if field:
                assert ".." not in field.name and "\x00" not in field.name and not field.name.startswith("/")
                assert Path(field.path).resolve().is_relative_to(Path(roots[1]).resolve())
        assert ".." not in attachment.original_path and not attachment.original_path.startswith("/")
    _assert_contained(*roots)


def test_originals_are_never_under_media_root(client, citizen, roots, settings):
    client.force_login(citizen)
    response = _file(client, SimpleUploadedFile("foto.jpg", _jpeg(), content_type="image/jpeg"))
    assert response.status_code == 302
    media = Path(settings.MEDIA_ROOT)
    before_processing = _files_under(media)
    assert not before_processing  # nothing is public until re-encoded
