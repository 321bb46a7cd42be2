"""Long public lists remember their count for a minute; short ones are always exact."""

import pytest

from smartcity import pagination
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _api_count(client, query=""):
    return client.get(f"/api/v1/tickets/{query}").json()["count"]


def test_short_lists_count_exactly(client, city, memory_cache):
    make_ticket()
    assert _api_count(client) == 1
    make_ticket()
    assert _api_count(client) == 2


def test_long_lists_reuse_their_count_and_filters_count_apart(
    client, city, memory_cache, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(pagination, "LARGE_COUNT", 3)
    for _ in range(3):
        make_ticket(service="sampah-menumpuk")
    make_ticket(service="jalan-rusak")
    assert _api_count(client) == 4
    make_ticket(service="sampah-menumpuk")
    with django_assert_num_queries(1):  # the page of tickets only: the count is remembered
        assert _api_count(client) == 4
    # Another filter is another query, counted on its own (and exactly).
    assert _api_count(client, "?service=sampah-menumpuk") == 4
    assert _api_count(client, "?service=jalan-rusak") == 1


def test_public_list_page_counts_once(client, city, memory_cache, monkeypatch):
    monkeypatch.setattr(pagination, "LARGE_COUNT", 2)
    for _ in range(2):
        make_ticket()
    first = client.get("/laporan/")
    make_ticket()
    second = client.get("/laporan/")
    assert first.context["page"].paginator.count == second.context["page"].paginator.count == 2
