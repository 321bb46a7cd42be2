"""What a citizen writes on a report's page (information, an answer to the department, a reason to reopen, a rating's
comment) is a public event: the forms say so, unless the report is confidential."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints.models import Privacy, Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("privacy", [Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL])
def test_the_citizens_forms_say_that_what_they_write_is_public_unless_the_report_is_confidential(
    client, citizen, privacy
):
    """Adding information or answering the department, reopening, a rating's comment: public events, read by anyone
    on a public or anonymous report's page."""
    hint = "everyone can read what you write here"
    client.force_login(citizen)
    open_ticket = make_ticket(reporter=citizen, privacy=privacy)
    page = client.get(f"/laporan/{open_ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="info-form"' in page
    resolved = make_ticket(reporter=citizen, privacy=privacy, status=Status.RESOLVED, resolved_at=timezone.now())
    resolved_page = client.get(f"/laporan/{resolved.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="reopen-form"' in resolved_page and 'id="rating-form"' in resolved_page
    if privacy == Privacy.CONFIDENTIAL:
        assert hint not in page and hint not in resolved_page
    else:
        assert page.count(hint) == 1
        assert resolved_page.count(hint) == 2  # under the reason to reopen and under the rating's comment
