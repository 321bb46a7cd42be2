"""A date-and-time answer must name a moment every page can show in WITA: one outside the years a report can be
about is refused at filing with a clear message, and one stored before that rule still shows, as sent."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import actions
from services.models import Area, Service
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

# Valid ISO 8601, yet in UTC (and WITA) they fall after 31 December 9999 and before 1 January of year 1.
BEYOND_THE_CALENDAR = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]


def file_with_since(since: str, citizen):
    return actions.file_ticket(
        title="Air PDAM mati",
        description="Tidak mengalir sejak pagi.",
        service=Service.objects.get(code="air-mati"),
        area=Area.objects.get(code="63.71.05.1003"),
        reporter=citizen,
        attributes={"sejak": since},
    )


@pytest.mark.parametrize("since", [*BEYOND_THE_CALENDAR, "1850-06-01T08:00:00+08:00", "2150-01-01"])
def test_an_answer_outside_the_years_a_report_can_be_about_is_refused_by_name(city, citizen, since):
    with pytest.raises(ValidationError) as refused:
        file_with_since(since, citizen)
    assert refused.value.message_dict == {"attr_sejak": ["Masukkan tanggal antara tahun 1900 dan 2100."]}


def test_an_answer_within_those_years_is_kept_in_wita(city, citizen):
    ticket = file_with_since("2026-12-06T23:30:00Z", citizen)
    assert ticket.attributes == {"sejak": "2026-12-06T23:30:00+00:00"}


@pytest.mark.parametrize("since", BEYOND_THE_CALENDAR)
def test_such_an_answer_stored_before_the_rule_shows_as_sent_on_the_public_and_staff_pages(client, city, since):
    ticket = make_ticket(service="air-mati", attributes={"sejak": since})
    public = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert public.status_code == 200 and since in public.content.decode()
    client.force_login(make_staff("petugas.pdam@banjarmasinkota.go.id", ticket.department.code))
    staff = client.get(reverse("staff:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert staff.status_code == 200 and since in staff.content.decode()
