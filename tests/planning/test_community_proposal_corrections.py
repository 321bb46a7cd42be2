"""A citizen who sent a proposal online is its proposer, and the proposer rule let them change it through the staff
proposal pages (edit, link and unlink reports) although those pages are for city staff. They now stay staff-only;
the citizen corrects the title, problem and estimated cost of their own proposal on "My proposals" instead, until
its first review, and nobody else's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from planning import actions
from planning.models import Proposal
from tests.factories import make_ticket

from .test_community_proposals import MAWAR, MINE, english, send

pytestmark = pytest.mark.django_db

INTERNAL_NOTE = "Catatan internal: lokasi dekat rumah Kasi, cek ulang anggaran PJU."


@pytest.fixture
def sent(client, fiscal_year, citizen, musrenbang) -> Proposal:
    """The citizen's proposal, sent online, with the citizen signed in."""
    client.force_login(citizen)
    send(client)
    return Proposal.objects.get()


def correct_url(proposal) -> str:
    return reverse("planning:my_proposal_correct", args=[proposal.pk])


def corrected(**changes) -> dict:
    return {"title": "Lampu jalan Gang Mawar RT 05", "problem": "Gelap total.", "estimated_cost": "", **changes}


def test_the_staff_proposal_pages_stay_closed_to_the_citizen_who_sent_it(client, sent, citizen, planner):
    own_report = make_ticket(service="pju-mati", kelurahan=MAWAR, reporter=citizen)
    evidence = make_ticket(service="pju-mati", kelurahan=MAWAR)
    actions.proposals.link_proposal_tickets(actor=planner, proposal=sent, references=evidence.reference)
    staff_edit = {"edit-title": "Diubah lewat halaman staf", "edit-problem": "x", "edit-estimated_cost": "1.000.000"}

    assert english(client, reverse("planning:proposal_edit", args=[sent.pk]), staff_edit).status_code == 403
    link = {"link-references": own_report.reference}
    assert english(client, reverse("planning:proposal_link_tickets", args=[sent.pk]), link).status_code == 403
    unlink = {"ticket": evidence.pk}
    assert english(client, reverse("planning:proposal_unlink_ticket", args=[sent.pk]), unlink).status_code == 403

    sent.refresh_from_db()
    assert sent.title == "Lampu jalan Gang Mawar" and list(sent.tickets.all()) == [evidence]


def test_the_staff_page_never_shows_the_citizen_the_reviewers_notes(client, sent, planner):
    actions.review_proposal(
        actor=planner, proposal=sent, level="kelurahan", decision="recommend", amount=1_000_000, note=INTERNAL_NOTE
    )
    for response in (
        english(client, reverse("planning:proposal", args=[sent.pk])),
        # A refused form shows the staff page again, with the reviews: not to a citizen.
        english(client, reverse("planning:proposal_edit", args=[sent.pk]), {"edit-title": ""}),
        english(client, reverse("planning:proposal_review", args=[sent.pk]), {"decision": "?"}),
    ):
        assert response.status_code == 403
        assert INTERNAL_NOTE not in response.content.decode() and planner.email not in response.content.decode()
    assert INTERNAL_NOTE not in english(client, MINE).content.decode()


def test_the_citizen_corrects_their_proposal_on_my_proposals_until_the_first_review(client, sent, planner):
    mine = english(client, MINE).content.decode()
    assert f'href="{correct_url(sent)}"' in mine
    page = english(client, correct_url(sent))
    assert page.status_code == 200 and 'value="Lampu jalan Gang Mawar"' in page.content.decode()

    # A refused form says why and keeps what was typed.
    refused = english(client, correct_url(sent), corrected(estimated_cost="1,5"))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "a comma marks cents, not millions" in html and 'value="Lampu jalan Gang Mawar RT 05"' in html
    assert "Nothing you typed was lost." in html

    response = english(client, correct_url(sent), corrected(estimated_cost="150.000.000"))

    assert response.status_code == 302 and response["Location"] == f"{MINE}#usulan-{sent.pk}"
    sent.refresh_from_db()
    assert (sent.title, sent.problem, sent.estimated_cost) == (
        "Lampu jalan Gang Mawar RT 05",
        "Gelap total.",
        Decimal("150000000"),
    )
    assert "Your proposal was corrected." in english(client, MINE).content.decode()
    # Left empty, the cost is "not estimated yet" again, as when it was sent.
    english(client, correct_url(sent), corrected())
    sent.refresh_from_db()
    assert sent.estimated_cost == 0

    actions.review_proposal(actor=planner, proposal=sent, level="kelurahan", decision="recommend", amount=1_000_000)

    mine = english(client, MINE).content.decode()
    assert f'href="{correct_url(sent)}"' not in mine
    assert "A review has been recorded: this proposal can no longer be changed." in mine
    page = english(client, correct_url(sent)).content.decode()
    assert "A review has been recorded: this proposal can no longer be changed." in page and "<textarea" not in page
    late = english(client, correct_url(sent), corrected(title="Terlambat"))
    assert late.status_code == 400
    assert "A review has already been recorded: the proposal can no longer be edited." in late.content.decode()
    assert 'value="Terlambat"' in late.content.decode()  # what was typed stays
    sent.refresh_from_db()
    assert sent.title == "Lampu jalan Gang Mawar RT 05"


def test_nobody_else_reaches_the_correction(client, sent, other_citizen, head_dlh, planner):
    for someone in (other_citizen, head_dlh, planner):
        client.force_login(someone)
        assert english(client, correct_url(sent)).status_code == 404
        assert english(client, correct_url(sent), corrected(title="Bukan milik saya")).status_code == 404
    # Nor a proposal that is not a community one, even its own proposer's.
    staff_proposal = actions.submit_proposal(
        actor=planner,
        fiscal_year=sent.fiscal_year,
        source="department",
        title="Usulan dinas",
        problem="x",
        area=sent.area,
        department=sent.department,
        estimated_cost=1_000_000,
    )
    assert english(client, correct_url(staff_proposal)).status_code == 404
    client.logout()
    signed_out = client.post(correct_url(sent), corrected(title="Tanpa akun"))
    assert signed_out.status_code == 302 and reverse("account_login") in signed_out["Location"]
    sent.refresh_from_db()
    assert sent.title == "Lampu jalan Gang Mawar"


def test_the_photo_fields_name_the_photo_limit(monkeypatch):
    from django.utils import translation

    from complaints import photos
    from planning.forms import CommunityProposalForm, ProposalForm

    monkeypatch.setattr(photos, "MAX_PHOTOS", 1)
    with translation.override("en"):
        assert str(ProposalForm().fields["photos"].label) == "Photo (up to 1)"
        assert str(CommunityProposalForm().fields["photos"].label) == "Photo (up to 1)"
    monkeypatch.setattr(photos, "MAX_PHOTOS", 3)
    with translation.override("en"):
        assert str(CommunityProposalForm().fields["photos"].label) == "Photos (up to 3)"


def item(html: str, element_id: str) -> str:
    """The text of the privacy notice's list item ``element_id``."""
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</li>", start)]


def test_the_privacy_notice_tells_what_happens_to_a_community_proposal(client, city):
    html = english(client, reverse("privacy")).content.decode()

    kept = item(html, "community-proposals")
    assert "When you send a proposal online" in kept and "your group's name" in kept and "EXIF" in kept
    seen = item(html, "who-sees-proposals")
    assert "Your name is never shown publicly" in seen and "only if you ticked" in seen
    assert f'href="{MINE}"' in seen
    assert "they stay without anything that names you" in item(html, "retention-community-proposals")
    rights = html[html.index('id="rights"') :]
    assert "“Download my data”, which holds your reports and the proposals you sent" in rights
    assert "until its first review is recorded" in item(html, "correct-proposal")
