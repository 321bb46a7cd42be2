"""A neighbourhood's proposal sent from a phone (360 px wide): from the public proposals page's "Send a proposal" to
"My proposals", with a photo, nothing wider than the screen. Debian's chromium via Playwright."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from tests.conftest import make_user
from tests.e2e.conftest import TIMEOUT_MS, session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def musrenbang_now(city):
    """The Musrenbang of next year's plan runs today (the browser keeps real time: no clock is moved)."""
    from planning.models import FiscalYear

    today = timezone.localdate()
    year = today.year + 1
    end = today + dt.timedelta(days=30)
    return FiscalYear.objects.create(
        year=year,
        musrenbang_start=today - dt.timedelta(days=10),
        musrenbang_end=end,
        rkpd_by=end + dt.timedelta(days=30),
        kuappas_start=end + dt.timedelta(days=31),
        kuappas_end=end + dt.timedelta(days=60),
        apbd_by=end + dt.timedelta(days=90),
        execution_start=dt.date(year, 1, 1),
        execution_end=dt.date(year, 12, 31),
        evaluation_start=dt.date(year + 1, 1, 1),
        evaluation_end=dt.date(year + 1, 3, 31),
    )


def test_a_citizen_sends_a_proposal_from_a_phone(live_server, browser, musrenbang_now, tmp_path):
    from planning.models import Proposal
    from services.models import Area

    citizen = make_user("rt05@example.id", full_name="Pak RT Lima")
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, device_scale_factor=2, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([session_cookie(citizen, live_server)])
    page = context.new_page()
    photo = tmp_path / "gang.jpg"
    data = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 60)).save(data, "JPEG")
    photo.write_bytes(data.getvalue())

    page.goto(f"{live_server.url}/perencanaan/publik/usulan/")
    assert not page.evaluate(WIDER_THAN_SCREEN)
    page.locator("#send-proposal-button").tap()
    page.wait_for_selector("#community-proposal-form")
    assert not page.evaluate(WIDER_THAN_SCREEN)
    page.fill("#id_title", "Lampu jalan Gang Mawar")
    page.fill("#id_problem", "Gang gelap malam hari, warga jatuh ke parit.")
    page.select_option("#id_area", value=str(Area.objects.get(code="63.71.05.1003").pk))
    page.set_input_files("#id_photos", str(photo))
    # A cost of nothing is refused by the server: nothing typed is lost, the photo comes back ticked.
    page.fill("#id_estimated_cost", "0")
    page.locator("#send-proposal").tap()
    page.wait_for_selector("#form-errors")
    assert not page.evaluate(WIDER_THAN_SCREEN)
    assert page.input_value("#id_title") == "Lampu jalan Gang Mawar"
    assert page.locator(".kept-photos input[type=checkbox]").is_checked()
    page.fill("#id_estimated_cost", "")
    page.fill("#id_group_name", "RT 05 RW 02")
    page.locator("#send-proposal").tap()

    page.wait_for_selector("#my-proposals")
    assert "Lampu jalan Gang Mawar" in page.locator("#my-proposals").inner_text()
    assert "Under review at the Kelurahan level." in page.locator("#my-proposals").inner_text()
    assert not page.evaluate(WIDER_THAN_SCREEN)
    proposal = Proposal.objects.get()
    assert proposal.source == "community" and proposal.photos.count() == 1 and proposal.group_name == "RT 05 RW 02"
    context.close()
