"""The staff ticket page names who filed the report once: an account without a name is its email address, which
the line showed twice ("warga.baru@example.id · warga.baru@example.id")."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def reporter_line(client, ticket) -> str:
    html = client.get(reverse("staff:ticket", args=[ticket.reference])).content.decode()
    cell = re.search(r'<dd [^>]*id="ticket-reporter"[^>]*>(.*?)</dd>', html, flags=re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def test_an_account_without_a_name_is_shown_by_its_address_once(client, staff_dlh):
    citizen = make_user("warga.baru@example.id")
    citizen.full_name = ""
    citizen.save(update_fields=["full_name"])
    ticket = make_ticket(reporter=citizen)
    client.force_login(staff_dlh)
    assert reporter_line(client, ticket) == "warga.baru@example.id"


def test_a_named_reporter_is_shown_with_their_address(client, staff_dlh, citizen):
    ticket = make_ticket(reporter=citizen, reporter_phone="0812 5555 1234")
    client.force_login(staff_dlh)
    assert reporter_line(client, ticket) == "Siti Warga · warga@example.id · 0812 5555 1234"


def test_a_reporter_without_an_account_keeps_name_and_address(client, staff_dlh):
    ticket = make_ticket(reporter_name="Pak Amat", reporter_email="amat@example.id")
    client.force_login(staff_dlh)
    assert reporter_line(client, ticket) == "Pak Amat · amat@example.id"
