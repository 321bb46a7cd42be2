"""The resolution form's "Attach at most 5 photos." was written out in the staff ticket page besides the number in
Python (``complaints.actions.handling.MAX_PHOTOS``): the page now says the number the form takes, from that one
constant, so a change to it cannot leave the page saying another."""

from __future__ import annotations

import re

import pytest

from complaints import staff_forms
from complaints.actions.handling import MAX_PHOTOS
from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def too_many_message(client, ticket) -> str:
    html = client.get(f"/staf/tiket/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = html[html.index('id="form-resolve"') :]
    return re.search(r'data-msg-too-many="([^"]*)"', form[: form.index(">")]).group(1)


def test_the_photo_limit_said_is_the_one_the_form_takes(client, staff_dlh, monkeypatch):
    ticket = make_ticket(status=Status.IN_PROGRESS, assignee=staff_dlh)
    client.force_login(staff_dlh)

    assert MAX_PHOTOS == 5
    assert too_many_message(client, ticket) == "Attach at most 5 photos."  # as before

    monkeypatch.setattr(staff_forms.ResolveForm, "max_kept_photos", 3)
    assert too_many_message(client, ticket) == "Attach at most 3 photos."
