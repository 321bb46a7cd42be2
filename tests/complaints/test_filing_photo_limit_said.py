"""The citizen's photo limit (3) was written out in the filing form's script (``var MAX_PHOTOS = 3``), in its "Please
add at most 3 photos." and in the reopen form's "up to 3", besides the number in Python (``complaints.photos``): the
pages now take it from that one constant (``FilingForm.max_photos``, ``KeepsPhotos.max_kept_photos``), so a change
to it cannot leave a page saying or refusing another. The script's use of it: tests/e2e/test_filing_photo_limit.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import forms, photos
from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def filing_form(client) -> tuple[str, str]:
    """The filing form's "too many" message and its photo picker's limit, as the script reads them."""
    html = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = html[html.index('id="filing-form"') :]
    message = re.search(r'data-msg-too-many="([^"]*)"', form[: form.index(">")]).group(1)
    picker = re.search(r'<input type="file" name="photos" id="id_photos"[^>]*>', html).group(0)
    return message, re.search(r'data-max-photos="([^"]*)"', picker).group(1)


def reopen_label(client, ticket) -> str:
    html = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return re.search(r'<label[^>]*for="id_reopen_photos">([^<]*)</label>', html).group(1)


def test_the_filing_form_says_and_takes_the_limit_of_the_one_constant(client, city, monkeypatch):
    assert photos.MAX_PHOTOS == 3
    assert filing_form(client) == ("Please add at most 3 photos.", "3")  # as before

    monkeypatch.setattr(forms.FilingForm, "max_photos", 2)
    assert filing_form(client) == ("Please add at most 2 photos.", "2")
    monkeypatch.setattr(forms.FilingForm, "max_photos", 1)
    assert filing_form(client) == ("Please add at most 1 photo.", "1")


def test_the_reopen_form_says_the_limit_it_takes(client, citizen, monkeypatch):
    ticket = make_ticket(reporter=citizen, status=Status.RESOLVED, resolved_at=timezone.now())
    client.force_login(citizen)

    assert forms.ReasonForm.max_kept_photos == photos.MAX_PHOTOS == 3
    assert reopen_label(client, ticket) == "Photos showing it is still broken (optional, up to 3)"  # as before

    monkeypatch.setattr(forms.ReasonForm, "max_kept_photos", 2)
    assert reopen_label(client, ticket) == "Photos showing it is still broken (optional, up to 2)"


def test_each_refusal_of_too_many_photos_says_the_number_of_the_one_constant(monkeypatch):
    """The refusals themselves (the filing page, the filing action behind the REST API, the proposal forms and the
    community proposals) wrote "at most 3" by hand: they take the constant's number."""
    from django.utils import translation

    from complaints.actions import intake

    with translation.override("en"):
        assert photos.too_many_photos() == "Please add at most 3 photos."
        assert photos.too_many_photos(1) == "Please add at most 1 photo."
        monkeypatch.setattr(photos, "MAX_PHOTOS", 2)
        assert photos.too_many_photos() == "Please add at most 2 photos."
        assert intake._photo_errors([object()] * 3) == ["Please add at most 2 photos."]
    with translation.override("id"):
        assert photos.too_many_photos() == "Mohon tambahkan paling banyak 2 foto."
