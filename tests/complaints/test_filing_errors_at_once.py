"""The filing form names every mistake in one round (found in the flood-surge walk): a form sent without a title and
with its pin outside the city said only "title", then, once the title was fixed, "outside Banjarmasin". The place
and the citizen's contact (staff filing for a caller) were checked by the action alone, which runs only once every
field of the form is right. What was typed stays in the form, the pin too."""

from __future__ import annotations

import re

import pytest

from complaints.models import Channel, Ticket
from tests.conftest import make_staff

from .test_filing_views import form_data

pytestmark = pytest.mark.django_db

JAKARTA = (-6.2, 106.8)


def lat_error(html: str) -> str:
    """The message under the map (the page's scripts carry "outside Banjarmasin" as well, for the map's own check)."""
    found = re.search(r'<div class="invalid-feedback d-block" id="lat-error">(.*?)</div>', html)
    return found.group(1) if found else ""


@pytest.fixture
def waste(city):
    from services.models import Service

    return Service.objects.get(code="sampah-menumpuk")


def test_a_missing_title_and_a_pin_outside_the_city_are_told_together(client, citizen, waste):
    client.force_login(citizen)
    response = client.post("/lapor/", form_data(waste, JAKARTA, title=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and not Ticket.objects.exists()
    html = response.content.decode()
    assert 'id="id_title_error"' in html
    assert 'id="lat-error"' in html and "outside Banjarmasin" in lat_error(html)
    # Nothing typed is lost: the text, and the pin to move into the city.
    assert "Sudah seminggu sampah tidak diangkut di Gang Mawar." in html and "Gang Mawar 3" in html
    assert f'value="{JAKARTA[0]}"' in html and f'value="{JAKARTA[1]}"' in html


def test_a_pin_outside_the_city_is_told_with_a_missing_email(client, waste):
    response = client.post("/lapor/", form_data(waste, JAKARTA), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_reporter_email_error"' in html and "outside Banjarmasin" in lat_error(html)


def test_staff_filing_for_a_caller_hear_of_the_callers_contact_with_the_other_mistakes(client, city, pin, waste):
    client.force_login(make_staff("operator.112@banjarmasinkota.go.id", "dlh"))
    data = form_data(waste, pin, title="", channel=Channel.PHONE, reporter_name="", reporter_phone="")
    html = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="id_title_error"' in html
    assert "Please enter the citizen&#x27;s name." in html
    assert "Please enter the citizen&#x27;s phone number or email address." in html
