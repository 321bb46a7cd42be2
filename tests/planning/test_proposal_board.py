"""The planner's board lists a year's proposals as Bappeda works through them after Musrenbang in 52 kelurahan:
filtered by area, status or review level, department and source, sorted, a page at a time in a flat number of
queries; and a reviewer who has decided on one is offered the next one waiting for them, or the board as they left
it (found in the walk of the Bappeda planner)."""

from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from planning.models import Proposal, ProposalReview
from services.models import Area, Department
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

BOARD = reverse("planning:board")
JINGAH = "63.71.04.1004"  # Sungai Jingah, Banjarmasin Utara
MAWAR = "63.71.05.1003"  # Mawar, Banjarmasin Tengah
UTARA = "63.71.04"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def propose(fiscal_year, title, *, kelurahan=JINGAH, department="pupr", source="musrenbang_kelurahan", cost=1e8):
    return Proposal.objects.create(
        fiscal_year=fiscal_year,
        source=source,
        title=title,
        problem="Dari Musrenbang.",
        area=Area.objects.get(code=kelurahan),
        department=Department.objects.get(code=department),
        estimated_cost=Decimal(cost),
    )


def reviewed(proposal, *levels, reviewer=None, decision="recommend"):
    """Record ``levels`` of the review chain as the planner's clerk did them, in order."""
    ProposalReview.objects.bulk_create(
        ProposalReview(
            proposal=proposal, level=level, decision=decision, amount=proposal.estimated_cost, reviewer=reviewer
        )
        for level in levels
    )
    return proposal


def listed(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


def board(client, **params):
    return client.get(BOARD, {"tahun": 2026, **params}, HTTP_ACCEPT_LANGUAGE="en")


def test_the_board_filters_by_area_status_department_and_source(client, planner, fiscal_year):
    jingah = propose(fiscal_year, "Siring Jingah")
    reviewed(propose(fiscal_year, "Titian Jingah"), "kelurahan")
    mawar = reviewed(propose(fiscal_year, "Drainase Mawar", kelurahan=MAWAR, department="dlh"), "kelurahan")
    reviewed(propose(fiscal_year, "Pasar Mawar", kelurahan=MAWAR, source="department"), "kelurahan", "kecamatan")
    declined = reviewed(propose(fiscal_year, "Lampu Jingah"), "kelurahan", decision="decline")
    declined.status = Proposal.Status.DECLINED
    declined.save()
    client.force_login(planner)

    kecamatan = Area.objects.get(code=UTARA)
    assert set(listed(board(client, kecamatan=kecamatan.pk))) == {"Siring Jingah", "Titian Jingah", "Lampu Jingah"}
    assert set(listed(board(client, kelurahan=mawar.area.pk))) == {"Drainase Mawar", "Pasar Mawar"}
    assert listed(board(client, status="kelurahan")) == ["Siring Jingah"]
    assert set(listed(board(client, status="kecamatan"))) == {"Titian Jingah", "Drainase Mawar"}
    assert listed(board(client, status="department")) == ["Pasar Mawar"]
    assert listed(board(client, status="declined")) == ["Lampu Jingah"]
    assert len(listed(board(client, status="in_review"))) == 4
    assert listed(board(client, dinas="dlh")) == ["Drainase Mawar"]
    assert listed(board(client, source="department")) == ["Pasar Mawar"]
    assert listed(board(client, kecamatan=kecamatan.pk, status="kelurahan")) == [jingah.title]
    # A kelurahan outside the kecamatan chosen is named, and the kecamatan still filters.
    refused = board(client, kecamatan=kecamatan.pk, kelurahan=mawar.area.pk)
    assert refused.context["filter_form"]["kelurahan"].errors
    assert set(listed(refused)) == {"Siring Jingah", "Titian Jingah", "Lampu Jingah"}
    page = board(client, status="kecamatan").content.decode()
    assert "Under review at the Kecamatan level." in page


def test_the_board_sorts_by_newest_cost_or_kelurahan(client, planner, fiscal_year):
    propose(fiscal_year, "Murah Mawar", kelurahan=MAWAR, cost=5e7)
    propose(fiscal_year, "Mahal Jingah", cost=9e8)
    propose(fiscal_year, "Sedang Mawar", kelurahan=MAWAR, cost=3e8)
    client.force_login(planner)
    assert listed(board(client)) == ["Sedang Mawar", "Mahal Jingah", "Murah Mawar"]
    assert listed(board(client, sort="cost")) == ["Mahal Jingah", "Sedang Mawar", "Murah Mawar"]
    assert listed(board(client, sort="cost_asc")) == ["Murah Mawar", "Sedang Mawar", "Mahal Jingah"]
    assert listed(board(client, sort="kelurahan")) == ["Sedang Mawar", "Murah Mawar", "Mahal Jingah"]


def test_hundreds_of_proposals_come_a_page_at_a_time_in_a_flat_number_of_queries(
    client, planner, fiscal_year, citizen, django_assert_max_num_queries
):
    tickets = [make_ticket(service="drainase-tersumbat", kelurahan=JINGAH, reporter=citizen) for _ in range(3)]
    for n in range(120):
        proposal = propose(fiscal_year, f"Usulan {n:03d}", kelurahan=JINGAH if n % 2 else MAWAR, cost=1e6 * (n + 1))
        proposal.tickets.set(tickets[: n % 4])
        reviewed(proposal, *["kelurahan", "kecamatan"][: n % 3], reviewer=planner)
    client.force_login(planner)
    # Every proposal of the year would be 120 rows: a page of them, whatever the year holds (the calendar, stages,
    # evidence and milestones read as before; the list adds its page, its count, the sources and the filters' lists).
    with django_assert_max_num_queries(23):
        first = board(client, status="in_review", sort="cost")
    assert first.status_code == 200
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 120
    rows = first.context["page"].object_list
    assert [p.estimated_cost for p in rows] == sorted((p.estimated_cost for p in rows), reverse=True)
    assert (rows[0].title, rows[0].n_tickets) == ("Usulan 119", 3)
    html = first.content.decode()
    # The next page keeps the filters and the order.
    next_link = re.search(r'href="\?([^"]*page=2)"', html).group(1)
    assert parse_qs(html_lib.unescape(next_link)) == {
        "tahun": ["2026"],
        "status": ["in_review"],
        "sort": ["cost"],
        "page": ["2"],
    }
    with django_assert_max_num_queries(23):
        last = client.get(BOARD + "?" + html_lib.unescape(next_link).replace("page=2", "page=5"))
    assert len(last.context["page"].object_list) == 120 - 4 * 25


def open_from_board(client, response, title: str):
    """Open the proposal ``title`` by its link on the board page ``response``, as the planner clicks it."""
    proposal = Proposal.objects.get(title=title)
    href = re.search(
        rf'href="({re.escape(reverse("planning:proposal", args=[proposal.pk]))}[^"]*)"', response.content.decode()
    )
    return client.get(html_lib.unescape(href.group(1)), HTTP_ACCEPT_LANGUAGE="en")


def review_on_page(client, page, decision="recommend", note=""):
    """Submit the review form of the proposal page ``page`` as it is (its hidden fields included), then follow."""
    html = page.content.decode()
    form = html[html.index('id="form-review"') :]
    carried = re.search(r'<input type="hidden" name="papan" value="([^"]*)"', form[: form.index("</form>")])
    proposal = page.context["proposal"]
    data = {"decision": decision, "amount": "90.000.000", "note": note}
    if carried:
        data["papan"] = html_lib.unescape(carried.group(1))
    return client.post(
        reverse("planning:proposal_review", args=[proposal.pk]), data, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_after_the_kecamatan_review_the_reviewer_goes_on_to_the_next_one_waiting_or_back_to_the_board(
    client, planner, fiscal_year
):
    first = reviewed(propose(fiscal_year, "Siring RT 07", cost=3e8), "kelurahan")
    reviewed(propose(fiscal_year, "Titian RT 02", cost=2e8), "kelurahan")
    reviewed(propose(fiscal_year, "Drainase Mawar", kelurahan=MAWAR, cost=9e8), "kelurahan")  # another kelurahan
    propose(fiscal_year, "Lampu RT 05", cost=5e8)  # waiting at the kelurahan level, not the kecamatan
    client.force_login(planner)
    jingah = Area.objects.get(code=JINGAH)
    filtered = board(client, kelurahan=jingah.pk, status="kecamatan", sort="cost")
    assert listed(filtered) == ["Siring RT 07", "Titian RT 02"]

    page = open_from_board(client, filtered, "Siring RT 07")
    assert page.context["review_form"] is not None and page.context["way_on"] is None
    decided = review_on_page(client, page)
    assert decided.status_code == 200
    assert list(first.reviews.values_list("level", flat=True)) == ["kelurahan", "kecamatan"]
    html = decided.content.decode()
    assert "Review recorded." in html
    # Next: the department's level, not the planner's; the page offers the next one waiting for them at the
    # kecamatan level in the list they came from (not Mawar's, not one still at the kelurahan level)...
    next_link = re.search(r'<a href="([^"]+)" id="next-proposal">([^<]+)</a>', html)
    assert next_link.group(2) == "Titian RT 02"
    assert "Next proposal waiting for your review at the Kecamatan level:" in html
    # ...and the way back to the board as it was left: the same filters and order.
    back = re.search(r'<a href="([^"]+)" id="back-to-board">', html).group(1)
    assert parse_qs(urlsplit(html_lib.unescape(back)).query) == {
        "tahun": ["2026"],
        "kelurahan": [str(jingah.pk)],
        "status": ["kecamatan"],
        "sort": ["cost"],
    }
    assert listed(client.get(html_lib.unescape(back))) == ["Titian RT 02"]

    # The next one, declined this time: none other waits in that list; the board is still the way on.
    second = client.get(html_lib.unescape(next_link.group(1)), HTTP_ACCEPT_LANGUAGE="en")
    last = review_on_page(client, second, decision="decline", note="Sudah dianggarkan kelurahan.")
    html = last.content.decode()
    assert 'id="next-proposal"' not in html
    assert "No other proposal in the board's list is waiting for your review at the Kecamatan level." in html
    assert 'id="back-to-board"' in html


def test_a_department_head_goes_on_to_the_next_proposal_of_their_department(client, planner, head_pupr, fiscal_year):
    from tests.planning.conftest import bridge_proposal

    mine = reviewed(bridge_proposal(fiscal_year, planner), "kelurahan", "kecamatan", reviewer=planner)
    reviewed(propose(fiscal_year, "Drainase DLH", department="dlh"), "kelurahan", "kecamatan")
    reviewed(propose(fiscal_year, "Jalan PUPR"), "kelurahan", "kecamatan")
    client.force_login(head_pupr)
    page = client.get(reverse("planning:proposal", args=[mine.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = review_on_page(client, page).content.decode()
    assert re.search(r'id="next-proposal">([^<]+)</a>', html).group(1) == "Jalan PUPR"
    # Opened without the board, the way back is the board of the proposal's year.
    back = re.search(r'<a href="([^"]+)" id="back-to-board">', html).group(1)
    assert html_lib.unescape(back) == f"{BOARD}?tahun=2026#proposals-title"


def test_who_has_not_decided_on_the_proposal_is_offered_no_way_on(client, planner, inspector, fiscal_year):
    proposal = reviewed(propose(fiscal_year, "Siring RT 07"), "kelurahan", "kecamatan", reviewer=planner)
    client.force_login(inspector)
    page = client.get(reverse("planning:proposal", args=[proposal.pk]))
    assert page.context["way_on"] is None and 'id="way-on"' not in page.content.decode()
