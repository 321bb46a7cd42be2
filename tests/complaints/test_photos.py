import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import ExifTags, Image

from complaints import photos
from complaints.actions import file_ticket
from complaints.models import Attachment

from .conftest import bomb_png, image_bytes, jpeg_bytes, upload


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source text (the site's default language is Indonesian)."""
    with translation.override("en"):
        yield


def test_photo_gps_is_read_to_suggest_the_pin():
    check = photos.check_photo(upload(jpeg_bytes(gps=(-3.3186, 114.5944))))
    assert check.format == "JPEG"
    assert check.gps == pytest.approx((-3.3186, 114.5944), abs=1e-4)


@pytest.mark.parametrize("fmt,name", [("PNG", "a.png"), ("WEBP", "a.webp"), ("JPEG", "a.jpg")])
def test_common_phone_formats_are_accepted(fmt, name):
    assert photos.check_photo(upload(image_bytes(fmt), name=name)).format == fmt


def test_heic_is_accepted_when_pillow_heif_can_read_it():
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    try:
        Image.new("RGB", (64, 64), "blue").save(out, "HEIF")
    except (KeyError, OSError, ValueError):
        pytest.skip("this pillow-heif build cannot write HEIF")
    assert pillow_heif is not None
    assert photos.check_photo(upload(out.getvalue(), name="IMG_0001.HEIC")).format in {"HEIF", "HEIC"}


def test_non_image_renamed_jpg_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        photos.check_photo(upload(b"%PDF-1.4 this is a pdf pretending" * 50, name="bukti.jpg"))
    assert "bukti.jpg is not a photo we can read" in error.value.messages[0]


def test_truncated_jpeg_is_refused():
    data = jpeg_bytes(size=(800, 600))
    with pytest.raises(ValidationError):
        photos.check_photo(upload(data[: len(data) // 3], name="half.jpg"))


def test_decompression_bomb_is_refused():
    with pytest.raises(ValidationError) as error:
        photos.check_photo(upload(bomb_png(), name="bomb.png"))
    assert "too large in pixels" in error.value.messages[0]


def test_eleven_megabyte_file_is_refused():
    with pytest.raises(ValidationError) as error:
        photos.check_photo(upload(b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), name="besar.jpg"))
    assert "larger than 10 MB" in error.value.messages[0]


def test_reencoded_photo_has_no_exif_applies_orientation_and_is_resized():
    data = jpeg_bytes(size=(3000, 1000), orientation=6)
    clean, thumb, width, height = photos.reencode(data)
    image = Image.open(io.BytesIO(clean))
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    # Orientation 6 means "rotate 90°": the landscape original becomes portrait.
    assert (width, height) == image.size and height == 1600 and 530 <= width <= 535
    assert max(Image.open(io.BytesIO(thumb)).size) <= photos.THUMB_SIDE


def test_stash_tokens_are_signed_and_give_the_photo_back():
    token = photos.stash_upload(upload(jpeg_bytes(), name="jalan.jpg"))
    again = photos.open_stashed(token)
    assert again.name == "jalan.jpg" and again.read() == jpeg_bytes()
    assert photos.open_stashed(token[:-2] + "xx") is None
    photos.discard_stashed([token])
    assert photos.open_stashed(token) is None


def test_photo_served_to_anyone_has_no_exif_or_gps_and_original_is_gone(
    citizen, pin, settings, django_capture_on_commit_callbacks
):
    ticket = file_ticket(
        title="Jalan berlubang",
        description="Lubang besar di depan sekolah.",
        lat=pin[0],
        lng=pin[1],
        reporter=citizen,
        photos=[upload(jpeg_bytes())],
    )
    attachment = Attachment.objects.get(ticket=ticket)
    # Eager Celery in tests (no REDIS_URL) or a direct call: the task is idempotent either way.
    from complaints.actions import process_attachment

    with django_capture_on_commit_callbacks(execute=True):
        process_attachment(attachment_id=attachment.pk)
    process_attachment(attachment_id=attachment.pk)
    attachment.refresh_from_db()
    assert attachment.state == Attachment.State.READY
    assert attachment.original_path == ""
    assert not list((settings.PRIVATE_UPLOAD_ROOT / "originals").glob("*"))
    served = Image.open(attachment.image.path)
    exif = served.getexif()
    assert dict(exif) == {}
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert b"PhoneCam" not in open(attachment.image.path, "rb").read()
    assert attachment.image.path.startswith(str(settings.MEDIA_ROOT))


def test_pending_photo_is_not_shown_on_the_ticket_page(client, citizen, pin, monkeypatch):
    import complaints.tasks

    monkeypatch.setattr(complaints.tasks.process_attachment, "apply_async", lambda *a, **k: None)
    ticket = file_ticket(
        title="Sampah",
        description="Menumpuk.",
        lat=pin[0],
        lng=pin[1],
        reporter=citizen,
        photos=[upload(jpeg_bytes())],
    )
    client.force_login(citizen)
    page = client.get(f"/laporan/{ticket.reference}/").content.decode()
    assert "<img" not in page.split('id="timeline"')[0].split("status-steps")[1]
    assert "being prepared" in page or "sedang disiapkan" in page
