"""The queue's htmx answers: the results alone for a filter change, the whole page otherwise, and caches told
the two differ (they share a URL)."""

from __future__ import annotations

from django.urls import reverse


def test_results_and_page_share_a_url_and_say_they_differ_by_hx_request(client, staff_dlh, dlh_ticket):
    client.force_login(staff_dlh)
    url = reverse("staff:queue") + "?status=all"
    page = client.get(url)
    results = client.get(url, headers={"HX-Request": "true"})
    assert b'id="queue-filters"' in page.content
    assert b'id="queue-filters"' not in results.content
    for response in (page, results):
        assert "HX-Request" in response["Vary"]


def test_htmx_restoring_history_gets_the_whole_page(client, staff_dlh, dlh_ticket):
    client.force_login(staff_dlh)
    response = client.get(
        reverse("staff:queue") + "?status=all",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert b'id="queue-filters"' in response.content
    assert b"hx-swap-oob" not in response.content
