"""``mask_contact_details``: the phone numbers, emails and NIKs citizens type into a report, hidden; the numbers
that are not contact details (references, years, house numbers, RT/RW, money, dates, times, coordinates) kept."""

import pytest
from django.utils import translation

from complaints.redaction import PHONE_HIDDEN, has_contact_details, mask_contact_details

PHONE = "[phone number hidden]"
EMAIL = "[email hidden]"
NIK = "[NIK hidden]"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "text, masked",
    [
        ("hubungi 081234567890", f"hubungi {PHONE}"),
        ("HP: 0812-3456-7890.", f"HP: {PHONE}."),
        ("wa 0812 3456 789 ya pak", f"wa {PHONE} ya pak"),
        ("no hp 0811.5100.123", f"no hp {PHONE}"),
        ("Telp.081234567890", f"Telp.{PHONE}"),
        ("+62 812 3456 7890", PHONE),
        ("+6281234567890", PHONE),
        ("62 812-3456-7890", PHONE),
        ("(+62) 812 3456 7890", PHONE),
        ("chat wa.me/6281234567890", f"chat wa.me/{PHONE}"),
        ("telp. 0511-3252123 (kantor)", f"telp. {PHONE} (kantor)"),
        ("(0511) 3252123", PHONE),
        ("021-5551234", PHONE),
        ("021 555 1234", PHONE),
        ("+62 511 3252 123", PHONE),
        ("0812 3456 7890 0813 1111 2222", f"{PHONE} {PHONE}"),
        ("0812-3456-7890/0813-1111-2222", f"{PHONE}/{PHONE}"),
        ("0812345678 atau 0511-3252123", f"{PHONE} atau {PHONE}"),
        ("email saya budi@gmail.com", f"email saya {EMAIL}"),
        ("budi.santoso+lapor@yahoo.co.id, terima kasih", f"{EMAIL}, terima kasih"),
        ("Email: Siti_Rahmah@banjarmasinkota.go.id.", f"Email: {EMAIL}."),
        ("NIK 6371012345670001", f"NIK {NIK}"),
        ("NIK 6371 0123 4567 0001", f"NIK {NIK}"),
        ("KK 6271012345670001 atas nama ayah", f"KK {NIK} atas nama ayah"),
    ],
)
def test_contact_details_are_hidden(text, masked):
    assert mask_contact_details(text) == masked
    assert has_contact_details(text)


@pytest.mark.parametrize(
    "text",
    [
        "Laporan lanjutan dari BJM-2026-000185",
        "sudah sejak tahun 2026",
        "Jl. Veteran No. 12, RT 05/RW 03",
        "RT 005 RW 003",
        "ganti rugi Rp 1.250.000",
        "anggaran Rp 12.500.000.000",
        "Rp 250.000,00",
        "titik -3.3186, 114.5944",
        "0.81234567, 114.59",
        "tanggal 05-03-2026 jam 08.30",
        "05/03/2026",
        "2026-03-05 10:30",
        "jam 07.30-09.00",
        "kode pos 70111",
        "kode area 0511",
        "nomor rumah 081",
        "0812 345",
        "lebar 0,8 m, panjang 100 m, KM 7,5",
        "sudah 3 kali, 2 minggu",
        "nomor pelanggan PDAM 1234567",
        "",
    ],
)
def test_numbers_that_are_not_contact_details_stay(text):
    assert mask_contact_details(text) == text
    assert not has_contact_details(text)


def test_none_is_empty_text():
    assert mask_contact_details(None) == ""


def test_the_marker_is_in_the_active_language():
    """The markers are translated when a text is masked, not when the module is imported (gettext_lazy)."""
    with translation.override("id"):
        masked = mask_contact_details("hubungi 081234567890")
        assert masked == f"hubungi {PHONE_HIDDEN}"
