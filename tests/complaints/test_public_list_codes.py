"""The public report list and its map filtered by codes, as the dashboards, the public activities list and the API
name services and areas: a researcher's link (``/laporan/?service=drainase-tersumbat``) reads what it lists and means
the same on every copy of the database, and an old link by ids (an email, a bookmark) still opens the same list."""

import datetime as dt
import html
import re

from django.urls import reverse
from django.utils import timezone

from services.models import Area, Service
from tests.factories import make_ticket

MANTUIL = "63.71.01.1001"  # Banjarmasin Selatan
SELATAN = "63.71.01"
UTARA = "63.71.04"


def listing(client, language="en", **params):
    return client.get("/laporan/", params, HTTP_ACCEPT_LANGUAGE=language)


def listed(response) -> set[str]:
    return {ticket.reference for ticket in response.context["page"].object_list}


def pinned(client, **params) -> set[str]:
    features = client.get("/laporan/peta.json", params, HTTP_ACCEPT_LANGUAGE="en").json()["features"]
    return {feature["properties"]["reference"] for feature in features}


def selected(response, name: str) -> list[str]:
    """The values of the options the picker ``name`` shows chosen."""
    picker = re.search(rf'<select name="{name}".*?</select>', response.content.decode(), re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', picker)


def test_the_list_and_its_map_filter_by_service_kecamatan_and_kelurahan_codes(
    client, city, django_assert_max_num_queries
):
    road = make_ticket(service="jalan-rusak", title="Jalan berlubang", kelurahan=MANTUIL)
    waste = make_ticket(title="Sampah menumpuk", kelurahan=MANTUIL)
    elsewhere = make_ticket(service="jalan-rusak", title="Jalan di Alalak", kelurahan="63.71.04.1002")
    with django_assert_max_num_queries(12):
        by_service = listing(client, service="jalan-rusak")
    assert listed(by_service) == {road.reference, elsewhere.reference} == pinned(client, service="jalan-rusak")
    assert listed(listing(client, kecamatan=SELATAN)) == {road.reference, waste.reference}
    with django_assert_max_num_queries(12):
        both = listing(client, service="jalan-rusak", kecamatan=SELATAN, kelurahan=MANTUIL)
    assert not both.context["form"].errors
    assert listed(both) == {road.reference} == pinned(client, service="jalan-rusak", kelurahan=MANTUIL)


def test_the_pickers_submit_codes_and_show_the_one_chosen(client, city):
    response = listing(client, service="jalan-rusak", kecamatan=SELATAN, kelurahan=MANTUIL)
    page = response.content.decode()
    assert '<option value="sampah-menumpuk" >' in page  # every option carries its code, not its id
    assert selected(response, "service") == ["jalan-rusak"]
    assert selected(response, "kecamatan") == [SELATAN]
    assert selected(response, "kelurahan") == [MANTUIL]


def test_an_old_link_by_ids_opens_the_same_list_and_carries_codes_on(client, city):
    road = make_ticket(service="jalan-rusak", title="Jalan berlubang", kelurahan=MANTUIL)
    make_ticket(title="Sampah menumpuk", kelurahan=MANTUIL)
    service = Service.objects.get(code="jalan-rusak")
    kecamatan, kelurahan = Area.objects.get(code=SELATAN), Area.objects.get(code=MANTUIL)
    ids = {"service": service.pk, "kecamatan": kecamatan.pk, "kelurahan": kelurahan.pk, "status": "open"}
    response = listing(client, **ids)
    assert listed(response) == {road.reference} == pinned(client, **ids)
    # The pickers show what is applied, and the map and the other pages ask by code from here on.
    assert selected(response, "service") == ["jalan-rusak"]
    assert selected(response, "kelurahan") == [MANTUIL]
    map_url = html.unescape(re.search(r'data-points-url="([^"]+)"', response.content.decode()).group(1))
    assert (
        map_url
        == f"{reverse('complaints:public_map')}?service=jalan-rusak&kecamatan={SELATAN}&kelurahan={MANTUIL}&status=open"
    )


def test_a_code_made_of_digits_is_the_code_not_an_id(client, city):
    road = Service.objects.get(code="jalan-rusak")
    numbered = Service.objects.create(
        code=str(road.pk),
        name_id="Layanan bernomor",
        name_en="Numbered service",
        group=road.group,
        default_department=road.default_department,
    )
    in_numbered = make_ticket(service=numbered, title="Laporan bernomor")
    make_ticket(service="jalan-rusak", title="Jalan berlubang")
    assert listed(listing(client, service=str(road.pk))) == {in_numbered.reference}


def test_an_unknown_code_is_named_in_the_visitors_language_and_the_other_filters_still_apply(client, city):
    road = make_ticket(service="jalan-rusak", title="Jalan berlubang")
    make_ticket(title="Sampah menumpuk")
    refused = listing(client, service="jalan-rusak", kecamatan="63.71.99")
    assert refused.context["form"].errors["kecamatan"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert 'id="id_kecamatan-error"' in refused.content.decode()
    assert listed(refused) == {road.reference}
    assert selected(refused, "service") == ["jalan-rusak"]  # kept, as typed
    indonesian = listing(client, language="id", service="drainase-entah")
    assert indonesian.context["form"].errors["service"] == [
        "Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan yang tersedia."
    ]
    # A number no row has, however long, is refused the same way (not an error page).
    huge = listing(client, service="99999999999999999999999", status="open")
    assert "service" in huge.context["form"].errors
    assert selected(huge, "status") == ["open"]


def test_the_public_dashboard_links_to_the_list_by_code(client, city):
    make_ticket(service="jalan-rusak", kelurahan=MANTUIL)
    today = timezone.localdate()
    window = {"date_from": (today - dt.timedelta(days=7)).isoformat(), "date_to": today.isoformat()}
    response = client.get(reverse("dashboards:public"), {**window, "service": "jalan-rusak"})
    rows = {row["code"]: row for row in response.context["tables"]["kelurahan"].rows}
    link = rows[MANTUIL]["links"]["n"]
    assert link.startswith(reverse("complaints:public_list"))
    assert f"service=jalan-rusak&kelurahan={MANTUIL}&" in link
    assert client.get(link).context["page"].paginator.count == 1
