"""A journalist opens the public list of the plan's activities on a phone (360 px wide), filters it and reaches an
activity's page and back: the wide table scrolls inside its box, the page itself is no wider than the screen.
Debian's chromium via Playwright."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import make_city_role
from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def plan(city):
    """This year's plan (the browser keeps real time: no clock is moved) with a PUPR and a DLH activity."""
    from planning import actions
    from planning.models import FiscalYear
    from services.models import Area, Department

    year = timezone.localdate().year
    fiscal_year = FiscalYear.objects.create(
        year=year,
        musrenbang_start=dt.date(year - 1, 1, 6),
        musrenbang_end=dt.date(year - 1, 3, 31),
        rkpd_by=dt.date(year - 1, 6, 30),
        kuappas_start=dt.date(year - 1, 7, 1),
        kuappas_end=dt.date(year - 1, 8, 31),
        apbd_by=dt.date(year - 1, 11, 30),
        execution_start=dt.date(year, 1, 1),
        execution_end=dt.date(year, 12, 31),
        evaluation_start=dt.date(year + 1, 1, 1),
        evaluation_end=dt.date(year + 1, 3, 31),
    )
    planner = make_city_role("perencana@banjarmasinkota.go.id", "planner")
    for code, name, department in (
        ("1.03.02.2.01.0001", "Normalisasi saluran drainase Kelurahan Mawar", "pupr"),
        ("2.11.01.2.01.0002", "Penataan bank sampah", "dlh"),
    ):
        actions.create_activity(
            actor=planner,
            fiscal_year=fiscal_year,
            code=code,
            name=name,
            department=Department.objects.get(code=department),
            start_date=dt.date(year, 2, 1),
            end_date=dt.date(year, 11, 30),
            kelurahans=[Area.objects.get(code="63.71.05.1003")],
        )
    return fiscal_year


def test_the_activities_list_reads_on_a_phone(live_server, browser, plan):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, device_scale_factor=2, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/perencanaan/publik/kegiatan/")
    assert page.locator("#public-activities tbody tr").count() == 2
    assert not page.evaluate(WIDER_THAN_SCREEN)
    page.select_option("#id_department", value="dlh")
    page.get_by_role("button", name="Filter").tap()
    page.wait_for_url("**department=dlh**")
    assert page.locator("#public-activities tbody tr").count() == 1
    assert not page.evaluate(WIDER_THAN_SCREEN)
    assert "department=dlh" in page.locator("#activity-downloads a", has_text="CSV").get_attribute("href")
    page.get_by_role("link", name="Penataan bank sampah").tap()
    page.wait_for_selector("#all-activities")
    page.locator("#all-activities").tap()
    page.wait_for_selector("#public-activities")
    assert page.locator("#public-activities tbody tr").count() == 2
    context.close()
