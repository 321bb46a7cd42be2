"""The filing form's similar reports without a pin: a call-centre operator filing for a phone caller, or a citizen who
picks the kelurahan from the list, is offered the open public reports of the same service in that kelurahan, with
"me too", under the same visibility rules as the reports near a pin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Privacy, Status, Subscription
from complaints.queries import SIMILAR_LIMIT, similar_open_tickets_in_kelurahan
from services.models import Area, Service
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def waste(city):
    return Service.objects.get(code="sampah-menumpuk")


@pytest.fixture
def neighbour_kelurahan(city, mawar):
    return city.exclude(pk=mawar.pk).order_by("code").first()


def offered(client, service, area, **extra) -> str:
    return client.get(
        reverse("complaints:similar"), {"service": service.pk, "area": area.pk, **extra}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()


def test_without_a_pin_the_reports_of_the_chosen_kelurahan_are_offered_in_its_name(
    client, citizen, other_citizen, waste, mawar, neighbour_kelurahan
):
    shown = make_ticket(reporter=other_citizen, title="Sampah di Gang Mawar", support_count=2)
    anonymous = make_ticket(reporter=other_citizen, privacy=Privacy.ANONYMOUS, address="Rumah pagar hijau, RT 12")
    hidden = [
        make_ticket(reporter=other_citizen, service="jalan-rusak"),
        make_ticket(reporter=other_citizen, kelurahan=neighbour_kelurahan),
        make_ticket(reporter=other_citizen, status=Status.RESOLVED),
        make_ticket(reporter=other_citizen, status=Status.SUBMITTED),  # not checked by the city yet: not public
        make_ticket(reporter=other_citizen, privacy=Privacy.CONFIDENTIAL),
        make_ticket(reporter=other_citizen, created_at=timezone.now() - dt.timedelta(days=100)),
        make_ticket(reporter=citizen),  # their own
    ]
    client.force_login(citizen)
    partial = offered(client, waste, mawar)
    assert f"Similar reports in {mawar.name}" in partial and "nearby" not in partial
    assert shown.reference in partial and anonymous.reference in partial
    assert not [t.reference for t in hidden if t.reference in partial]
    assert "· 2 supporters</div>" in partial and " m away" not in partial
    assert "Rumah pagar hijau" not in partial
    assert f'hx-post="{reverse("complaints:support", args=[shown.reference])}"' in partial


def test_the_most_supported_come_first_then_the_newest_and_only_a_few(waste, mawar):
    now = timezone.now()
    backed = make_ticket(support_count=7, created_at=now - dt.timedelta(days=20))
    newest = make_ticket(created_at=now - dt.timedelta(hours=1))
    older = [make_ticket(created_at=now - dt.timedelta(days=2 + n)) for n in range(SIMILAR_LIMIT)]
    found = similar_open_tickets_in_kelurahan(service=waste, kelurahan=mawar)
    assert [t.pk for t in found] == [backed.pk, newest.pk, *[t.pk for t in older[: SIMILAR_LIMIT - 2]]]


def test_ones_own_reports_do_not_take_the_places_of_others(client, citizen, other_citizen, waste, mawar):
    """Five of the citizen's own newer reports and one of a neighbour's: the neighbour's is offered (own reports were
    dropped after the five were chosen, leaving none), near a pin as in the kelurahan."""
    now = timezone.now()
    own = [make_ticket(reporter=citizen, created_at=now - dt.timedelta(hours=n + 1)) for n in range(SIMILAR_LIMIT)]
    neighbours = make_ticket(reporter=other_citizen, created_at=now - dt.timedelta(days=3))
    client.force_login(citizen)
    for extra in ({}, {"lat": neighbours.lat, "lng": neighbours.lng}):
        partial = offered(client, waste, mawar, **extra)
        assert neighbours.reference in partial, extra
        assert not [t.reference for t in own if t.reference in partial]


def test_a_pin_still_decides_and_says_nearby(client, waste, mawar, neighbour_kelurahan):
    """With a pin and a kelurahan both sent, the reports near the pin are offered, as before."""
    near = make_ticket(kelurahan=neighbour_kelurahan)
    in_mawar = make_ticket()
    partial = offered(client, waste, mawar, lat=near.lat, lng=near.lng)
    assert "Similar reports nearby" in partial and " m away" in partial
    assert near.reference in partial and in_mawar.reference not in partial


@pytest.mark.parametrize("area_param", ["", "abc", "999999999", "99999999999999999999999", "kecamatan"])
def test_no_kelurahan_no_suggestions(client, waste, mawar, area_param):
    make_ticket()
    if area_param == "kecamatan":  # the form lists kelurahan only
        area_param = Area.objects.get(pk=mawar.pk).parent_id
    partial = client.get(reverse("complaints:similar"), {"service": waste.pk, "area": area_param}).content.decode()
    assert partial.strip() == ""


def test_no_service_no_suggestions(client, mawar):
    make_ticket()
    assert client.get(reverse("complaints:similar"), {"area": mawar.pk}).content.decode().strip() == ""


def test_a_call_centre_operator_is_offered_the_reports_already_filed_for_other_callers(client, city, waste, mawar):
    """The streetlight one caller reported is offered when the next caller rings about it: the operator filed it, but
    it is not their own report (a report filed on a caller's behalf has no reporter account)."""
    operator = make_staff("operator.112@banjarmasinkota.go.id", "dlh")
    earlier_call = make_ticket(reporter=None, filed_by=operator, reporter_name="Penelepon pertama")
    client.force_login(operator)
    assert earlier_call.reference in offered(client, waste, mawar)


def test_me_too_on_a_kelurahan_suggestion_supports_that_report(client, citizen, other_citizen, waste, mawar):
    ticket = make_ticket(reporter=other_citizen)
    client.force_login(citizen)
    assert ticket.reference in offered(client, waste, mawar)
    response = client.post(reverse("complaints:support", args=[ticket.reference]), HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == reverse("complaints:ticket", args=[ticket.reference])
    ticket.refresh_from_db()
    assert ticket.support_count == 1
    assert Subscription.objects.filter(ticket=ticket, user=citizen, reason="supporter").exists()


def test_the_kelurahan_suggestions_cost_a_few_queries_however_many_reports(
    client, citizen, other_citizen, waste, mawar, django_assert_max_num_queries
):
    for _ in range(SIMILAR_LIMIT + 3):
        make_ticket(reporter=other_citizen)
    client.force_login(citizen)
    # Service, kelurahan (often already in the catalogue copies), reports; session, user and the two reads of the
    # user's roles that every page's context makes; whether they file for citizens (the hint under "me too").
    # None per report offered.
    with django_assert_max_num_queries(8):
        partial = offered(client, waste, mawar)
    assert partial.count('class="border-top pt-2 mt-2 similar-item"') == SIMILAR_LIMIT
