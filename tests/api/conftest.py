import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api):
    def login(user):
        api.force_authenticate(user)
        return api

    return login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the city once for this directory (the permission matrix alone is hundreds of tests);
    the shared ``city`` fixture then finds it and moves on."""
    from services.areas import load_areas
    from services.models import Area, Service
    from services.seeding import seed_city

    with django_db_blocker.unblock():
        if not Area.objects.exists():
            load_areas()
        if not Service.objects.exists():
            seed_city()
