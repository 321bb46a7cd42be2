"""Paging long public lists without counting a million rows on every request.

The public list and the API's ticket list both page a queryset that, unfiltered, covers most of the
city's tickets; an exact COUNT over ~900,000 rows takes 300-400 ms, longer than the rest of the page.
Counts at or above ``LARGE_COUNT`` are remembered in the cache for ``COUNT_CACHE_SECONDS``, keyed by
the query's SQL (so two filters, or two users' visibility rules, never share a count). Smaller counts
are always exact, so a list a person just added to is never behind; a huge one can be a minute behind,
which moves at most the last page's length.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

LARGE_COUNT = 10_000
COUNT_CACHE_SECONDS = 60


def remembered_count(queryset) -> int:
    try:
        sql, params = queryset.query.sql_with_params()
    except Exception:  # noqa: BLE001 - an empty or unusual query: count it as Django would
        return queryset.count()
    key = "pagecount:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    remembered = cache.get(key)
    if remembered is not None and remembered >= LARGE_COUNT:
        return remembered
    count = queryset.count()
    if count >= LARGE_COUNT:
        cache.set(key, count, COUNT_CACHE_SECONDS)
    return count


class RememberedCountPaginator(Paginator):
    @cached_property
    def count(self):
        if hasattr(self.object_list, "query"):
            return remembered_count(self.object_list)
        return super().count


class RememberedCountPagination(PageNumberPagination):
    django_paginator_class = RememberedCountPaginator
