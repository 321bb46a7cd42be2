"""The filing form for a screen reader: a refused field says so and is described by its message (aria-invalid,
aria-describedby with the message's id; the fields had only the red is-invalid), the summary of a refusal of the
whole form can take the focus like the other summary, the required fields are marked alike and "*" is explained once,
the service groups label their services, and a service's name in the other language is marked with its ``lang``."""

from __future__ import annotations

import re

import pytest

from tests.aria import Page

from .conftest import upload
from .test_filing_views import form_data

pytestmark = pytest.mark.django_db


def refused(client, data, **extra) -> Page:
    response = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en", **extra)
    assert response.status_code in (400, 429)
    page = Page(response.content.decode())
    assert page.unresolved_references() == []
    return page


def message_of(page: Page, field) -> str:
    """The refusal ``field`` is described by: aria-invalid, and an aria-describedby id ending in _error."""
    assert field.get("aria-invalid") == "true", field
    errors = [e for e in page.described_by(field) if e["id"].endswith("_error") or e["id"] == "lat-error"]
    assert len(errors) == 1, field
    return errors[0].text


def test_every_refused_field_is_described_by_its_message(client, city, pin):
    from services.models import Service

    road = Service.objects.get(code="jalan-rusak")
    question = road.attributes.get(required=True)
    picture = upload(b"not an image at all" * 100, name="palsu.jpg")
    data = form_data(road, pin, title="", description="", photos=[picture])
    page = refused(client, data)
    assert message_of(page, page.by_id["id_title"]) == "This field is required."
    description = page.by_id["id_description"]
    assert message_of(page, description) == "This field is required."
    assert "id_description_helptext" in description["aria-describedby"].split()  # "At most 4,000 characters."
    assert "is not a photo we can read" in message_of(page, page.by_id["id_photos"])
    assert "id_photos_helptext" in page.by_id["id_photos"]["aria-describedby"].split()
    assert message_of(page, page.by_id["id_reporter_email"]).strip()
    assert message_of(page, page.by_id[f"id_attr_{question.code}"]).strip()
    # The fields that were fine say nothing of the kind.
    assert "aria-invalid" not in page.by_id["id_address"] and "aria-invalid" not in page.by_id["id_area"]


def test_a_refused_multiple_choice_question_marks_each_box(client, city, pin):
    from services.models import Service

    ktp = Service.objects.get(code="ktp-el")
    page = refused(client, form_data(ktp, pin, reporter_email="warga@example.id"))
    boxes = page.find_all("input", name="attr_masalah")
    assert boxes and all(message_of(page, box).strip() for box in boxes)


def test_a_missing_service_and_place_are_described_by_their_messages(client, city):
    page = refused(client, {**form_data(None, None, reporter_email="warga@example.id"), "service": ""})
    radios = page.find_all("input", name="service")
    assert len(radios) > 10
    assert {message_of(page, radio) for radio in radios} == {"Please choose what your report is about, or “not sure”."}
    assert message_of(page, page.by_id["id_area"]) == "Please drop a pin on the map or choose the kelurahan."


def test_a_pin_outside_the_city_is_told_on_the_map(client, city):
    """The summary links to the map; the map is described by the message under it (which the page's script removes
    once the pin moves, so the map does not say "invalid" itself)."""
    page = refused(client, form_data(None, (-3.3, 115.0), reporter_email="warga@example.id"))
    assert [e["id"] for e in page.described_by(page.by_id["filing-map"])] == ["lat-error", "where-hint"]
    assert "outside" in page.by_id["lat-error"].text


def test_the_summary_of_a_refusal_of_the_whole_form_can_take_the_focus(client, citizen, pin, settings):
    """The 429 "You have filed many reports…" is the summary's other branch: filing-form.js focuses the summary, and
    without tabindex="-1" a <div> cannot take it."""
    from services.models import Service

    settings.FILING_RATE_LIMIT = "1/h"
    waste = Service.objects.get(code="sampah-menumpuk")
    client.force_login(citizen)
    assert client.post("/lapor/", form_data(waste, pin, title="Sampah satu")).status_code == 302
    page = refused(client, form_data(waste, pin, title="Sampah dua"))
    summary = page.by_id["form-errors"]
    assert "many reports in a short time" in summary.text
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"


def _label(page: Page, field_id: str) -> str:
    return " ".join(page.find_all("label", **{"for": field_id})[0].text.split())


def test_required_fields_are_marked_alike_and_the_mark_is_explained_once(client, city):
    html = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = Page(html)
    assert html.count("Fields marked * are required.") == 1
    # The note comes before the first field.
    assert html.index('id="required-note"') < html.index('name="service"')
    legends = [" ".join(legend.text.split()) for legend in page.find_all("legend")]
    assert "1. What is it about? *" in legends and "2. Where is it? *" in legends
    assert _label(page, "id_title") == "Title *" and _label(page, "id_description") == "Describe the problem *"
    assert _label(page, "id_reporter_email") == "Email *"
    # Optional fields carry no mark, and each marked field says it is required to a screen reader too.
    assert _label(page, "id_address") == "Address or landmark" and _label(page, "id_reporter_name") == "Name"
    for field_id in ("id_title", "id_description", "id_reporter_email", "service-unsure"):
        assert "required" in page.by_id[field_id]


def test_a_signed_in_citizen_sees_the_mark_explained_and_no_contact_fields(client, citizen):
    client.force_login(citizen)
    html = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count("Fields marked * are required.") == 1 and 'id="id_reporter_email"' not in html


def test_a_required_question_says_it_is_required(client, city):
    from services.models import Service

    road = Service.objects.get(code="jalan-rusak")
    question = road.attributes.get(required=True)
    page = Page(client.get(f"/lapor/atribut/?service={road.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    field = page.by_id[f"id_attr_{question.code}"]
    assert "required" in field and _label(page, field["id"]).endswith(" *")
    assert page.unresolved_references() == []


def test_each_service_group_labels_its_services(client, city):
    page = Page(client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    groups = [g for g in page.find_all("div") if "service-group" in g.get("class", "").split()]
    assert len(groups) > 3
    for group in groups:
        assert group["role"] == "group"
        name = page.by_id[group["aria-labelledby"]]
        assert name.text.strip() and group.find_all("input", name="service")
    assert page.unresolved_references() == []


@pytest.mark.parametrize("language,other", [("id", "en"), ("en", "id")])
def test_a_services_name_in_the_other_language_is_marked_with_its_language(client, city, language, other):
    from services.models import Service

    ktp = Service.objects.get(code="ktp-el")
    html = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in html
    label = re.search(rf'<label class="form-check-label" for="service-{ktp.pk}">(.*?)</label>', html, re.S).group(1)
    own, marked = (ktp.name_id, ktp.name_en) if language == "id" else (ktp.name_en, ktp.name_id)
    assert label.startswith(own)
    assert f'<span lang="{other}">{marked}</span>' in label
