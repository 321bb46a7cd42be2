"""Fixtures for the staff pages: tickets of department A (DLH) and a helper to log in by role name."""

from __future__ import annotations

import io

import pytest

from tests.conftest import make_staff
from tests.factories import make_ticket


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the city once for this directory's tests (the matrix alone is hundreds of tests).

    The shared ``city`` fixture seeds only when the tables are empty, so it finds this and moves on;
    transactional tests flush it and ``city`` seeds again.
    """
    from services.areas import load_areas
    from services.models import Area, Service
    from services.seeding import seed_city

    with django_db_blocker.unblock():
        if not Area.objects.exists():
            load_areas()
        if not Service.objects.exists():
            seed_city()


@pytest.fixture
def dlh_member(city):
    """A second DLH staff member, to assign tickets to."""
    return make_staff("anggota.dlh@banjarmasinkota.go.id", "dlh")


@pytest.fixture
def dlh_ticket(citizen):
    return make_ticket(reporter=citizen, title="Sampah menumpuk di Jalan Mawar")


@pytest.fixture
def canned_dlh(city):
    from complaints.models import CannedResponse
    from services.models import Department

    return CannedResponse.objects.create(
        department=Department.objects.get(code="dlh"),
        title="Diterima",
        body="Laporan {reference} ({service}, {kelurahan}) ditangani {department}, selesai paling lambat {due_date}.",
    )


@pytest.fixture
def as_role(request, client):
    """Log the test client in as one of the matrix roles and return the user."""

    def login(role: str):
        from tests.staff.matrix import ROLE_FIXTURES

        user = request.getfixturevalue(ROLE_FIXTURES[role])
        client.force_login(user)
        return user

    return login


def jpeg_bytes(size=(40, 30), colour=(200, 40, 40), with_gps: bool = False) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    if with_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "S", 2: (3.0, 19.0, 7.0)}  # GPSInfo
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("hasil.jpg", jpeg_bytes(with_gps=True), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in their English source text (the site's default language is Indonesian)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
