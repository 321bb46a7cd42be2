"""The public proposals page: anyone follows what became of each proposal (usulan) of the city's plan, and reads
nothing of what is internal: who entered or reviewed it, a recommending level's note, reports that are not public."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from complaints.models import Privacy
from planning import actions
from planning.models import Proposal, ProposalPhoto
from services.models import Area, Department
from tests.conftest import make_city_role, make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"
INTERNAL_NOTE = "Catatan internal: konsultan sudah dihubungi"
DECLINE_REASON = "Sudah dianggarkan dalam kegiatan normalisasi sungai tahun ini."
PROBLEM = "Jembatan kayu lapuk di depan rumah Pak Amat."


@pytest.fixture
def named_planner(city):
    return make_city_role("rina.bappeda@banjarmasinkota.go.id", "planner", full_name="Rina Perencana Bappeda")


@pytest.fixture
def named_head(city):
    head = make_staff("kepala.pupr@banjarmasinkota.go.id", "pupr", role="head")
    head.full_name = "Ir. Bambang Kepala Dinas"
    head.save(update_fields=["full_name"])
    return head


def propose(fiscal_year, planner, title, *, kelurahan=MAWAR, source="musrenbang_kelurahan", cost=500_000_000):
    return actions.submit_proposal(
        actor=planner,
        fiscal_year=fiscal_year,
        source=source,
        title=title,
        problem=PROBLEM,
        area=Area.objects.get(code=kelurahan),
        department=Department.objects.get(code="pupr"),
        estimated_cost=cost,
    )


def review(proposal, actor, decision="recommend", note=""):
    return actions.review_proposal(
        actor=actor,
        proposal=proposal,
        level=actions.next_review_level(proposal),
        decision=decision,
        note=note,
        amount=400_000_000 if decision == "recommend" else None,
    )


@pytest.fixture
def proposals(musrenbang, fiscal_year, named_planner, named_head, citizen):
    """Three proposals of 2026: one in review at the kecamatan, one turned down there, one accepted as an activity;
    the first answers a public and a confidential report."""
    in_review = propose(fiscal_year, named_planner, "Pembangunan jembatan Mawar")
    review(in_review, named_planner, note=INTERNAL_NOTE)
    public = make_ticket(service="drainase-tersumbat", reporter=citizen, title="Jembatan goyang")
    confidential = make_ticket(
        service="drainase-tersumbat", reporter=citizen, privacy=Privacy.CONFIDENTIAL, title="Rahasia: pungli proyek"
    )
    in_review.tickets.add(public, confidential)
    ProposalPhoto.objects.create(proposal=in_review, image="planning/proposals/2025/02/jembatan.jpg")

    declined = propose(fiscal_year, named_planner, "Pengerukan sungai kecil", source="musrenbang_kecamatan")
    review(declined, named_planner)
    review(declined, named_planner, decision="decline", note=DECLINE_REASON)

    accepted = propose(fiscal_year, named_planner, "Drainase Jalan Kenanga", source="department", cost=750_000_000)
    while level := actions.next_review_level(accepted):
        review(accepted, named_head if level == "department" else named_planner)
    activity = actions.accept_proposal(
        actor=named_planner,
        proposal=accepted,
        code="1.03.02.2.01.0009",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    return {
        "in_review": in_review,
        "declined": declined,
        "accepted": accepted,
        "activity": activity,
        "public": public,
        "confidential": confidential,
    }


def proposals_page(client, language="id", **params):
    return client.get(reverse("planning:public_proposals"), params, HTTP_ACCEPT_LANGUAGE=language)


def titles(response) -> list[str]:
    return [proposal.title for proposal, _standing in response.context["rows"]]


def test_anyone_sees_each_proposal_with_where_it_stands_and_why(client, proposals, citizen):
    response = proposals_page(client, "en")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["year"] == 2026
    assert set(titles(response)) == {"Pembangunan jembatan Mawar", "Pengerukan sungai kecil", "Drainase Jalan Kenanga"}
    assert "Under review at the Kecamatan level." in html
    assert "Turned down at the Kecamatan level." in html and DECLINE_REASON in html
    assert "Accepted into the city&#x27;s plan." in html
    assert reverse("planning:public_activity", args=[proposals["activity"].pk]) in html
    assert "Rp\u00a0500.000.000" in html and "Rp\u00a0750.000.000" in html
    assert "Musrenbang kelurahan" in html and "Mawar" in html and "fiscal year 2026" in html
    # The reports it answers: counted, the public one linked, the confidential one only counted.
    assert "Answers 2 reports" in html and "1 report that is not public" in html
    assert reverse("complaints:ticket", args=[proposals["public"].reference]) in html
    # Proposal photos are public planning photos (re-encoded without EXIF/GPS when entered).
    assert "/media/planning/proposals/2025/02/jembatan.jpg" in html


def test_indonesian_by_default(client, proposals):
    html = proposals_page(client).content.decode()
    assert 'lang="id"' in html and "Usulan" in html and "Rp\u00a0500.000.000" in html
    assert DECLINE_REASON in html


def test_nothing_internal_nor_anybody_s_name(client, proposals, named_planner, named_head, citizen):
    for response in (
        proposals_page(client, "en"),
        client.get(reverse("planning:public_proposal", args=[proposals["in_review"].pk]), HTTP_ACCEPT_LANGUAGE="en"),
    ):
        html = response.content.decode()
        for person in (named_planner, named_head, citizen):
            assert person.email not in html and person.full_name not in html
        assert "Entered by" not in html
        assert INTERNAL_NOTE not in html and PROBLEM not in html
        confidential = proposals["confidential"]
        assert confidential.reference not in html and confidential.title not in html


def test_the_filters(client, proposals, fiscal_year_2027, named_planner):
    propose(fiscal_year_2027, named_planner, "Taman kota 2027", kelurahan="63.71.01.1001")
    assert titles(proposals_page(client, status="declined")) == ["Pengerukan sungai kecil"]
    assert titles(proposals_page(client, status="accepted")) == ["Drainase Jalan Kenanga"]
    assert titles(proposals_page(client, source="musrenbang_kecamatan")) == ["Pengerukan sungai kecil"]
    assert titles(proposals_page(client, tahun=2027)) == ["Taman kota 2027"]
    mawar = Area.objects.get(code=MAWAR)
    assert len(titles(proposals_page(client, kelurahan=mawar.pk))) == 3
    assert len(titles(proposals_page(client, kecamatan=mawar.parent_id))) == 3
    elsewhere = Area.objects.filter(level="kecamatan").exclude(pk=mawar.parent_id).first()
    assert titles(proposals_page(client, kecamatan=elsewhere.pk)) == []
    assert titles(proposals_page(client, tahun=2027, kecamatan=elsewhere.pk)) == (
        ["Taman kota 2027"] if Area.objects.get(code="63.71.01.1001").parent_id == elsewhere.pk else []
    )
    # A year that is no choice shows the default year and names the refused field.
    refused = proposals_page(client, tahun=1999)
    assert refused.context["year"] == 2026 and refused.context["form"].errors["tahun"]


def test_the_default_year_is_the_one_proposals_are_collected_for(client, proposals, fiscal_year_2027, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 14, 2, 0, tzinfo=dt.UTC))  # Musrenbang for 2027
    response = proposals_page(client)
    assert response.context["year"] == 2027 and titles(response) == []
    assert 'value="2027" selected' in response.content.decode()


def test_the_activity_page_links_back_to_its_proposal(client, proposals):
    activity_page = client.get(reverse("planning:public_activity", args=[proposals["activity"].pk]))
    link = reverse("planning:public_proposal", args=[proposals["accepted"].pk])
    assert link in activity_page.content.decode()
    proposal_page = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert proposal_page.status_code == 200
    assert "Accepted into the city&#x27;s plan." in proposal_page.content.decode()


def test_the_navigation_links_to_the_proposals(client, city):
    assert reverse("planning:public_proposals") in client.get(reverse("home")).content.decode()


def test_the_query_count_does_not_grow_with_the_proposals(
    client, proposals, fiscal_year, named_planner, citizen, django_assert_max_num_queries
):
    for i in range(40):
        proposal = propose(fiscal_year, named_planner, f"Usulan nomor {i}")
        review(proposal, named_planner, **({"decision": "decline", "note": f"Alasan {i}"} if i % 3 == 0 else {}))
        proposal.tickets.add(make_ticket(reporter=citizen, title=f"Laporan {i}"))
        ProposalPhoto.objects.create(proposal=proposal, image=f"planning/proposals/2025/02/u{i}.jpg")
    # The year whose Musrenbang runs (the year collected for, its calendar, the one open to community proposals),
    # the years offered, the kecamatan and kelurahan offered, the count, the page, and its reviews, reports and
    # photos: 9, whatever the number of proposals.
    with django_assert_max_num_queries(9):
        response = proposals_page(client)
    assert response.status_code == 200 and len(response.context["rows"]) == 25
    assert Proposal.objects.count() == 43
    assert response.context["community_year"].year == 2026
    with django_assert_max_num_queries(9):
        assert len(proposals_page(client, page=2).context["rows"]) == 18


def test_the_page_says_when_proposals_are_gathered_and_decided(client, musrenbang, fiscal_year):
    """A citizen asking when to bring a proposal finds the year's calendar, with the Musrenbang running now."""
    page = proposals_page(client, language="en").content.decode()
    assert "When proposals for 2026 are gathered and decided" in page
    assert 'id="public-calendar"' in page
    assert "The Musrenbang is running now, until 31 March 2025" in page
    steps = [(s["code"], s["state"]) for s in proposals_page(client).context["calendar"]]
    assert steps[0] == ("musrenbang", "current")
    assert [state for _code, state in steps[1:]] == ["upcoming"] * 5


def test_after_the_musrenbang_the_calendar_shows_it_done_without_the_invitation(client, time_machine, fiscal_year):
    time_machine.move_to(dt.datetime(2025, 7, 15, 2, 0, tzinfo=dt.UTC))
    response = proposals_page(client, language="en", tahun=2026)
    page = response.content.decode()
    assert 'id="public-calendar"' in page and "musrenbang-now" not in page
    states = {s["code"]: s["state"] for s in response.context["calendar"]}
    assert states["musrenbang"] == "done" and states["kuappas"] == "current"


def test_a_year_without_a_calendar_shows_none(client, city):
    page = proposals_page(client, language="en").content.decode()
    assert "public-calendar" not in page
