"""The citizen's ticket page asks the department's question ("please answer below") only while the department waits
for the answer: a resolved ticket kept asking, with no answer box below."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import actions
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_the_question_is_asked_while_the_department_waits_and_not_after_it_resolved(client, citizen):
    staff = make_staff("petugas.dlh@banjarmasinkota.go.id", "dlh")
    ticket = make_ticket(reporter=citizen, title="Sampah menumpuk di Jalan Mawar")
    actions.ask_for_information(ticket=ticket, actor=staff, message="Di RT berapa tepatnya?")
    client.force_login(citizen)
    url = reverse("complaints:ticket", args=[ticket.reference])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="staff-question"' in page and "Please answer below." in page

    actions.resolve_ticket(ticket=ticket, actor=staff, note="Sudah diangkut.")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="staff-question"' not in page and "Please answer below." not in page
    assert "Di RT berapa tepatnya?" in page  # still in the timeline, as history
