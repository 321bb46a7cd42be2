"""Two edges of the contact-detail masking (``complaints.redaction``), found after it shipped, and the numbers of
Banjarmasin's reports it must and must not hide:

- a piece of a phone number written in groups ("3456" of "0812 3456 7890") found its report in the public search,
  though the report's page hides the number: the search told anyone who knew a piece of someone's number which
  report holds it. The staff queue's search still finds every word as stored.
- a short number right after a phone number written in groups was hidden with it: "0812 3456 7890 12 orang sakit"
  read "[phone number hidden] orang sakit", and the public lost the fact that 12 people are ill."""

import pytest
from django.utils import translation

from complaints.redaction import has_contact_details, mask_contact_details
from tests.factories import make_ticket
from tests.staff.test_queue import QUEUE, refs

PHONE = "[phone number hidden]"
EMAIL = "[email hidden]"
NIK = "[NIK hidden]"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- a number after a phone number --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, masked",
    [
        ("hubungi 0812 3456 7890 12 orang sakit", f"hubungi {PHONE} 12 orang sakit"),
        ("wa +62 812 3456 7890 17 rumah kebanjiran", f"wa {PHONE} 17 rumah kebanjiran"),
        ("telp 0511 3251234 12 KK terdampak", f"telp {PHONE} 12 KK terdampak"),
        ("(0511) 325-1234 45 warga", f"{PHONE} 45 warga"),
        ("0812-3456-7890 2026", f"{PHONE} 2026"),
        # Two numbers after it: a phone number is never that long, so they were all shown, the phone number too.
        ("0812 3456 7890 1234 5678", f"{PHONE} 1234 5678"),
    ],
)
def test_a_number_after_a_phone_number_stays(text, masked):
    assert mask_contact_details(text) == masked


# --- what a report from Banjarmasin holds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, masked",
    [
        ("hubungi +62 812-3456-7890", f"hubungi {PHONE}"),
        ("kantor kelurahan 0511 3251234", f"kantor kelurahan {PHONE}"),
        ("wa 6281234567890", f"wa {PHONE}"),
        ("0812 3456 78901", PHONE),  # the longest mobile number, in groups
        ("email ketua RT: pak.rt05@gmail.com", f"email ketua RT: {EMAIL}"),
        ("NIK saya 6371042505880002", f"NIK saya {NIK}"),
    ],
)
def test_contact_details_in_a_report_are_hidden(text, masked):
    assert mask_contact_details(text) == masked
    assert has_contact_details(text)


@pytest.mark.parametrize(
    "text",
    [
        "Jalan rusak di RT 05 RW 03 Kelurahan Kelayan Luar",
        "Jl. A. Yani km 4,5 depan SPBU",
        "sudah sejak awal tahun 2026",
        "kerugian warga Rp 1.500.000",
        "lanjutan laporan BJM-2026-000341",
        "sejak tanggal 12-03-2026",
        "rumah No. 12A, RT 012",
    ],
)
def test_numbers_of_a_report_that_are_no_contact_details_stay(text):
    assert mask_contact_details(text) == text
    assert not has_contact_details(text)


# --- the public search looks only in what the public pages show ------------------------------------------------------


def publicly_found(client, typed: str) -> set[str]:
    listed = client.get("/laporan/", {"q": typed}, HTTP_ACCEPT_LANGUAGE="en").context["page"].object_list
    pins = client.get("/laporan/peta.json", {"q": typed}).json()["features"]
    found = {ticket.reference for ticket in listed}
    assert found == {pin["properties"]["reference"] for pin in pins}  # the map pins what the list lists
    return found


@pytest.fixture
def reports(city):
    return {
        "mobile": make_ticket(
            title="Sampah menumpuk di RT 05",
            description="Hubungi saya 0812 3456 7890 12 orang sakit. Sejak tahun 2026.",
        ),
        "landline": make_ticket(title="Got tersumbat", description="Telepon kantor (0511) 325-1234 saja."),
        "nik": make_ticket(title="Bantuan belum cair", description="NIK 6371 0425 0588 0002 atas nama ibu."),
    }


@pytest.mark.parametrize(
    "typed",
    ["3456", "0812", "7890", "0812 3456", "3456 7890", "sampah 3456", "0511", "325", "6371", "0425", "0002"],
)
def test_the_public_search_finds_no_report_by_a_piece_of_a_hidden_number(client, reports, typed):
    assert publicly_found(client, typed) == set()


def test_the_public_search_finds_the_numbers_a_report_shows(client, reports):
    mobile = reports["mobile"].reference
    assert publicly_found(client, "sampah") == {mobile}
    assert publicly_found(client, "05") == {mobile}  # RT 05
    assert publicly_found(client, "2026 sampah") == {mobile}


def test_the_staff_search_still_finds_every_word_as_stored(client, staff_dlh, reports):
    client.force_login(staff_dlh)
    for typed in ("0812 3456", "sampah 7890"):  # a number alone is a reference there
        assert refs(client.get(QUEUE, {"q": typed, "status": "all"})) == {reports["mobile"].reference}
