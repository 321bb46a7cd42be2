"""The citizen's photo limit (``complaints.photos.MAX_PHOTOS``) was written "3" by hand in texts that tell it: the
ticket page's add-information picker ("Photos (up to 3)", read out by screen readers), the REST API's schema (the
filing and add-info descriptions, the photos field) and its refusal of a photo sent under another name, and
Open311's. They now say the number the forms and the actions take, in the singular for one."""
# ruff: noqa: F811

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import api as rest_api
from complaints import forms, photos
from complaints.models import Status
from open311 import views as open311_views
from tests.api.conftest import api, as_user  # noqa: F401 (the REST API tests' client fixtures)
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def add_info_picker_label(client, ticket) -> str:
    import re

    html = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = html[html.index('id="info-form"') :]
    return re.search(r'<input type="file" name="photos" id="id_photos"[^>]*aria-label="([^"]*)"', form).group(1)


def test_the_add_information_picker_says_the_limit_the_form_takes(client, citizen, monkeypatch):
    ticket = make_ticket(reporter=citizen, status=Status.IN_PROGRESS)
    client.force_login(citizen)
    assert forms.InfoForm.max_kept_photos == photos.MAX_PHOTOS == 3
    assert add_info_picker_label(client, ticket) == "Photos (up to 3)"  # as before

    monkeypatch.setattr(forms.InfoForm, "max_kept_photos", 2)
    assert add_info_picker_label(client, ticket) == "Photos (up to 2)"
    monkeypatch.setattr(forms.InfoForm, "max_kept_photos", 1)
    assert add_info_picker_label(client, ticket) == "Photo (up to 1)"


def schema_texts(client) -> dict[str, str]:
    schema = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
    ticket_paths = schema["paths"]
    return {
        "filing": ticket_paths["/api/v1/tickets/"]["post"]["description"],
        "add-info": ticket_paths["/api/v1/tickets/{reference}/add-info/"]["post"]["description"],
        "field": schema["components"]["schemas"]["TicketCreateMultipart"]["properties"]["photos"]["description"],
    }


def test_the_api_schema_says_the_limit_of_the_one_constant(client, city, monkeypatch):
    texts = schema_texts(client)
    assert "multipart/form-data with photos (files named `photos`, at most 3)" in texts["filing"]
    assert "with photos (at most 3) in a multipart/form-data body" in texts["add-info"]
    assert texts["field"].startswith("Up to 3 photos (JPEG, PNG, WebP or HEIC, at most 10 MB each)")

    monkeypatch.setattr(photos, "MAX_PHOTOS", 2)
    texts = schema_texts(client)
    assert "at most 2)" in texts["filing"] and "at most 3" not in texts["filing"]
    assert "with photos (at most 2)" in texts["add-info"]
    assert texts["field"].startswith("Up to 2 photos (")
    monkeypatch.setattr(photos, "MAX_PHOTOS", 1)
    assert schema_texts(client)["field"].startswith("Up to 1 photo (JPEG, PNG, WebP or HEIC, at most 10 MB), one")


def test_a_photo_sent_under_another_name_is_refused_with_the_limit(as_user, city, citizen, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTOS", 2)
    body = {"title": "Sampah menumpuk", "description": "Sudah tiga hari.", "area": "63.71.05.1003", "media_url": "x"}
    refused = as_user(citizen).post("/api/v1/tickets/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    (message,) = [error["message"] for error in refused.json()["errors"] if error["field"] == "media_url"]
    assert message == (
        "Send photos as files named photos in a multipart/form-data body (at most 2 photos: JPEG, PNG, WebP or HEIC, "
        "up to 10 MB each)."
    )


def test_each_refusal_says_one_photo_in_the_singular(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTOS", 1)
    with translation.override("en"):
        assert "(at most 1 photo: JPEG, PNG, WebP or HEIC, up to 10 MB)." in str(rest_api.PHOTOS_AS_FILES)
        assert str(open311_views.MEDIA_AS_FILES) == (
            "Send photos as files named media in a multipart/form-data body (at most 1 photo: JPEG, PNG, WebP or HEIC, "
            "up to 10 MB)."
        )


def test_the_photo_fields_labels_say_the_limit_of_the_one_constant(monkeypatch):
    """The filing form's label ("Photos (up to 3, at most 10 MB each)"), the reopen and add-information forms' and
    the planning proposal forms' were written by hand; they share complaints.photos' two labels."""
    from planning.forms import CommunityProposalForm, ProposalForm

    labelled = [forms.ReasonForm, forms.InfoForm, ProposalForm, CommunityProposalForm]
    with translation.override("en"):
        filing_label = forms.FilingForm.base_fields["photos"].label
        assert str(filing_label) == "Photos (up to 3, at most 10 MB each)"
        assert {str(form.base_fields["photos"].label) for form in labelled} == {"Photos (up to 3)"}

        monkeypatch.setattr(photos, "MAX_PHOTOS", 1)
        monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 5 * 1024 * 1024)
        assert str(filing_label) == "Photo (up to 1, at most 5 MB)"
        assert {str(form.base_fields["photos"].label) for form in labelled} == {"Photo (up to 1)"}


def test_the_filing_page_shows_the_limit_in_the_photo_label(client, city, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTOS", 2)
    html = client.get(reverse("complaints:file"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Photos (up to 2, at most 10 MB each)" in html
