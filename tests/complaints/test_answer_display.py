"""The citizen's and the staff's ticket pages show the extra answers as question and labels, never raw codes."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.models import ServiceAttribute
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def road(city):
    return make_ticket(service="jalan-rusak", title="Jalan berlubang", attributes={"ukuran": "kecil"})


@pytest.mark.parametrize(
    "language,question,label",
    [("en", "How big is the damage?", "Small (< 1 m)"), ("id", "Seberapa besar kerusakannya?", "Kecil (< 1 m)")],
)
def test_the_public_page_shows_the_question_and_the_label(client, road, language, question, label):
    page = text_of(client.get(reverse("complaints:ticket", args=[road.reference]), HTTP_ACCEPT_LANGUAGE=language))
    assert question in page and label in page
    assert "ukuran" not in page


def test_multiple_answers_are_labels_not_a_python_list(client, city):
    ticket = make_ticket(service="ktp-el", attributes={"masalah": ["belum_jadi", "hilang"]})
    page = text_of(client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "What is the problem?" in page and "Not issued yet, Lost" in page
    assert "['belum_jadi'" not in page


def test_answers_to_a_deleted_question_or_a_withdrawn_answer_show_the_raw_value(client, city):
    ticket = make_ticket(service="pju-mati", attributes={"nomor_tiang": "T-0042", "jumlah_lampu": 3})
    ServiceAttribute.objects.filter(service__code="pju-mati", code="nomor_tiang").delete()
    road = make_ticket(service="jalan-rusak", attributes={"ukuran": "raksasa"})
    page = text_of(client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "How many lights are out?" in page and "nomor_tiang" in page and "T-0042" in page
    assert "raksasa" in text_of(
        client.get(reverse("complaints:ticket", args=[road.reference]), HTTP_ACCEPT_LANGUAGE="en")
    )


def test_the_staff_page_shows_the_question_and_the_label(client, road):
    client.force_login(make_staff("petugas.pupr@banjarmasinkota.go.id", "pupr"))
    page = text_of(client.get(reverse("staff:ticket", args=[road.reference]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "How big is the damage?" in page and "Small (< 1 m)" in page


def test_answers_cost_one_query_on_either_page(client, road, city):
    plain = make_ticket(service="jalan-rusak", title="Jalan berlubang")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for page in ("complaints:ticket", "staff:ticket"):
        if page == "staff:ticket":
            client.force_login(make_staff("petugas.pupr@banjarmasinkota.go.id", "pupr"))
        queries(reverse(page, args=[plain.reference]))  # warm the session and caches
        with_answers = queries(reverse(page, args=[road.reference]))
        assert with_answers <= queries(reverse(page, args=[plain.reference])) + 1


@pytest.mark.parametrize("language,shown", [("id", "6 Des 2026 08:30 WITA"), ("en", "6 Dec 2026 08:30 WITA")])
def test_a_date_and_time_answer_reads_like_the_pages_other_times(client, city, language, shown):
    """Stored in UTC (as filed), shown in WITA with its zone, in the format of the page's other times."""
    ticket = make_ticket(service="air-mati", attributes={"sejak": "2026-12-06T00:30:00+00:00"})
    page = text_of(client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE=language))
    assert f"<dd>{shown}</dd>" in page
    client.force_login(make_staff("petugas.pdam@banjarmasinkota.go.id", "pdam"))
    page = text_of(client.get(reverse("staff:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE=language))
    assert f"<td>{shown}</td>" in page
