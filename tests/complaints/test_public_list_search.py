"""The public report list as a journalist or a community leader uses it: how many reports the filters select, a
keyword or a reference number typed into the search box, a kelurahan picked by name, and a page title that says
what is listed."""

import re

from complaints.models import Privacy, Status
from services.models import Area, Service
from tests.factories import make_ticket

MANTUIL = "63.71.01.1001"  # Banjarmasin Selatan
ALALAK_UTARA = "63.71.04.1002"  # Banjarmasin Utara
UTARA = "63.71.04"


def listing(client, **params):
    return client.get("/laporan/", params, HTTP_ACCEPT_LANGUAGE="en")


def listed(response) -> set[str]:
    return {ticket.reference for ticket in response.context["page"].object_list}


def pinned(client, **params) -> set[str]:
    features = client.get("/laporan/peta.json", params, HTTP_ACCEPT_LANGUAGE="en").json()["features"]
    return {feature["properties"]["reference"] for feature in features}


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


# --- the total --------------------------------------------------------------------------------------------------


def test_the_list_says_how_many_reports_the_filters_select_on_every_page(client, city):
    for _ in range(26):
        make_ticket(title="Sampah menumpuk")
    make_ticket(service="jalan-rusak", title="Jalan berlubang")
    make_ticket(privacy=Privacy.CONFIDENTIAL, title="Rahasia")  # never public: not counted
    make_ticket(status=Status.SUBMITTED, title="Belum diteruskan")  # not routed yet: not counted
    first = listing(client)
    assert '<p class="fw-semibold mb-2" id="public-total">27 reports</p>' in first.content.decode()
    assert "27 reports" in listing(client, page=2).content.decode()  # the whole list's, not the page's 2
    road = Service.objects.get(code="jalan-rusak")
    assert ">1 report</p>" in listing(client, service=road.pk).content.decode()
    assert ">27 laporan</p>" in client.get("/laporan/").content.decode()  # the city's language


# --- the keyword search ------------------------------------------------------------------------------------------


def test_a_keyword_finds_public_reports_by_title_or_description_never_by_an_anonymous_address(client, city):
    by_title = make_ticket(title="Lampu jalan mati", description="Gelap sejak minggu lalu.")
    by_description = make_ticket(title="Gelap di gang", description="Lampu penerangan padam.")
    make_ticket(title="Sampah menumpuk")
    anonymous = make_ticket(
        privacy=Privacy.ANONYMOUS, title="Got tersumbat", description="Air meluap.", address="Gang Lampu RT 12"
    )
    secret = make_ticket(privacy=Privacy.CONFIDENTIAL, title="Lampu kantor dicuri pegawai")
    found = listing(client, q="lampu")
    assert listed(found) == {by_title.reference, by_description.reference}
    assert "2 reports" in found.content.decode()
    page = found.content.decode()
    assert anonymous.reference not in page and "Gang Lampu" not in page and secret.reference not in page
    # The map beside the list pins the same reports.
    assert pinned(client, q="lampu") == {by_title.reference, by_description.reference}
    # Every word must be there, in any case.
    assert listed(listing(client, q="LAMPU padam")) == {by_description.reference}
    assert "No public reports match these filters." in listing(client, q="jembatan").content.decode()


def test_a_search_with_filters_keeps_its_query_count(client, city, django_assert_max_num_queries):
    for i in range(30):
        make_ticket(title=f"Lampu jalan mati {i}", kelurahan=MANTUIL if i % 2 else ALALAK_UTARA)
    kecamatan = Area.objects.get(code=UTARA)
    with django_assert_max_num_queries(10):
        response = listing(client, q="lampu mati", kecamatan=kecamatan.pk, page=1)
    assert len(listed(response)) == 15 and "15 reports" in response.content.decode()


# --- a reference typed into the search box -------------------------------------------------------------------------


def test_a_reference_opens_the_report_the_visitor_may_see(client, citizen):
    public = make_ticket(title="Lampu jalan mati")
    response = listing(client, q=f"  {public.reference.lower()} ")
    assert response.status_code == 302 and response["Location"] == f"/laporan/{public.reference}/"
    assert listing(client, q=f"#{public.pk}")["Location"] == f"/laporan/{public.reference}/"
    own_secret = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL, title="Pungli")
    client.force_login(citizen)
    assert listing(client, q=own_secret.reference)["Location"] == f"/laporan/{own_secret.reference}/"


def test_a_reference_the_visitor_may_not_see_answers_as_an_unknown_one(client, citizen, other_citizen):
    secret = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL, title="Pungli di sekolah")
    unrouted = make_ticket(reporter=citizen, status=Status.SUBMITTED, title="Belum diteruskan")
    unknown = re.sub(r"\d{6}$", "999999", secret.reference)
    client.force_login(other_citizen)

    def page_for(reference: str) -> str:
        response = listing(client, q=reference)
        assert response.status_code == 200 and not listed(response)
        html = response.content.decode().replace(reference, "REFERENCE")
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "TOKEN", html)  # new every page

    assert page_for(secret.reference) == page_for(unknown) == page_for(unrouted.reference)
    assert "Pungli" not in page_for(secret.reference)


def test_a_bare_number_is_searched_as_a_word_not_opened_as_a_reference(client, city):
    rt = make_ticket(title="Banjir di RT 12")
    make_ticket(title="Sampah menumpuk")
    response = listing(client, q=str(rt.pk))
    assert response.status_code == 200
    assert listed(listing(client, q="12")) == {rt.reference}


# --- kelurahan and kecamatan -------------------------------------------------------------------------------------


def test_kelurahan_are_offered_by_name_with_their_kecamatan(client, city):
    options = listing(client).context["form"].fields["kelurahan"].choices
    labels = [str(label) for value, label in options if value]
    assert len(labels) == city.count() and labels == sorted(labels)
    assert "Basirih (Banjarmasin Barat)" in labels and "Mantuil (Banjarmasin Selatan)" in labels


def test_a_kelurahan_outside_the_chosen_kecamatan_is_refused_by_name(client, city):
    in_utara = make_ticket(title="Sampah di Alalak", kelurahan=ALALAK_UTARA)
    in_mantuil = make_ticket(title="Sampah di Mantuil", kelurahan=MANTUIL)
    utara = Area.objects.get(code=UTARA)
    mantuil = Area.objects.get(code=MANTUIL)
    response = listing(client, kecamatan=utara.pk, kelurahan=mantuil.pk)
    html = response.content.decode()
    assert "Mantuil (Banjarmasin Selatan) is not in Banjarmasin Utara: the list shows all of Banjarmasin Utara." in html
    assert 'aria-describedby="id_kelurahan-error"' in html
    # The kecamatan still filters, the refused kelurahan does not, on the list and on its map alike.
    assert listed(response) == {in_utara.reference} == pinned(client, kecamatan=utara.pk, kelurahan=mantuil.pk)
    assert in_mantuil.reference not in html
    # In its own kecamatan it filters.
    selatan = mantuil.parent
    assert listed(listing(client, kecamatan=selatan.pk, kelurahan=mantuil.pk)) == {in_mantuil.reference}


# --- the title -------------------------------------------------------------------------------------------------------


def test_the_title_says_what_is_listed(client, city):
    for _ in range(26):
        make_ticket(kelurahan=MANTUIL)
    mantuil = Area.objects.get(code=MANTUIL)
    assert title_of(listing(client)).startswith("Public reports · ")
    assert title_of(listing(client, kelurahan=mantuil.pk, page=2)).startswith("Public reports · Mantuil · page 2 · ")
    searched = title_of(listing(client, q="sampah", status="open", date_from="2026-01-05"))
    assert searched.startswith("Public reports · “sampah” · Open · from 5 Jan 2026 · ")
