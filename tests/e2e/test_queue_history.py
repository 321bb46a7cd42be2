"""Back and Forward through a queue filtered with htmx: the browser shows the whole page (filters, navigation,
styles) and the filter controls say what the list shows. The results fragment and the page share a URL (htmx
pushes it), so a cached fragment or a stale history snapshot used to come back instead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.test_staff_flow import queue_references, signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def two_kelurahan_tickets():
    from services.models import Area

    first, second = Area.objects.filter(level=Area.Level.KELURAHAN).order_by("name")[:2]
    return (first, make_ticket(kelurahan=first)), (second, make_ticket(kelurahan=second))


def filter_by(page, name: str, value) -> None:
    """Choose a filter and wait for htmx to bring the list (and push its URL)."""
    with page.expect_response(lambda response: f"{name}={value}" in response.url):
        page.select_option(f"#filter-{name}", str(value))
    page.wait_for_url(f"**{name}={value}*")


def test_back_from_a_ticket_shows_the_whole_filtered_queue(live_server, browser, staff_dlh):
    (area, ticket), (_other_area, other) = two_kelurahan_tickets()
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(live_server.url + reverse("staff:queue"))
    assert queue_references(page) == {ticket.reference, other.reference}
    filter_by(page, "kelurahan", area.pk)
    assert queue_references(page) == {ticket.reference}

    with page.expect_navigation():
        page.click(f"#queue-table tr[data-reference='{ticket.reference}'] a")
    page.go_back()

    page.wait_for_selector("#queue-filters")
    assert page.locator("nav").count() >= 1
    assert page.input_value("#filter-kelurahan") == str(area.pk)
    assert queue_references(page) == {ticket.reference}


def test_back_and_forward_keep_the_filters_in_step_with_the_list(live_server, browser, staff_dlh):
    (area, ticket), (other_area, other) = two_kelurahan_tickets()
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(live_server.url + reverse("staff:queue"))
    filter_by(page, "kelurahan", area.pk)
    filter_by(page, "kelurahan", other_area.pk)
    assert queue_references(page) == {other.reference}

    page.go_back()
    page.wait_for_function(f"!document.querySelector(\"#queue-table tr[data-reference='{other.reference}']\")")
    assert queue_references(page) == {ticket.reference}
    assert page.input_value("#filter-kelurahan") == str(area.pk)

    page.go_forward()
    page.wait_for_function(f"!document.querySelector(\"#queue-table tr[data-reference='{ticket.reference}']\")")
    assert page.input_value("#filter-kelurahan") == str(other_area.pk)

    # The next filter change keeps the kelurahan the list was showing.
    filter_by(page, "status", "all")
    assert queue_references(page) == {other.reference}
    assert f"kelurahan={other_area.pk}" in page.url
