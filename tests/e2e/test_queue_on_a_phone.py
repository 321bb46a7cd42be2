"""The staff queue in a browser: a PUPR field technician's 360 × 740 phone (found in the QA walk: the filter card
filled the first screen and the table needed a sideways swipe), the kelurahan list following the kecamatan without a
reload, and the flood surge's bulk "Merge into…". Debian's chromium via Playwright."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.e2e.test_staff_flow import queue_references, signed_in_page
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Jalan berlubang besar dan tergenang air setinggi lutut di depan pasar, motor sering jatuh malam hari"


def no_sideways_scroll(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "el => el.scrollWidth <= el.clientWidth")


@pytest.fixture
def road_tickets(city, staff_pupr):
    from services.models import Area

    now = timezone.now()
    kelurahan = list(Area.objects.filter(level=Area.Level.KELURAHAN).order_by("name")[:6])
    tickets = [
        make_ticket(service="jalan-rusak", kelurahan=area, title=LONG_TITLE, assignee=staff_pupr if i % 2 else None)
        for i, area in enumerate(kelurahan)
    ]
    # Overdue and escalated rows carry the longest cells (a due date with its warning, "Escalated to the head").
    from complaints.models import Ticket

    Ticket.objects.filter(pk=tickets[0].pk).update(
        resolution_due_at=now - dt.timedelta(days=2), response_due_at=now - dt.timedelta(days=5), escalation_level=1
    )
    return tickets


def test_the_queue_fits_a_360_px_phone_and_the_filters_fold(live_server, browser, staff_pupr, road_tickets):
    from services.models import Area

    page = signed_in_page(browser, live_server, staff_pupr)
    page.set_viewport_size({"width": 360, "height": 740})
    page.set_extra_http_headers({"Accept-Language": "en"})
    page.goto(live_server.url + reverse("staff:queue"))

    assert queue_references(page) == {t.reference for t in road_tickets}
    assert no_sideways_scroll(page, "html")
    assert no_sideways_scroll(page, "#queue-table")
    assert no_sideways_scroll(page, ".table-responsive")
    # The filters are folded: the first ticket is on the first screen, its reference and title readable.
    assert not page.is_visible("#queue-filter-fields")
    first_row = page.locator("#queue-table tbody tr").first.bounding_box()
    assert first_row["y"] + 40 < 740 and first_row["x"] >= 0 and first_row["x"] + first_row["width"] <= 360
    assert page.locator("#queue-table tbody tr").first.locator("a").is_visible()
    assert page.inner_text("#queue-filters-active") == ""

    # Unfolded, a kecamatan chosen: the list changes without a reload and the button counts the filter.
    page.click("#queue-filters-toggle")
    page.wait_for_selector("#queue-filter-fields.show")
    assert no_sideways_scroll(page, "html")
    kecamatan = road_tickets[0].area.parent
    with page.expect_response(lambda response: f"kecamatan={kecamatan.pk}" in response.url):
        page.select_option("#filter-kecamatan", str(kecamatan.pk))
    page.wait_for_function("document.getElementById('queue-filters-active').textContent === '1 active'")
    offered = page.eval_on_selector_all("#filter-kelurahan option", "options => options.map(o => o.value)")
    assert set(offered) == {"", *(str(pk) for pk in Area.objects.filter(parent=kecamatan).values_list("pk", flat=True))}
    assert queue_references(page) == {t.reference for t in road_tickets if t.area.parent_id == kecamatan.pk}
    assert no_sideways_scroll(page, "html")

    # The desktop keeps its table and its open filter card.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.is_visible("#queue-table thead") and page.is_visible("#queue-filter-fields")
    assert not page.is_visible("#queue-filters-toggle")


def test_the_kelurahan_list_follows_the_kecamatan_without_a_reload(live_server, browser, staff_pupr, road_tickets):
    from services.models import Area

    page = signed_in_page(browser, live_server, staff_pupr)
    page.goto(live_server.url + reverse("staff:queue"))
    area = road_tickets[0].area
    with page.expect_response(lambda response: f"kelurahan={area.pk}" in response.url):
        page.select_option("#filter-kelurahan", str(area.pk))
    page.evaluate("window.notReloaded = true")

    other = Area.objects.filter(level=Area.Level.KECAMATAN).exclude(pk=area.parent_id).order_by("name").first()
    with page.expect_response(lambda response: f"kecamatan={other.pk}" in response.url) as answer:
        page.select_option("#filter-kecamatan", str(other.pk))

    # The kelurahan of another kecamatan is let go, not sent with it (which listed nothing).
    assert "kelurahan=" + str(area.pk) not in answer.value.url
    assert page.input_value("#filter-kelurahan") == ""
    offered = page.eval_on_selector_all("#filter-kelurahan option", "options => options.map(o => o.value)")
    assert set(offered) == {"", *(str(pk) for pk in Area.objects.filter(parent=other).values_list("pk", flat=True))}
    assert page.evaluate("window.notReloaded") is True
    page.wait_for_url(f"**kecamatan={other.pk}*")
    assert queue_references(page) == {t.reference for t in road_tickets if t.area.parent_id == other.pk}


def test_ticked_tickets_are_merged_into_one_picked_from_them(live_server, browser, staff_pupr, road_tickets):
    from complaints.models import Status, Ticket

    master, *duplicates = road_tickets[:3]
    page = signed_in_page(browser, live_server, staff_pupr)
    page.set_extra_http_headers({"Accept-Language": "en"})
    page.goto(live_server.url + reverse("staff:queue"))
    for ticket in (master, *duplicates):
        page.check(f"#queue-table tr[data-reference='{ticket.reference}'] .row-select")
    offered = page.eval_on_selector_all("#bulk-into-choices option", "options => options.map(o => o.value)")
    assert set(offered) == {master.reference, *(d.reference for d in duplicates)}  # the ticked ones
    page.select_option("#bulk-action", "merge")
    page.fill("#bulk-into", master.reference)
    with page.expect_response(lambda response: response.url.endswith(reverse("staff:bulk"))):
        page.click("#bulk-apply")
    page.wait_for_selector(f"text=2 tickets merged into {master.reference}.")
    assert Ticket.objects.filter(duplicate_of=master, status=Status.DUPLICATE).count() == 2
    assert master.reference in queue_references(page)
    assert not {d.reference for d in duplicates} & queue_references(page)
