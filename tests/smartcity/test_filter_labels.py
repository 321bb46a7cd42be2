"""A filter's "all" choice reads as a word, not "---------" (public dashboard, staff queue)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_filters_offer_any_instead_of_dashes(client, staff_dlh):
    from django.core.cache import cache

    cache.clear()  # the dashboards keep their pages for 5 minutes
    pages = [reverse("dashboards:public")]
    for url in pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "---------" not in html and '<option value="" selected>Any</option>' in html, url
    client.force_login(staff_dlh)
    html = client.get(reverse("staff:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "---------" not in html and ">Any</option>" in html
