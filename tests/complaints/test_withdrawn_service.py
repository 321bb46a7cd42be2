"""A citizen who had the filing form open while the city withdrew the service they chose is told so on sending it,
with what they typed kept; the form said only "Please choose what your report is about" and their choice vanished."""

from __future__ import annotations

import pytest

from complaints.models import Ticket
from services.models import Service

from .test_filing_views import form_data

pytestmark = pytest.mark.django_db


def test_a_service_withdrawn_while_the_form_was_open_is_named(client, citizen, pin):
    waste = Service.objects.get(code="sampah-menumpuk")
    client.force_login(citizen)
    client.get("/lapor/")
    Service.objects.filter(pk=waste.pk).update(active=False)
    response = client.post("/lapor/", form_data(waste, pin), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert not Ticket.objects.exists()
    assert f"“{waste.name_en}” is no longer offered: please choose another topic, or “not sure”." in html
    assert "Please choose what your report is about" not in html
    # What they typed is still there.
    assert "Sampah menumpuk di gang" in html and "Gang Mawar 3" in html


def test_an_unknown_service_still_asks_for_a_choice(client, citizen, pin):
    client.force_login(citizen)
    data = {**form_data(None, pin), "service": "999999"}
    html = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Please choose what your report is about, or “not sure”." in html
