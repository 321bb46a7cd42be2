"""The email about a merged report names the report it went into, whose updates its followers get from then on."""

from __future__ import annotations

import pytest

from complaints import actions
from complaints.mail import _render
from complaints.models import EventType, Notification, Privacy
from complaints.notifications import ticket_url
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _merged_email(citizen, into_privacy):
    staff = make_staff("petugas.gabung@banjarmasinkota.go.id", "dlh")
    into = make_ticket(privacy=into_privacy, title="Sampah menumpuk di Jalan Mawar")
    duplicate = make_ticket(reporter=citizen)
    actions.merge_ticket(ticket=duplicate, into=into, actor=staff)
    notification = Notification.objects.get(ticket=duplicate, event__type=EventType.MERGED, email=citizen.email)
    notification.language = "en"
    return into, _render(notification)[1]


def test_the_merged_email_names_the_report_and_links_it(citizen):
    into, body = _merged_email(citizen, Privacy.PUBLIC)
    assert f"same problem as report {into.reference}" in body
    assert "you now receive that report's updates" in body
    assert ticket_url(into) in body


def test_a_confidential_target_is_not_named(citizen):
    into, body = _merged_email(citizen, Privacy.CONFIDENTIAL)
    assert into.reference not in body and ticket_url(into) not in body
    assert "together with a report that is not public" in body
