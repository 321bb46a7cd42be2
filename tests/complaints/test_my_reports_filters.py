"""'My reports' for a citizen who files for neighbours (a Ketua RT, found in the QA walk): the filter 'Filed by me
for others' is staff's (a phone caller, a visitor at the counter) and was offered to him too, always empty; and a
filter that matched nothing said 'No reports yet.' to a man with eleven reports."""

import pytest

from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_a_citizen_is_not_offered_the_staffs_filed_for_others_filter(client, citizen):
    make_ticket(reporter=citizen, status=Status.ROUTED)
    client.force_login(citizen)
    page = client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Filed by me" in page and "Filed by me for others" not in page


def test_staff_keep_the_filter(client, staff_dlh):
    client.force_login(staff_dlh)
    page = client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Filed by me for others" in page


def test_a_filter_that_matches_nothing_says_so_not_that_there_are_no_reports(client, citizen):
    make_ticket(reporter=citizen, status=Status.ROUTED)
    client.force_login(citizen)
    page = client.get("/laporan-saya/", {"status": "closed"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No report matches these filters." in page and "No reports yet." not in page


def test_a_citizen_without_reports_reads_that_there_are_none_yet(client, other_citizen):
    client.force_login(other_citizen)
    assert "No reports yet." in client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
