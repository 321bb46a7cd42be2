"""A planner turns a cluster of complaints into a proposal and an activity; finance budgets it; the
citizens who complained are told. Debian's chromium via Playwright against the live server."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import session_cookie
from tests.factories import make_ticket
from tests.planning import conftest as planning_fixtures

fiscal_year = planning_fixtures.fiscal_year
fiscal_year_2027 = planning_fixtures.fiscal_year_2027
head_pupr = planning_fixtures.head_pupr

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, user):
    """A browser context with the user's session (login itself is tested with the accounts)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.add_cookies([session_cookie(user, live_server)])
    page = context.new_page()
    page.on("pageerror", lambda error: print("page error:", error))
    return page


def test_planner_proposes_from_a_cluster_and_finance_budgets_it(
    browser, live_server, fiscal_year, fiscal_year_2027, planner, finance, head_pupr, citizen
):
    # fiscal_year_2027: the year new proposals are for while 2026 is executed (no proposal goes into a year ending).
    from complaints.models import Notification
    from planning import actions
    from planning.models import Activity, Proposal

    for _ in range(3):
        make_ticket(service="drainase-tersumbat", kelurahan="63.71.05.1003", reporter=citizen)
    make_ticket(service="jalan-rusak", kelurahan="63.71.04.1005")

    page = signed_in(browser, live_server, planner)
    page.goto(f"{live_server.url}/perencanaan/bukti/")
    assert page.locator("#evidence-map path.leaflet-interactive").count() > 40  # kelurahan boundaries drawn
    row = page.locator('tr[data-service="drainase-tersumbat"][data-area="63.71.05.1003"]')
    assert row.locator("td").nth(2).inner_text() == "3"
    row.locator("button[type=submit]").click()
    page.wait_for_url("**/perencanaan/usulan/*/")
    proposal = Proposal.objects.get()
    assert proposal.tickets.count() == 3 and proposal.source == "evidence"
    assert page.locator("#linked-tickets li").count() == 3

    # The review chain: Bappeda records the Musrenbang levels, the department head its own.
    for done, level in enumerate(("kelurahan", "kecamatan"), start=1):
        page.select_option("#form-review select[name=decision]", "recommend")
        page.fill("#form-review input[name=amount]", "950000000")
        page.click("#form-review button[type=submit]")
        page.wait_for_selector(f"#reviews li:nth-child({done}) strong")
        assert list(proposal.reviews.values_list("level", flat=True))[-1] == level
    actions.review_proposal(actor=head_pupr, proposal=proposal, level="department", decision="recommend", amount=9e8)
    page.reload()
    page.fill("#form-review input[name=amount]", "900000000")
    page.click("#form-review button[type=submit]")
    page.wait_for_selector("#form-accept")
    page.fill("#form-accept input[name=code]", "1.03.10.2.01.0099")
    page.click("#form-accept button[type=submit]")
    page.wait_for_url("**/perencanaan/kegiatan/*/")
    activity = Activity.objects.get()
    assert activity.stage == "planned" and activity.tickets.count() == 3
    assert page.locator("#stage").get_attribute("data-stage") == "planned"
    assert page.locator("#form-ceiling").count() == 0  # planners do not set budgets

    finance_page = signed_in(browser, live_server, finance)
    finance_page.goto(f"{live_server.url}/perencanaan/kegiatan/{activity.pk}/")
    finance_page.fill("#form-ceiling input[name=ceiling-amount]", "1000000000")
    finance_page.fill("#form-ceiling input[name=ceiling-account_code]", "5.1.02.01")
    finance_page.click("#form-ceiling button[type=submit]")
    finance_page.wait_for_selector("#form-approve_budget")
    finance_page.fill("#form-approve_budget input[name=approve_budget-amount]", "1200000000")
    finance_page.fill("#form-approve_budget input[name=approve_budget-account_code]", "5.1.02.01")
    finance_page.click("#form-approve_budget button[type=submit]")
    finance_page.wait_for_selector(".alert-danger")
    refusal = finance_page.locator(".alert-danger").inner_text().replace("\u00a0", " ")  # Rp joins its number
    assert "Rp 1.000.000.000" in refusal  # above the ceiling: refused, and the page came back with the form
    assert finance_page.input_value("#form-approve_budget input[name=approve_budget-amount]") == "1200000000"
    finance_page.fill("#form-approve_budget input[name=approve_budget-amount]", "950000000")
    finance_page.fill("#form-approve_budget input[name=approve_budget-account_code]", "5.1.02.01")
    finance_page.click("#form-approve_budget button[type=submit]")
    finance_page.wait_for_selector('#stage[data-stage="budgeted"]')
    assert "Rp 950.000.000" in finance_page.locator("#current-budget").inner_text().replace("\u00a0", " ")
    assert finance_page.locator("#progress-chart").bounding_box()["height"] > 100  # Chart.js drew
    activity.refresh_from_db()
    assert activity.stage == "budgeted"
    assert Notification.objects.filter(email=citizen.email, context__payload__stage="budgeted").count() == 1
