"""Shared fixtures: the seeded city, users for every role, a real Celery worker.

Which real services are present is decided by scripts/test.sh (DATABASE_URL,
REDIS_URL). Tests marked ``postgres``/``redis``/``worker``/``e2e`` skip with a
reason when their service is missing, except in CI (CI=true) where that fails.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings

pytest_plugins = ["tests.worker"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(requirement: str) -> str | None:
    if requirement in ("postgres", "worker") and not settings.USING_POSTGRES:
        return "PostgreSQL is not configured (DATABASE_URL)"
    if requirement in ("redis", "worker") and not settings.REDIS_URL:
        return "Redis is not configured (REDIS_URL)"
    if requirement == "e2e" and not shutil.which(os.environ.get("CHROMIUM", "chromium")):
        return "chromium is not installed"
    return None


def _missing_requirements(item) -> list[str]:
    reasons = []
    for requirement in ("postgres", "redis", "worker", "e2e"):
        if item.get_closest_marker(requirement):
            reason = _missing(requirement)
            if reason:
                reasons.append(reason)
    return reasons


def pytest_collection_modifyitems(config, items):
    if IN_CI:
        return  # in CI nothing is skipped: pytest_runtest_setup fails the test instead
    for item in items:
        for reason in _missing_requirements(item):
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_runtest_setup(item):
    if IN_CI:
        reasons = _missing_requirements(item)
        if reasons:
            pytest.fail(f"CI requires a service that is missing: {'; '.join(reasons)}", pytrace=False)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_catalogue_copies():
    """Rows cached by services.lookups and the kelurahan polygons (with their ids) cached by services.geo belong
    to one test's database state: sequences move on and rows roll back, so a test that did not load the areas
    itself could locate a pin in another test's kelurahan ids, and find it outside the city."""
    from services.geo import reset_index

    reset_index()  # clears services.lookups too
    yield
    reset_index()


@pytest.fixture(autouse=True)
def _default_language():
    """A test client request leaves its language active in the test's thread: a later test filing or emailing
    outside a request then spoke the earlier test's English where the city speaks Indonesian (which test failed
    depended on the order). Every test starts and ends with no language active: LANGUAGE_CODE's."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_redis_cache():
    """With Redis, what the cache holds outlives a test's transaction: filing and login limits, Open311 key limits,
    the routing mark that request_routing sets. Every test starts and ends with it empty; so does the broker,
    which shares the database (a live worker starts after this and stops before it ends). Without Redis the
    cache is a database table, rolled back with the test (and touching it would need database access)."""
    if not settings.REDIS_URL:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(db):
    """Banjarmasin's areas, departments, services and routing rules (seeded once per database state)."""
    from services.areas import load_areas
    from services.geo import reset_index
    from services.models import Area, Service
    from services.seeding import seed_city

    if not Area.objects.exists():
        load_areas()
    if not Service.objects.exists():
        seed_city()
    reset_index()
    return Area.objects.filter(level="kelurahan")


def make_user(email: str, *, password: str = "rahasia-kota-123", full_name: str = "", **extra):
    from accounts.models import User

    return User.objects.create_user(email=email, password=password, full_name=full_name or email.split("@")[0], **extra)


def make_staff(email: str, department_code: str, role: str = "staff"):
    from services.models import Department, StaffMembership

    user = make_user(email)
    StaffMembership.objects.create(user=user, department=Department.objects.get(code=department_code), role=role)
    return user


def make_city_role(email: str, group: str, **extra):
    from django.contrib.auth.models import Group

    user = make_user(email, **extra)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def citizen(city):
    return make_user("warga@example.id", full_name="Siti Warga")


@pytest.fixture
def other_citizen(city):
    return make_user("tetangga@example.id", full_name="Budi Tetangga")


@pytest.fixture
def staff_dlh(city):
    return make_staff("petugas.dlh@banjarmasinkota.go.id", "dlh")


@pytest.fixture
def head_dlh(city):
    return make_staff("kepala.dlh@banjarmasinkota.go.id", "dlh", role="head")


@pytest.fixture
def staff_pupr(city):
    return make_staff("petugas.pupr@banjarmasinkota.go.id", "pupr")


@pytest.fixture
def inspector(city):
    return make_city_role("inspektur@banjarmasinkota.go.id", "inspector")


@pytest.fixture
def planner(city):
    return make_city_role("perencana@banjarmasinkota.go.id", "planner")


@pytest.fixture
def finance(city):
    return make_city_role("keuangan@banjarmasinkota.go.id", "finance")


@pytest.fixture
def administrator(city):
    return make_city_role("admin@banjarmasinkota.go.id", "administrator", is_staff=True)


@pytest.fixture
def admin_en(client, administrator):
    """The city's administrator signed in, with the admin in English (the tests read its messages)."""
    client.force_login(administrator)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def superuser_en(client, city):
    """A superuser signed in, with the admin in English (the tests read its messages in their source text)."""
    client.force_login(make_user("root@banjarmasinkota.go.id", is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def unreachable_broker():
    """Point the Celery app's publisher at a closed port for the duration of the test."""
    from smartcity.celery import app
    from tests.fake_smtp import closed_port

    saved = app.conf.broker_write_url, app.conf.task_always_eager
    app.conf.broker_write_url = f"redis://127.0.0.1:{closed_port()}/0"
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = saved
        app._pool = None
        app.amqp._producer_pool = None
