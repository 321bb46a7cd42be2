"""The public page of an activity in Debian's chromium: its budget cards hold billions of Rupiah at 360 px.

"Rp 11.280.000.000" (kept on one line by its no-break space) spilled out of a half-width card on a phone: scrollWidth
170 px in 142 px. The money cards take the full width on phones, half up to large screens."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.dashboards.conftest import _local_cache, dataset, plan  # noqa: F401 - fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 412, 768, 1024, 1366)

# Every element inside the budget cards whose content is wider than its box, or that sticks out of its card.
SPILLS = """() => Array.from(document.querySelectorAll('#money-title ~ .row > div')).flatMap(column => {
    const card = column.firstElementChild.getBoundingClientRect();
    return Array.from(column.querySelectorAll('*')).filter(el => el.scrollWidth > el.clientWidth + 1
        || el.getBoundingClientRect().right > card.right + 1).map(el => ({id: el.id, text: el.innerText,
        scroll: el.scrollWidth, client: el.clientWidth}));
})"""


def test_billions_of_rupiah_stay_inside_their_cards(browser, live_server, plan):  # noqa: F811
    from planning.models import BudgetLine, Realisation

    activity = plan["A1"]
    BudgetLine.objects.filter(activity=activity, version="revised").update(amount=Decimal("5640000000"))
    Realisation.objects.filter(activity=activity).update(amount=Decimal("4938271605"))
    url = live_server.url + reverse("planning:public_activity", args=[activity.pk])
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
        page = context.new_page()
        assert page.goto(url).status == 200
        assert page.locator("#budget-in-force").inner_text() == "Rp\xa011.280.000.000"
        assert page.locator("#realised").inner_text() == "Rp\xa09.876.543.210"
        assert page.evaluate(SPILLS) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        context.close()
