"""The account pages and emails come from allauth but speak the portal's language: "Email" and "Silakan" as every
other page writes them (smartcity/third_party_messages.py), and a confirmation email that says why it came: an address
added to an account is not "given to register an account"."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import translation

from tests.smartcity.test_translations import parse_po

pytestmark = pytest.mark.django_db

PASSWORD = "Sungai-Martapura-2026"
HYPHENATED = re.compile(r"\b[Ee]-[Mm]ail\b|\b[Ss]ilahkan\b")
# Parts of allauth the portal does not install, and sign-in by user name or phone, which it does not offer.
NOT_SHOWN = re.compile(r"^(socialaccount|idp|mfa|headless|usersessions)/")
NOT_OFFERED = re.compile(r"username|phone", re.I)


def _fresh_ip() -> str:
    n = uuid.uuid4().int  # the sign-up rate limit counts per address in a cache shared across runs
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def _allauth_entries():
    """allauth's Indonesian catalogue, with the source files each entry comes from (parse_po skips comments)."""
    catalogue = Path(allauth.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "django.po"
    sources, shown = [], []
    for line in catalogue.read_text(encoding="utf-8").splitlines():
        if line.startswith("#: "):
            sources.extend(reference.split(":")[0] for reference in line[3:].split())
        elif line.startswith("msgid "):
            shown.append(not sources or not all(NOT_SHOWN.match(source) for source in sources))
            sources = []
    entries = parse_po(catalogue)
    assert len(entries) == len(shown)
    return [entry for entry, is_shown in zip(entries, shown) if entry.msgid and is_shown]


def test_no_allauth_string_reads_e_mail_or_silahkan_in_indonesian():
    entries = [entry for entry in _allauth_entries() if not NOT_OFFERED.search(entry.msgid)]
    assert len(entries) > 250  # the whole catalogue was read
    reworded = []
    with translation.override("id"):
        for entry in entries:
            if entry.msgid_plural:
                shown = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            elif entry.msgctxt:
                shown = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = translation.gettext(entry.msgid)
            assert not HYPHENATED.search(shown), (entry.msgid, shown)
            if HYPHENATED.search(" ".join(entry.msgstr.values())):
                reworded.append(entry.msgid)
    assert len(reworded) > 20  # allauth's own catalogue does use those words: the check above has work to do


def test_the_login_and_signup_forms_say_email_as_the_rest_of_the_portal(client):
    for url in ("/akun/login/", "/akun/signup/", "/akun/password/reset/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
        assert "E-mail" not in page and "e-mail" not in page, url
        # Django's own auth catalogue wrote the label "Sandi" and hints "Sandi anda …" beside "Kata sandi Anda".
        assert not re.search(r"(?<![Kk]ata )\b[Ss]andi\b|\banda\b", page), url
        assert "Email" in page or "email" in page, url


def test_a_wrong_password_is_refused_in_the_portals_wording(client, citizen):
    response = client.post(
        "/akun/login/", {"login": citizen.email, "password": "salah-sekali"}, REMOTE_ADDR=_fresh_ip()
    )
    page = response.content.decode()
    assert "Alamat email dan/atau kata sandi yang Anda masukkan tidak benar." in page


def test_sign_up_email_says_someone_signed_up_with_the_address(client):
    email = f"warga.{uuid.uuid4().hex[:10]}@example.id"
    client.post(
        "/akun/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR=_fresh_ip()
    )
    (message,) = [m for m in mail.outbox if email in m.to]
    assert "mendaftar di" in message.body and "/akun/confirm-email/" in message.body
    assert message.subject == "[Lapor Banjarmasin] Mohon konfirmasi alamat email Anda"  # sentence case
    assert "E-mail" not in message.subject + message.body


def test_an_added_address_is_asked_for_an_account_not_to_register_one(client, citizen):
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    client.force_login(citizen)
    citizen.language = "en"  # the email speaks the account's language
    citizen.save(update_fields=["language"])
    assert client.post("/akun/email/", {"action_add": "", "email": "siti.kantor@example.id"}).status_code == 302
    (message,) = [m for m in mail.outbox if "siti.kantor@example.id" in m.to]
    assert "register an account" not in message.body
    assert "asked to use this email address for the account" in message.body
    assert "/akun/confirm-email/" in message.body
    assert "not used until it is confirmed" in message.body
