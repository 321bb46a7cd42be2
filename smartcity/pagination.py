"""Paging long public lists without counting a million rows on every request.

The public list and the API's ticket list both page a queryset that, unfiltered, covers most of the
city's tickets; an exact COUNT over ~900,000 rows takes 300-400 ms, longer than the rest of the page.
Counts at or above ``LARGE_COUNT`` are remembered in the cache for ``COUNT_CACHE_SECONDS``, keyed by
the query's SQL (so two filters, or two users' visibility rules, never share a count). Smaller counts
are always exact, so a list a person just added to is never behind; a huge one can be a minute behind,
which moves at most the last page's length.

The API's lists also take ``page_size`` (1 to ``MAX_PAGE_SIZE``), and refuse a query parameter they do not know
(``RememberedCountPagination.refuse_unknown_parameters``): a misspelt filter (``update_after``) or one another API
has (``limit``, ``sort``) listed everything with a 200, which an integration took for an answer.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings

LARGE_COUNT = 10_000
COUNT_CACHE_SECONDS = 60
MAX_PAGE_SIZE = 200


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
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.refuse_unknown_parameters(request, view, queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        """``page_size`` when given (DRF's own took a wrong one for the default, and a large one for the largest)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:  # not a number, or thousands of digits
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Use a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]}
            )
        return size

    def refuse_unknown_parameters(self, request, view, queryset) -> None:
        """A 400 naming each query parameter the list does not take, and listing the ones it does."""
        known = {self.page_query_param, self.page_size_query_param, api_settings.URL_FORMAT_OVERRIDE}
        for backend in getattr(view, "filter_backends", ()) if view is not None else ():
            get_filterset_class = getattr(backend(), "get_filterset_class", None)
            filterset_class = get_filterset_class(view, queryset) if get_filterset_class else None
            if filterset_class is not None:
                known.update(filterset_class.base_filters)
        unknown = sorted(name for name in request.query_params if name not in known)
        if unknown:
            message = _("This list takes no such parameter; it takes %(known)s.") % {
                "known": ", ".join(sorted(name for name in known if name))
            }
            raise ValidationError({name[:100]: [message] for name in unknown[:20]})

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = f"Results per page: {self.page_size} unless given, at most {MAX_PAGE_SIZE}."
        return parameters
