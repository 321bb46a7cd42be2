"""Community proposals: a signed-in citizen (an RT head, a community group, a campus team) sends an usulan online
while the Musrenbang runs, it enters the same review chain as the forums' proposals, and the citizen follows it on
"My proposals" and by email; nobody else reads or changes it, and the public page never names the citizen."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.mail import _render
from complaints.models import Notification
from planning import actions
from planning.forms import ProposalForm
from planning.models import Proposal, ProposalPhoto
from services.models import Area, Department, Service

from .conftest import recommend_at_every_level

pytestmark = pytest.mark.django_db

MAWAR = "63.71.05.1003"
PROBLEM = "Gang Mawar RT 05 gelap total malam hari; dua warga jatuh ke parit bulan lalu."
SEND = reverse("planning:community_proposal_new")
MINE = reverse("planning:my_proposals")


def english(client, url, data=None, **params):
    if data is not None:
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def proposal_data(**changes):
    data = {
        "title": "Lampu jalan Gang Mawar",
        "problem": PROBLEM,
        "area": Area.objects.get(code=MAWAR).pk,
        "service": Service.objects.get(code="drainase-tersumbat").pk,
        "group_name": "RT 05 RW 02 Kelurahan Mawar",
        "estimated_cost": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def jpeg_with_gps(name="gang.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (3.0, 19.0, 7.0)}  # GPSInfo
    data = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 200)).save(data, "JPEG", exif=exif, comment=b"Rumah Pak RT, Jl. Mawar 5")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/jpeg")


def send(client, **changes):
    return english(client, SEND, proposal_data(**changes))


def test_a_citizen_sends_a_proposal_that_waits_at_the_kelurahan_level(client, fiscal_year, citizen, musrenbang):
    client.force_login(citizen)
    page = english(client, reverse("planning:public_proposals"))
    assert f'href="{SEND}"' in page.content.decode() and "Send a proposal" in page.content.decode()
    assert english(client, SEND).status_code == 200

    response = send(client)

    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{MINE}#usulan-{proposal.pk}"
    assert proposal.source == Proposal.Source.COMMUNITY and proposal.proposer == citizen
    assert proposal.fiscal_year == fiscal_year and proposal.area.code == MAWAR
    # The department is the one the routing sends the service's reports in Mawar to.
    assert proposal.department == Department.objects.get(code="pupr")
    assert proposal.estimated_cost == 0 and proposal.status == Proposal.Status.IN_REVIEW
    assert actions.next_review_level(proposal) == "kelurahan"
    mine = english(client, MINE).content.decode()
    assert "Lampu jalan Gang Mawar" in mine and PROBLEM in mine and "Under review at the Kelurahan level." in mine
    # "My reports" leads to it.
    assert f'href="{MINE}"' in english(client, reverse("complaints:my_reports")).content.decode()


def test_the_public_page_never_names_the_citizen_and_the_group_only_when_ticked(
    client, fiscal_year, citizen, other_citizen, musrenbang
):
    client.force_login(citizen)
    send(client, title="Tanpa nama kelompok")
    client.force_login(other_citizen)
    send(client, title="Dengan nama kelompok", group_name="Karang Taruna Mawar", show_group_name="on")
    client.logout()

    html = english(client, reverse("planning:public_proposals")).content.decode()
    assert "Tanpa nama kelompok" in html and "Dengan nama kelompok" in html
    assert "Community (online)" in html
    assert "Siti Warga" not in html and "Budi Tetangga" not in html and "warga@example.id" not in html
    assert "RT 05 RW 02" not in html  # not ticked: not shown
    assert "proposed by Karang Taruna Mawar" in html
    assert PROBLEM not in html


def test_the_planners_board_lists_it_with_its_source(client, fiscal_year, citizen, planner, musrenbang):
    client.force_login(citizen)
    send(client)
    client.force_login(planner)
    html = english(client, reverse("planning:board"), tahun=2026).content.decode()
    assert "Lampu jalan Gang Mawar" in html and "Community (online)" in html
    filtered = english(client, reverse("planning:board"), tahun=2026, source="community").content.decode()
    assert "Lampu jalan Gang Mawar" in filtered


def test_without_a_service_the_triage_desk_reviews_it(client, fiscal_year, citizen, musrenbang):
    client.force_login(citizen)
    assert send(client, service="").status_code == 302
    assert Proposal.objects.get().department.is_triage


def test_outside_the_musrenbang_the_page_says_when_the_next_opens_and_refuses_a_proposal(
    client, fiscal_year, fiscal_year_2027, citizen, time_machine
):
    time_machine.move_to(dt.datetime(2025, 6, 2, 2, 0, tzinfo=dt.UTC))  # 2026's Musrenbang is over
    client.force_login(citizen)
    html = english(client, reverse("planning:public_proposals")).content.decode()
    assert 'id="send-proposal-button"' not in html
    closed = html[html.index('id="community-closed"') :].split("</p>")[0]
    assert "For fiscal year 2027 you can send one from" in closed and "2026" in closed

    response = send(client)

    assert response.status_code == 400 and not Proposal.objects.exists()
    html = response.content.decode()
    assert "For fiscal year 2027 you can send one from" in html


def test_with_no_next_musrenbang_set_the_page_says_it_is_not_scheduled(client, fiscal_year, citizen, time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 2, 2, 0, tzinfo=dt.UTC))
    html = english(client, reverse("planning:public_proposals")).content.decode()
    assert "The next Musrenbang has not been scheduled yet" in html


def test_sending_needs_an_account(client, fiscal_year, musrenbang, city):
    response = client.post(SEND, proposal_data())
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Proposal.objects.exists()


def test_another_citizen_can_neither_read_nor_change_it(client, fiscal_year, citizen, other_citizen, musrenbang):
    client.force_login(citizen)
    send(client)
    proposal = Proposal.objects.get()
    client.force_login(other_citizen)

    assert "Lampu jalan Gang Mawar" not in english(client, MINE).content.decode()
    assert english(client, reverse("planning:proposal", args=[proposal.pk])).status_code == 403
    english(
        client,
        reverse("planning:proposal_edit", args=[proposal.pk]),
        {"edit-title": "Diubah orang lain", "edit-problem": "x", "edit-estimated_cost": "1.000.000"},
    )
    english(client, reverse("planning:proposal_review", args=[proposal.pk]), {"decision": "decline", "note": "x"})
    proposal.refresh_from_db()
    assert proposal.title == "Lampu jalan Gang Mawar" and not proposal.reviews.exists()
    assert PROBLEM not in english(client, reverse("planning:public_proposal", args=[proposal.pk])).content.decode()
    # The citizen who sent it cannot review it either.
    client.force_login(citizen)
    english(client, reverse("planning:proposal_review", args=[proposal.pk]), {"decision": "recommend", "amount": "1"})
    assert not proposal.reviews.exists()


def test_a_few_proposals_a_day(client, fiscal_year, citizen, musrenbang, settings):
    settings.COMMUNITY_PROPOSAL_RATE_LIMIT = "2/d"
    client.force_login(citizen)
    assert send(client, title="Satu").status_code == 302
    assert send(client, title="Dua").status_code == 302

    response = send(client, title="Tiga yang ditolak")

    assert response.status_code == 429 and Proposal.objects.count() == 2
    html = response.content.decode()
    assert "You have sent many proposals today. Please send the next one in" in html
    assert "Tiga yang ditolak" in html  # what was typed stays


def test_a_refused_form_keeps_the_text_and_the_photos(client, fiscal_year, citizen, musrenbang, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    data = proposal_data(area="", problem="Parit <b>meluap</b> tiap hujan")
    data["photos"] = [jpeg_with_gps()]

    refused = client.post(SEND, data, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 400 and not Proposal.objects.exists()
    html = refused.content.decode()
    assert "Nothing you typed was lost." in html and "This field is required." in html
    assert "Parit &lt;b&gt;meluap&lt;/b&gt; tiap hujan" in html and "<b>meluap" not in html
    kept = refused.context["form"].kept_photos
    assert [photo["name"] for photo in kept] == ["gang.jpg"]

    again = proposal_data(problem="Parit meluap tiap hujan")
    again["photo_tokens"] = [kept[0]["token"]]
    assert client.post(SEND, again, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert Proposal.objects.get().photos.count() == 1


def test_photos_lose_their_location_and_at_most_three_are_taken(
    client, fiscal_year, citizen, musrenbang, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    data = proposal_data()
    data["photos"] = [jpeg_with_gps(f"foto{i}.jpg") for i in range(4)]
    refused = client.post(SEND, data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "Please add at most 3 photos." in refused.content.decode()

    data = proposal_data()
    data["photos"] = [jpeg_with_gps()]
    assert client.post(SEND, data).status_code == 302
    kept = ProposalPhoto.objects.get().image.read()
    assert b"Mawar" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "JPEG" and "exif" not in image.info and not image.getexif()


def test_html_is_shown_as_text_everywhere(client, fiscal_year, citizen, musrenbang):
    client.force_login(citizen)
    title = '<script>alert("x")</script> Lampu'
    send(client, title=title, group_name="<i>RT 5</i>", show_group_name="on")
    proposal = Proposal.objects.get()
    for url in (MINE, reverse("planning:public_proposals"), reverse("planning:public_proposal", args=[proposal.pk])):
        html = english(client, url).content.decode()
        assert "&lt;script&gt;" in html and "<script>alert" not in html and "<i>RT 5</i>" not in html


def test_the_citizen_hears_each_decision_by_email_in_their_language(
    client, fiscal_year, citizen, planner, head_pupr, musrenbang
):
    citizen.language = "en"
    citizen.save(update_fields=["language"])
    client.force_login(citizen)
    send(client)
    proposal = Proposal.objects.get()

    recommend_at_every_level(proposal, planner=planner, head=head_pupr)
    actions.accept_proposal(
        actor=planner, proposal=proposal, code="1.03.99", start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 11, 30)
    )

    emails = list(Notification.objects.filter(template=Notification.Template.PROPOSAL_UPDATE).order_by("pk"))
    assert [(n.email, n.language, n.context["stage"], n.context["level"]) for n in emails] == [
        ("warga@example.id", "en", "recommended", "kelurahan"),
        ("warga@example.id", "en", "recommended", "kecamatan"),
        ("warga@example.id", "en", "recommended", "department"),
        ("warga@example.id", "en", "recommended", "bappeda"),
        ("warga@example.id", "en", "accepted", ""),
    ]
    subject, body = _render(emails[0])
    assert subject == "Proposal recommended: Lampu jalan Gang Mawar"
    assert "was recommended at the Kelurahan level" in body and "/perencanaan/publik/usulan/saya/#usulan-" in body
    subject, body = _render(emails[-1])
    assert subject.startswith("Proposal accepted into the plan")
    assert "It is now the activity “Lampu jalan Gang Mawar”" in body


def test_a_decline_tells_the_reason(client, fiscal_year, citizen, planner, musrenbang):
    client.force_login(citizen)
    send(client)
    proposal = Proposal.objects.get()
    actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="recommend", amount=1)
    actions.review_proposal(
        actor=planner, proposal=proposal, level="kecamatan", decision="decline", note="Sudah masuk kegiatan PJU 2026."
    )
    declined = Notification.objects.get(template=Notification.Template.PROPOSAL_UPDATE, context__stage="declined")
    assert declined.language == "id"
    subject, body = _render(declined)
    assert "Sudah masuk kegiatan PJU 2026." in body
    declined.language = "en"
    subject, body = _render(declined)
    assert subject.startswith("Proposal turned down")
    assert "was turned down at the Kecamatan level" in body and "Reason given: Sudah masuk kegiatan PJU 2026." in body


def test_staff_proposals_email_nobody_and_staff_cannot_enter_a_community_one(fiscal_year, planner, musrenbang):
    from django.core.exceptions import ValidationError

    assert Proposal.Source.COMMUNITY not in dict(ProposalForm().fields["source"].choices)
    with pytest.raises(ValidationError):
        actions.submit_proposal(
            actor=planner,
            fiscal_year=fiscal_year,
            source="community",
            title="Bukan dari warga",
            problem="x",
            area=Area.objects.get(code=MAWAR),
            department=Department.objects.get(code="pupr"),
            estimated_cost=1_000_000,
        )
    proposal = actions.submit_proposal(
        actor=planner,
        fiscal_year=fiscal_year,
        source="department",
        title="Jembatan",
        problem="x",
        area=Area.objects.get(code=MAWAR),
        department=Department.objects.get(code="pupr"),
        estimated_cost=1_000_000,
    )
    actions.review_proposal(actor=planner, proposal=proposal, level="kelurahan", decision="recommend", amount=1)
    assert not Notification.objects.filter(template=Notification.Template.PROPOSAL_UPDATE).exists()


def test_the_planners_proposal_page_names_the_proposing_group(client, fiscal_year, citizen, planner, musrenbang):
    """The staff page said only which account entered it: the reviewers talk to the group (an RT/RW, a campus team)."""
    client.force_login(citizen)
    send(client)
    client.force_login(planner)
    html = english(client, reverse("planning:proposal", args=[Proposal.objects.get().pk])).content.decode()
    assert '<dd class="col-sm-9" id="proposal-group">RT 05 RW 02 Kelurahan Mawar (not shown publicly)</dd>' in html
