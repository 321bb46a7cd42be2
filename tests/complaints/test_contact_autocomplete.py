"""A phone fills in a guest's name, email and phone on /lapor/ from its contacts (autocomplete); staff filing for a
citizen who phoned are not offered their own."""

import re

import pytest

pytestmark = pytest.mark.django_db


def contact_inputs(html: str) -> dict[str, str]:
    found = {}
    for name in ("reporter_name", "reporter_email", "reporter_phone"):
        tag = re.search(rf'<input [^>]*name="{name}"[^>]*>', html).group(0)
        found[name] = re.search(r'autocomplete="([^"]*)"', tag).group(1) if "autocomplete=" in tag else ""
    return found


def test_a_guests_contact_fields_say_what_the_browser_may_fill_in(client, city):
    html = client.get("/lapor/").content.decode()
    assert contact_inputs(html) == {"reporter_name": "name", "reporter_email": "email", "reporter_phone": "tel"}


def test_staff_filing_for_a_citizen_are_not_offered_their_own_contact(client, staff_dlh):
    client.force_login(staff_dlh)
    html = client.get("/lapor/").content.decode()
    assert 'id="id_channel"' in html
    assert contact_inputs(html) == {"reporter_name": "off", "reporter_email": "off", "reporter_phone": "off"}
