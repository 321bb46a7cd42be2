"""A merged report's own page: the steps it went through are done (every step read "not yet"), and its next steps
say the work and the emails go on at the report it went into (it said "This report is finished" and "You receive
emails about this report")."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints import actions
from complaints.models import Privacy, Status
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def page(client, user, ticket) -> str:
    client.force_login(user)
    return client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def merged(citizen, staff, *, into_privacy=Privacy.PUBLIC):
    into = make_ticket(reporter=make_user("pertama@example.id"), privacy=into_privacy)
    duplicate = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED, acknowledged_at=into.routed_at)
    actions.merge_ticket(ticket=duplicate, into=into, actor=staff)
    return into, duplicate


def test_the_steps_it_went_through_are_done(client, citizen, staff_dlh):
    _into, duplicate = merged(citizen, staff_dlh)
    steps = re.search(r'<ol [^>]*id="progress-steps".*?</ol>', page(client, citizen, duplicate), flags=re.S).group(0)
    states = re.findall(r'<li class="step ([a-z]*)"', steps)
    assert states == ["done", "done", "done", "", "", ""]
    assert "aria-current" not in steps


def test_the_work_and_the_emails_go_on_at_the_target(client, citizen, staff_dlh):
    into, duplicate = merged(citizen, staff_dlh)
    html = page(client, citizen, duplicate)
    assert "This report is finished." not in html
    assert "You receive emails about this report." not in html and 'id="emails-form"' not in html
    target = reverse("complaints:ticket", args=[into.reference])
    assert f'The work continues on report <a href="{target}">{into.reference}</a>' in html
    assert "its updates come by email from there." in html


def test_a_target_the_reader_may_not_open_is_not_named(client, citizen, staff_dlh):
    into, duplicate = merged(citizen, staff_dlh, into_privacy=Privacy.CONFIDENTIAL)
    html = page(client, citizen, duplicate)
    assert into.reference not in html
    assert "The work continues on the report this one was merged into, which is not public." in html
