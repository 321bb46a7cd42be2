"""The queue's kelurahan filter follows the kecamatan chosen (found in the flood-surge walk: it listed all 52 kelurahan
whatever the kecamatan, and a pair that does not go together listed nothing and said nothing). The page draws the
kecamatan's kelurahan (and staff-queue.js redraws them without a reload); a kelurahan outside the kecamatan is left
out by name and the kecamatan still filters. On a phone the folded filter card says how many filters are active."""

from __future__ import annotations

import json
import re

import pytest

from services.models import Area
from tests.factories import DEFAULT_KELURAHAN, make_ticket

pytestmark = pytest.mark.django_db
QUEUE = "/staf/antrian/"


def kelurahan_offered(html: str) -> set[str]:
    select = re.search(r'<select[^>]*id="filter-kelurahan">(.*?)</select>', html, re.S).group(1)
    return {value for value in re.findall(r'<option value="(\d*)"', select) if value}


def refs(html: str) -> set[str]:
    return set(re.findall(r'data-reference="([^"]+)"', html))


@pytest.fixture
def two_kecamatan(city):
    mawar = Area.objects.get(code=DEFAULT_KELURAHAN)  # Banjarmasin Tengah
    utara = Area.objects.get(level=Area.Level.KECAMATAN, name="Banjarmasin Utara")
    north = Area.objects.filter(parent=utara).order_by("name").first()
    return mawar, utara, north


def test_the_kelurahan_list_holds_the_kecamatans_kelurahan_only(client, staff_dlh, two_kecamatan):
    _mawar, utara, _north = two_kecamatan
    client.force_login(staff_dlh)

    everywhere = kelurahan_offered(client.get(QUEUE).content.decode())
    in_utara = kelurahan_offered(client.get(QUEUE, {"kecamatan": utara.pk}).content.decode())

    assert len(everywhere) == Area.objects.filter(level=Area.Level.KELURAHAN).count()
    assert in_utara == {str(pk) for pk in Area.objects.filter(parent=utara).values_list("pk", flat=True)}
    assert 0 < len(in_utara) < len(everywhere)


def test_a_kelurahan_outside_the_kecamatan_is_named_and_the_kecamatan_still_filters(client, staff_dlh, two_kecamatan):
    mawar, utara, north = two_kecamatan
    in_tengah, in_utara = make_ticket(kelurahan=mawar), make_ticket(kelurahan=north)
    client.force_login(staff_dlh)

    html = client.get(QUEUE, {"kecamatan": utara.pk, "kelurahan": mawar.pk}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Mawar (Banjarmasin Tengah) is not in Banjarmasin Utara: the list shows all of Banjarmasin Utara." in html
    assert refs(html) == {in_utara.reference}
    assert in_tengah.reference not in html
    assert str(mawar.pk) not in kelurahan_offered(html)  # the list shows "Any", which the next change sends


def test_the_page_carries_every_kelurahan_with_its_kecamatan_for_the_script(client, staff_dlh, two_kecamatan):
    mawar, utara, north = two_kecamatan
    client.force_login(staff_dlh)
    html = client.get(QUEUE, {"kecamatan": utara.pk}).content.decode()
    data = re.search(r'<script id="filter-kelurahan-choices" type="application/json">(.*?)</script>', html, re.S)
    areas = {pk: parent for pk, _name, parent in json.loads(data.group(1))}
    assert areas[mawar.pk] == mawar.parent_id and areas[north.pk] == utara.pk
    assert len(areas) == Area.objects.filter(level=Area.Level.KELURAHAN).count()


def test_the_folded_filters_say_how_many_are_active(client, staff_dlh, two_kecamatan):
    _mawar, utara, _north = two_kecamatan
    client.force_login(staff_dlh)
    toggle = r'id="queue-filters-toggle".*?<span class="badge text-bg-primary" id="queue-filters-active">([^<]*)</span>'

    plain = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    narrowed = client.get(
        QUEUE, {"kecamatan": utara.pk, "priority": 4, "status": "open", "sort": "age"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    changed = client.get(
        QUEUE, {"kecamatan": utara.pk, "status": "all"}, HTTP_ACCEPT_LANGUAGE="en", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert re.search(toggle, plain, re.S).group(1) == ""
    assert re.search(toggle, narrowed, re.S).group(1) == "2 active"  # the default status and the sort narrow nothing
    assert '<span id="queue-filters-active" hx-swap-oob="innerHTML">2 active</span>' in changed


def test_the_kecamatan_costs_the_queue_no_query_more(client, staff_dlh, two_kecamatan, django_assert_max_num_queries):
    _mawar, utara, _north = two_kecamatan
    client.force_login(staff_dlh)
    client.get(QUEUE)
    with django_assert_max_num_queries(18) as captured:
        client.get(QUEUE)
    plain = len(captured)
    with django_assert_max_num_queries(plain + 1):  # the kecamatan itself, looked up to validate it
        client.get(QUEUE, {"kecamatan": utara.pk})
