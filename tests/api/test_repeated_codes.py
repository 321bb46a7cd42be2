"""A repeated `service`, `department` or `area` lists the tickets of each code (their union, as a repeated `status`
does); it kept only the last value and answered 200 as if the other had no tickets. A kecamatan's code means the
tickets of all its kelurahan (tickets carry their kelurahan: it was an empty 200), and `kecamatan` filters by it."""

import pytest

from services.models import Area
from tests.factories import DEFAULT_KELURAHAN, make_ticket

pytestmark = pytest.mark.django_db


def refs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {ticket["reference"] for ticket in response.json()["results"]}


def errors(response) -> list[dict]:
    assert response.status_code == 400, response.content
    return response.json()["errors"]


@pytest.fixture
def drain_and_flood(city):
    drain = make_ticket(service="drainase-tersumbat")
    flood = make_ticket(service="genangan-banjir")
    make_ticket()  # sampah-menumpuk: in neither
    return drain, flood


def test_a_repeated_service_lists_the_tickets_of_each(api, drain_and_flood):
    drain, flood = drain_and_flood
    both = {drain.reference, flood.reference}
    assert refs(api.get("/api/v1/tickets/?service=drainase-tersumbat&service=genangan-banjir")) == both
    assert refs(api.get("/api/v1/tickets/?service=genangan-banjir&service=drainase-tersumbat")) == both
    # One code answers as before.
    assert refs(api.get("/api/v1/tickets/?service=drainase-tersumbat")) == {drain.reference}
    assert refs(api.get("/api/v1/tickets/?service=genangan-banjir&service=genangan-banjir")) == {flood.reference}


def test_a_repeated_area_lists_the_tickets_of_each(api, city):
    mawar = Area.objects.get(code=DEFAULT_KELURAHAN)
    other, third = Area.objects.filter(level=Area.Level.KELURAHAN).exclude(pk=mawar.pk)[:2]
    here, there = make_ticket(kelurahan=mawar), make_ticket(kelurahan=other)
    make_ticket(kelurahan=third)
    url = f"/api/v1/tickets/?area={mawar.code}&area={other.code}"
    assert refs(api.get(url)) == {here.reference, there.reference}
    assert refs(api.get(f"/api/v1/tickets/?area={other.code}")) == {there.reference}


def test_each_unknown_code_among_known_ones_is_a_400_naming_it(api, drain_and_flood):
    response = api.get(
        "/api/v1/tickets/?service=drainase-tersumbat&service=nope&service=genangan-banjir&service=nah",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert errors(response) == [
        {"field": "service", "message": "There is no service with the code “nope”; /api/v1/services/ lists them."},
        {"field": "service", "message": "There is no service with the code “nah”; /api/v1/services/ lists them."},
    ]
    response = api.get(f"/api/v1/tickets/?area={DEFAULT_KELURAHAN}&area=63.99", HTTP_ACCEPT_LANGUAGE="en")
    assert [error["message"] for error in errors(response)] == [
        "There is no kelurahan with the code “63.99”; /api/v1/areas/ lists them."
    ]


def test_repeated_codes_are_read_in_one_query(api, drain_and_flood, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # the plain list's 4 (test_tickets) and the codes' rows
        assert len(refs(api.get("/api/v1/tickets/?service=drainase-tersumbat&service=genangan-banjir"))) == 2


def test_a_kecamatan_code_lists_the_tickets_of_its_kelurahan(api, city):
    mawar = Area.objects.get(code=DEFAULT_KELURAHAN)
    tengah = mawar.parent
    neighbour = tengah.children.exclude(pk=mawar.pk).first()
    elsewhere = Area.objects.filter(level=Area.Level.KELURAHAN).exclude(parent=tengah).first()
    in_mawar, in_neighbour = make_ticket(kelurahan=mawar), make_ticket(kelurahan=neighbour)
    outside = make_ticket(kelurahan=elsewhere)
    inside = {in_mawar.reference, in_neighbour.reference}
    assert refs(api.get("/api/v1/tickets/", {"area": tengah.code})) == inside
    assert refs(api.get("/api/v1/tickets/", {"kecamatan": tengah.code})) == inside
    both = f"/api/v1/tickets/?kecamatan={tengah.code}&kecamatan={elsewhere.parent.code}"
    assert refs(api.get(both)) == inside | {outside.reference}
    # A kecamatan and a kelurahan of another one, together.
    assert refs(api.get(f"/api/v1/tickets/?area={tengah.code}&area={elsewhere.code}")) == inside | {outside.reference}


def test_the_kecamatan_filter_refuses_a_kelurahan_code(api, city):
    response = api.get("/api/v1/tickets/", {"kecamatan": DEFAULT_KELURAHAN}, HTTP_ACCEPT_LANGUAGE="en")
    assert errors(response) == [
        {
            "field": "kecamatan",
            "message": f"There is no kecamatan with the code “{DEFAULT_KELURAHAN}”; /api/v1/areas/?level=kecamatan "
            "lists them.",
        }
    ]


def test_a_ticket_names_its_kecamatan_without_a_query_more_per_ticket(api, city, django_assert_max_num_queries):
    kelurahan = list(Area.objects.filter(level=Area.Level.KELURAHAN).select_related("parent")[:10])
    for area in kelurahan * 2:
        make_ticket(kelurahan=area)
    make_ticket(kelurahan=None, address="Jl. Veteran 12")
    with django_assert_max_num_queries(4):  # as test_tickets' plain list
        listed = api.get("/api/v1/tickets/").json()["results"]
    assert len(listed) == 21
    by_code = {area.code: area.parent for area in kelurahan}
    for ticket in listed:
        kecamatan = by_code.get(ticket["area"])
        expected = (kecamatan.code, kecamatan.name) if kecamatan else (None, None)
        assert (ticket["kecamatan"], ticket["kecamatan_name"]) == expected
    detail = api.get(f"/api/v1/tickets/{listed[0]['reference']}/").json()
    assert detail["kecamatan"] == listed[0]["kecamatan"]


def test_a_filing_by_kelurahan_code_answers_its_kecamatan(as_user, city, citizen):
    filed = as_user(citizen).post(
        "/api/v1/tickets/",
        {"title": "Sampah", "description": "Belum diangkut.", "area": DEFAULT_KELURAHAN},
        format="json",
    )
    assert filed.status_code == 201, filed.content
    assert (filed.json()["kecamatan"], filed.json()["kecamatan_name"]) == ("63.71.05", "Banjarmasin Tengah")


def test_an_empty_code_is_no_filter_as_before(api, drain_and_flood):
    drain, _flood = drain_and_flood
    assert len(refs(api.get("/api/v1/tickets/?service="))) == 3
    assert refs(api.get("/api/v1/tickets/?service=&service=drainase-tersumbat")) == {drain.reference}


def test_an_unknown_code_with_a_percent_sign_is_named_too(api, city):
    """django-filter %-formats each message: a code "50%" was a 500."""
    response = api.get("/api/v1/tickets/", {"service": "50%s%%"}, HTTP_ACCEPT_LANGUAGE="en")
    assert [error["message"] for error in errors(response)] == [
        "There is no service with the code “50%s%%”; /api/v1/services/ lists them."
    ]
