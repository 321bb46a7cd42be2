"""A citizen's community proposals and their personal data (UU 27/2022 PDP): "Download my data" holds the proposals
they sent (their text, group, cost, where the review stands, each level's decision and date, their photos), never a
reviewer's name or a recommending level's note; deleting the account keeps the proposals, part of the public planning
record, without the person."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath

import pytest
from django.urls import reverse

from accounts.models import User
from complaints.models import Notification
from planning import actions
from planning.models import Proposal

from .conftest import recommend_at_every_level
from .test_community_proposals import jpeg_with_gps, proposal_data, send

pytestmark = pytest.mark.django_db

DOWNLOAD = "/akun/data-saya/unduh/"
DELETE = "/akun/hapus/"
PASSWORD = "rahasia-kota-123"  # tests.conftest.make_user's
SEND = reverse("planning:community_proposal_new")
RECOMMENDING_NOTE = "Catatan lurah: cek dulu anggaran kelurahan"
DECLINE_REASON = "Sudah masuk kegiatan PJU 2026."


def _send_with_photo(client, **changes):
    data = proposal_data(**changes)
    data["photos"] = [jpeg_with_gps()]
    assert client.post(SEND, data).status_code == 302
    return Proposal.objects.get(title=data["title"])


def _download(client, language="en") -> tuple[dict, str]:
    response = client.get(DOWNLOAD, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    return json.loads(body), body


def test_the_download_holds_the_proposals_the_citizen_sent_without_reviewers_or_their_notes(
    client, fiscal_year, citizen, other_citizen, planner, musrenbang, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    planner.full_name = "Rina Bappeda"
    planner.save(update_fields=["full_name"])
    client.force_login(other_citizen)
    send(client, title="Usulan tetangga", group_name="Karang Taruna Melati")
    client.force_login(citizen)
    proposal = _send_with_photo(
        client, group_name="RT 05 RW 02 Kelurahan Mawar", show_group_name="on", estimated_cost="75000000"
    )
    actions.review_proposal(
        actor=planner, proposal=proposal, level="kelurahan", decision="recommend", amount=1, note=RECOMMENDING_NOTE
    )
    actions.review_proposal(
        actor=planner, proposal=proposal, level="kecamatan", decision="decline", note=DECLINE_REASON
    )
    waiting = _send_with_photo(client, title="Parit Gang Mawar", group_name="", estimated_cost="")

    data, body = _download(client)

    declined, in_review = data["proposals"]  # oldest first, as the reports
    photo = posixpath.basename(proposal.photos.get().image.name)
    assert declined == {
        "title": "Lampu jalan Gang Mawar",
        "problem": proposal.problem,
        "fiscal_year": 2026,
        "kelurahan": proposal.area.name,
        "kecamatan": proposal.area.parent.name,
        "service": proposal.service.name,
        "department": proposal.department.name,
        "group_name": "RT 05 RW 02 Kelurahan Mawar",
        "show_group_name": True,
        "estimated_cost_rupiah": 75_000_000,
        "sent_at": declined["sent_at"],
        "status": "declined",
        "status_label": "Declined",
        "review_standing": "Turned down at the Kecamatan level.",
        "reason_given": DECLINE_REASON,  # what "My proposals" and the email told them
        "reviews": [
            {
                "level": "kelurahan",
                "level_label": "Kelurahan",
                "decision": "recommend",
                "decision_label": "Recommend",
                "at": declined["reviews"][0]["at"],
            },
            {
                "level": "kecamatan",
                "level_label": "Kecamatan",
                "decision": "decline",
                "decision_label": "Decline",
                "at": declined["reviews"][1]["at"],
            },
        ],
        "activity": None,
        "public_url": f"{settings.SITE_URL.rstrip('/')}/perencanaan/publik/usulan/{proposal.pk}/",
        "photos": [photo],
    }
    # Times in WITA, as everywhere in the download (the Musrenbang fixture's 02:00 UTC).
    assert declined["sent_at"].startswith("2025-02-14T10:00") and declined["sent_at"].endswith("+08:00")
    assert all(review["at"].endswith("+08:00") for review in declined["reviews"])
    assert photo.endswith(".jpg") and photo != "gang.jpg"  # the name the portal gave it, not the phone's

    assert in_review["title"] == "Parit Gang Mawar" and in_review["group_name"] == ""
    assert in_review["show_group_name"] is False and in_review["estimated_cost_rupiah"] == 0
    assert in_review["review_standing"] == "Under review at the Kelurahan level."
    assert in_review["reviews"] == [] and in_review["reason_given"] is None
    assert in_review["photos"] == [posixpath.basename(waiting.photos.get().image.name)]

    # Never who reviewed, a recommending level's note, nor another citizen's proposal.
    for foreign in (RECOMMENDING_NOTE, planner.email, "Rina Bappeda", "Usulan tetangga", "Karang Taruna Melati"):
        assert foreign not in body, foreign

    # In the page's language, as the rest of the download: labels in Indonesian, codes unchanged.
    indonesian, _body = _download(client, "id")
    assert indonesian["proposals"][0]["status"] == "declined"
    assert indonesian["proposals"][0]["review_standing"] != "Turned down at the Kecamatan level."


def test_an_accepted_proposal_names_the_activity_it_became(
    client, fiscal_year, citizen, planner, head_pupr, musrenbang
):
    client.force_login(citizen)
    send(client)
    proposal = recommend_at_every_level(Proposal.objects.get(), planner=planner, head=head_pupr)
    activity = actions.accept_proposal(
        actor=planner, proposal=proposal, code="1.03.99", start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 11, 30)
    )

    (accepted,) = _download(client)[0]["proposals"]

    assert accepted["status"] == "accepted" and accepted["review_standing"] == "Accepted into the city's plan."
    assert [review["level"] for review in accepted["reviews"]] == ["kelurahan", "kecamatan", "department", "bappeda"]
    assert accepted["activity"]["name"] == activity.name
    assert accepted["activity"]["url"].endswith(reverse("planning:public_activity", args=[activity.pk]))


def test_deleting_the_account_keeps_the_proposal_public_without_the_person(
    client, fiscal_year, citizen, planner, musrenbang, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    proposal = _send_with_photo(client, group_name="RT 05 RW 02 Kelurahan Mawar", show_group_name="on")
    actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="recommend", amount=1)
    assert Notification.objects.filter(recipient=citizen, template=Notification.Template.PROPOSAL_UPDATE).exists()

    response = client.post(DELETE, {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302 and not User.objects.filter(pk=citizen.pk).exists()
    proposal.refresh_from_db()
    assert proposal.proposer_id is None  # nothing on it names the person any more
    assert proposal.group_name == "RT 05 RW 02 Kelurahan Mawar" and proposal.show_group_name  # the group's, kept
    assert proposal.title == "Lampu jalan Gang Mawar" and proposal.photos.count() == 1
    assert proposal.reviews.count() == 1 and proposal.status == Proposal.Status.IN_REVIEW
    assert not Notification.objects.filter(email__iexact=citizen.email).exists()  # the emails about it went

    client.logout()
    page = client.get(reverse("planning:public_proposal", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and "Lampu jalan Gang Mawar" in html
    assert "proposed by RT 05 RW 02 Kelurahan Mawar" in html
    assert "Siti Warga" not in html and citizen.email not in html
    listing = client.get(reverse("planning:public_proposals"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Lampu jalan Gang Mawar" in listing

    # The next level's decision emails nobody and does not fail for want of a proposer.
    actions.review_proposal(actor=planner, proposal=proposal, level="kecamatan", decision="recommend", amount=1)
    assert not Notification.objects.filter(template=Notification.Template.PROPOSAL_UPDATE).exists()


def test_the_your_data_page_says_the_download_holds_the_proposals(client, citizen):
    client.force_login(citizen)
    page = html.unescape(client.get(reverse("account_data"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "the proposals you sent for the city's plan" in page
    indonesian = client.get(reverse("account_data"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "usulan yang Anda kirim untuk rencana kota" in indonesian
