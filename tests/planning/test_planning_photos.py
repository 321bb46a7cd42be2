"""Photos of proposals and progress reports are checked and cleaned as citizens' photos are: a decompression bomb
is refused before it is decoded in the request, and nothing of the file but the picture is kept (the media folder
is public)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from planning import actions
from planning.models import ProgressPhoto

pytestmark = pytest.mark.django_db


def report_with(photo_bytes: bytes, *, name: str, activity, head):
    return actions.report_progress(
        actor=head,
        activity=activity,
        month=dt.date(2026, 2, 1),
        physical_pct=20,
        photos=[SimpleUploadedFile(name, photo_bytes)],
    )


def test_a_decompression_bomb_is_refused_by_name(budgeted_activity, head_pupr, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bomb = io.BytesIO()
    Image.new("1", (8900, 8900)).save(bomb, "PNG")  # 79 MP in a file of about 10 KB
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ValidationError) as refused:
        report_with(bomb.getvalue(), name="denah.png", activity=budgeted_activity, head=head_pupr)
    assert refused.value.message_dict == {
        "photos": ["denah.png memiliki ukuran piksel terlalu besar untuk sebuah foto. Silakan pilih foto lain."]
    }
    assert ProgressPhoto.objects.count() == 0


def test_the_kept_photo_has_no_comment_exif_or_gps(budgeted_activity, head_pupr, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (3.0, 19.0, 7.0)}  # GPSInfo
    original = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(original, "JPEG", exif=exif, comment=b"Jl. Kenanga 12, rumah Pak RT")
    report_with(original.getvalue(), name="lokasi.jpg", activity=budgeted_activity, head=head_pupr)
    kept = ProgressPhoto.objects.get().image.read()
    assert b"Kenanga" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert "comment" not in image.info and "exif" not in image.info and not image.getexif()
