"""The new-proposal form as a Musrenbang facilitator fills it in (found in the walk of Kelurahan Sungai Jingah): the
estimated cost is a positive whole number of Rupiah, a refused cost says what to type, and a refusal keeps everything
typed, the photos included."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from planning.models import Proposal, ProposalPhoto
from services.models import Area, Department
from tests.complaints.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

NEW = reverse("planning:proposal_new")
MID_2026 = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # proposals are for 2027


@pytest.fixture(autouse=True)
def in_english():
    """The reasons are read in English (the form's messages are translated when read)."""
    with translation.override("en"):
        yield


@pytest.fixture
def facilitator(client, planner, fiscal_year, fiscal_year_2027, time_machine):
    time_machine.move_to(MID_2026)
    client.force_login(planner)
    return client


def proposal_data(**changed) -> dict:
    return {
        "source": "musrenbang_kelurahan",
        "title": "Siring Sungai Jingah RT 07",
        "problem": "Tebing sungai longsor di depan langgar.",
        "area": Area.objects.get(code="63.71.05.1003").pk,
        "department": Department.objects.get(code="pupr").pk,
        "estimated_cost": "150.000.000",
        **changed,
    }


def post_in_english(client, data):
    return client.post(NEW, data, HTTP_ACCEPT_LANGUAGE="en")


def kept_tokens(html: str) -> list[str]:
    return re.findall(r'name="photo_tokens" value="([^"]+)"[^>]*checked', html)


@pytest.mark.parametrize(("typed", "cost"), [("1.500.000", "1500000"), ("1500000", "1500000"), ("Rp 2.000.000", "2e6")])
def test_a_cost_in_whole_rupiah_is_taken_with_or_without_dots(facilitator, typed, cost):
    response = post_in_english(facilitator, proposal_data(estimated_cost=typed))
    assert response.status_code == 302
    assert Proposal.objects.get().estimated_cost == Decimal(cost)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1,5", "Type the estimated cost in whole Rupiah with all its digits, for example 1.500.000"),
        ("1.500.000,50", "Type the estimated cost in whole Rupiah with all its digits"),
        ("0", "The estimated cost must be more than Rp 0. Type it in whole Rupiah, for example 1.500.000."),
        ("Rp 0", "The estimated cost must be more than Rp 0."),
        ("-1.500.000", "The estimated cost must be more than Rp 0."),
        ("15.000.000.000.000", "The estimated cost is at most Rp 1.000.000.000.000: check the number of zeros."),
    ],
)
def test_a_cost_that_is_not_a_positive_whole_amount_is_refused_saying_what_to_type(facilitator, typed, said):
    response = post_in_english(facilitator, proposal_data(estimated_cost=typed))
    assert response.status_code == 400
    errors = " ".join(response.context["form"]["estimated_cost"].errors)
    assert said in errors
    html = response.content.decode()
    assert f'value="{typed}"' in html  # the cost as typed, to correct
    assert 'value="Siring Sungai Jingah RT 07"' in html and "Tebing sungai longsor di depan langgar." in html
    assert not Proposal.objects.exists()


def test_the_edit_form_refuses_a_cost_of_nothing_too(client, fiscal_year, planner):
    from tests.planning.conftest import bridge_proposal

    proposal = bridge_proposal(fiscal_year, planner)
    client.force_login(planner)
    response = client.post(
        reverse("planning:proposal_edit", args=[proposal.pk]),
        {"edit-title": "Jembatan", "edit-problem": "Lapuk.", "edit-estimated_cost": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "must be more than Rp 0" in response.context["error"]
    proposal.refresh_from_db()
    assert proposal.estimated_cost == Decimal("500000000")


def test_the_photo_survives_a_refused_cost_and_is_saved_with_the_corrected_proposal(facilitator):
    refused = post_in_english(
        facilitator, proposal_data(estimated_cost="1,5", photos=[upload(jpeg_bytes(), "siring.jpg")])
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    tokens = kept_tokens(html)
    assert len(tokens) == 1 and "siring.jpg" in html
    assert not ProposalPhoto.objects.exists()

    # The facilitator corrects the cost only: the photo already sent goes with it.
    done = post_in_english(facilitator, proposal_data(estimated_cost="1.500.000", photo_tokens=tokens))
    assert done.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.photos.count() == 1
    # The kept copy is used up: the same token does not add the photo to another proposal.
    post_in_english(facilitator, proposal_data(title="Lain", photo_tokens=tokens))
    assert ProposalPhoto.objects.count() == 1


def test_an_unusable_photo_is_named_with_the_other_reasons_and_not_kept(facilitator):
    refused = post_in_english(
        facilitator,
        proposal_data(title="", photos=[upload(b"not an image", "denah.jpg"), upload(jpeg_bytes(), "lokasi.jpg")]),
    )
    assert refused.status_code == 400
    form = refused.context["form"]
    assert form["title"].errors and any("denah.jpg" in error for error in form["photos"].errors)
    html = refused.content.decode()
    assert len(kept_tokens(html)) == 1 and "📷 lokasi.jpg" in html and "📷 denah.jpg" not in html


def test_at_most_three_photos(facilitator):
    photos = [upload(jpeg_bytes(size=(40, 30)), f"foto-{n}.jpg") for n in range(4)]
    refused = post_in_english(facilitator, proposal_data(photos=photos))
    assert refused.status_code == 400
    assert refused.context["form"]["photos"].errors == ["Please add at most 3 photos."]
    assert not Proposal.objects.exists()
