"""Protection by default: a report that chose no privacy gets its service's default (confidential for a person's health,
welfare or civil records); whoever files may always choose more public or more private. file_ticket decides, for the
web form, Open311 and every other caller."""

import re

import pytest

from complaints.actions import file_ticket
from complaints.models import Privacy, Ticket
from services.models import Area, Service

from .test_filing_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_key(db):
    from open311.models import ApiKey

    key, raw = ApiKey.issue(name="SP4N-LAPOR bridge")
    key.raw = raw
    return key


def _service(code):
    return Service.objects.get(code=code)


@pytest.mark.parametrize(
    "code,given,expected",
    [
        ("odgj-terlantar", None, Privacy.CONFIDENTIAL),
        ("bansos", "", Privacy.CONFIDENTIAL),
        ("odgj-terlantar", Privacy.PUBLIC, Privacy.PUBLIC),  # chosen: more public
        ("odgj-terlantar", Privacy.ANONYMOUS, Privacy.ANONYMOUS),
        ("sampah-menumpuk", None, Privacy.PUBLIC),
        ("sampah-menumpuk", Privacy.CONFIDENTIAL, Privacy.CONFIDENTIAL),  # chosen: more private
        (None, None, Privacy.PUBLIC),  # "not sure"
    ],
)
def test_a_filing_without_a_privacy_gets_its_services_default(citizen, pin, code, given, expected):
    extra = {} if given is None else {"privacy": given}
    ticket = file_ticket(
        title="Laporan",
        description="Mohon ditindaklanjuti.",
        service=_service(code) if code else None,
        lat=pin[0],
        lng=pin[1],
        reporter=citizen,
        **extra,
    )
    assert ticket.privacy == expected


def test_the_administrators_choice_for_a_service_applies(citizen, pin):
    Service.objects.filter(code="sampah-menumpuk").update(default_privacy=Privacy.ANONYMOUS)
    waste = _service("sampah-menumpuk")
    ticket = file_ticket(
        title="Sampah", description="Menumpuk.", service=waste, lat=pin[0], lng=pin[1], reporter=citizen
    )
    assert ticket.privacy == Privacy.ANONYMOUS


def test_show_name_needs_the_resolved_privacy_to_be_public(citizen, pin):
    ticket = file_ticket(
        title="Bansos",
        description="Tidak tepat sasaran.",
        service=_service("bansos"),
        lat=pin[0],
        lng=pin[1],
        reporter=citizen,
        show_name=True,
    )
    assert ticket.privacy == Privacy.CONFIDENTIAL and not ticket.show_name


def test_open311_without_privacy_uses_the_services_default(client, city, api_key):
    mawar = Area.objects.get(code="63.71.05.1003")
    common = {"api_key": api_key.raw, "lat": mawar.label_lat, "long": mawar.label_lng, "description": "Mohon dibantu."}
    assert client.post("/open311/v2/requests.json", {**common, "service_code": "layanan-puskesmas"}).status_code == 201
    assert client.post("/open311/v2/requests.json", {**common, "service_code": "pju-mati"}).status_code == 201
    explicit = {**common, "service_code": "layanan-puskesmas", "privacy": "public"}
    assert client.post("/open311/v2/requests.json", explicit).status_code == 201
    filed = list(Ticket.objects.order_by("pk").values_list("service__code", "privacy"))
    assert filed == [
        ("layanan-puskesmas", Privacy.CONFIDENTIAL),
        ("pju-mati", Privacy.PUBLIC),
        ("layanan-puskesmas", Privacy.PUBLIC),
    ]


def test_the_rest_api_without_privacy_uses_the_services_default(client, citizen, pin):
    """The REST API's filing had its own default (public) in front of file_ticket's."""
    client.force_login(citizen)
    common = {"description": "Mohon dibantu.", "lat": pin[0], "lng": pin[1]}
    catalogue = client.get("/api/v1/services/odgj-terlantar/").json()
    assert catalogue["default_privacy"] == Privacy.CONFIDENTIAL  # integrations can show it before filing
    filed = [
        client.post("/api/v1/tickets/", {**common, "title": title, **extra}, content_type="application/json")
        for title, extra in (
            ("ODGJ di jalan", {"service": "odgj-terlantar"}),
            ("ODGJ lagi", {"service": "odgj-terlantar", "privacy": "public"}),
            ("Lampu mati", {"service": "pju-mati"}),
        )
    ]
    assert [response.status_code for response in filed] == [201, 201, 201]
    assert [response.json()["privacy"] for response in filed] == [Privacy.CONFIDENTIAL, Privacy.PUBLIC, Privacy.PUBLIC]


def test_the_web_form_without_a_ticked_choice_files_with_the_services_default(client, citizen, pin):
    client.force_login(citizen)
    odgj = _service("odgj-terlantar")
    data = form_data(odgj, pin, title="ODGJ di jalan")
    del data["privacy"]
    assert client.post("/lapor/", data).status_code == 302
    assert client.post("/lapor/", form_data(odgj, pin, title="ODGJ lagi", privacy="public")).status_code == 302
    assert list(Ticket.objects.order_by("pk").values_list("title", "privacy")) == [
        ("ODGJ di jalan", Privacy.CONFIDENTIAL),
        ("ODGJ lagi", Privacy.PUBLIC),
    ]


def test_the_form_preselects_the_services_default_and_tells_the_page_each_ones(client, city):
    bansos, waste = _service("bansos"), _service("sampah-menumpuk")
    html = client.get(f"/lapor/?service={bansos.pk}").content.decode()
    assert 'id="privacy-confidential" value="confidential" checked' in html
    assert re.search(f'id="service-{bansos.pk}" checked data-default-privacy="confidential"', html)
    assert re.search(f'id="service-{waste.pk}" +data-default-privacy="public"', html)
    # No service chosen yet: nothing ticked, the page says what applies; the script ticks the chosen service's.
    html = client.get("/lapor/").content.decode()
    assert 'name="privacy" id="privacy-public" value="public" checked' not in html
    assert 'id="privacy-default-hint"' in html
