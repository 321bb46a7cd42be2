"""Fixtures for the citizen side: photos with and without metadata."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

# A point in Kelurahan Mawar (Banjarmasin Tengah) and one in the Java Sea.
GPS_IN_CITY = (-3.3186, 114.5944)


class _StubTask:
    name = "complaints.tasks.route_ticket (stub)"

    def apply_async(self, args=(), kwargs=None):
        return None


@pytest.fixture(autouse=True)
def _route_ticket_exists(monkeypatch):
    """Until the routing task lands, filing enqueues a no-op; once it exists the real one runs."""
    import complaints.tasks

    if not hasattr(complaints.tasks, "route_ticket"):
        monkeypatch.setattr(complaints.tasks, "route_ticket", _StubTask(), raising=False)


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return float(degrees), float(minutes), seconds


def jpeg_bytes(
    *, size=(640, 480), gps: tuple[float, float] | None = GPS_IN_CITY, orientation: int | None = None
) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x0110] = "PhoneCam 9"  # camera model
    exif[0x013B] = "Siti Warga"  # artist
    if orientation:
        exif[0x0112] = orientation
    if gps:
        lat, lng = gps
        exif[ExifTags.IFD.GPSInfo] = {
            1: "S" if lat < 0 else "N",
            2: _dms(lat),
            3: "W" if lng < 0 else "E",
            4: _dms(lng),
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def image_bytes(fmt: str, size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, fmt)
    return out.getvalue()


def bomb_png() -> bytes:
    """A tiny file that claims 64 megapixels (a decompression bomb for our 40 MP limit)."""
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def photo():
    return upload(jpeg_bytes())


@pytest.fixture
def mawar(city):
    from services.models import Area

    return Area.objects.get(code="63.71.05.1003")


@pytest.fixture
def pin(mawar):
    return (mawar.label_lat, mawar.label_lng)
