import pytest


@pytest.fixture
def api_key(db):
    from open311.models import ApiKey

    key, raw = ApiKey.issue(name="SP4N-LAPOR bridge")
    key.raw = raw
    return key


@pytest.fixture
def memory_cache(settings):
    """Query-count guards count the page's own queries, not the rate-limit counter's (a DB cache on SQLite)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
