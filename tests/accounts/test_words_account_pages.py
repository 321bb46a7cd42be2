"""The account pages speak the portal's words, as its menu does: "Log in", "Sign up", "Remember me", "Email
addresses" (sentence case), where allauth's own strings wrote "Sign In", "Sign Up", "Remember Me", "Email Addresses";
the email confirmation page is written for an account that has no user name, a dead confirmation link says where to
ask for a new one, and "contact us" gives the city's address."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from tests.smartcity.test_translations import visible_text

pytestmark = pytest.mark.django_db

TITLE_CASE = ["Sign In", "Sign Up", "Sign Out", "Remember Me", "Email Addresses", "Change Password", "Password Reset"]


def _text(client, url, language="en") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


@pytest.mark.parametrize("url", ["/akun/login/", "/akun/signup/", "/akun/password/reset/"])
def test_the_entrance_pages_say_log_in_and_sign_up_as_the_menu_does(client, city, url):
    text = _text(client, url)
    for words in TITLE_CASE:
        assert words not in text, (url, words)
    assert "Log in" in text and "Sign up" in text


def test_the_login_page_reads_log_in_remember_me_in_english_and_masuk_daftar_in_indonesian(client, city):
    english = _text(client, "/akun/login/")
    assert re.search(r"Log in .*Remember me.* Log in No account yet\? Sign up", english)
    indonesian = _text(client, "/akun/login/", "id")
    # The menu's "Masuk" and "Daftar" (base.html) head the page and name its buttons.
    assert re.search(r"Masuk .*Masuk Belum punya akun\? Daftar", indonesian)


@pytest.mark.parametrize("url", ["/akun/email/", "/akun/password/change/", "/akun/profil/"])
def test_the_account_pages_say_email_addresses_and_change_password(client, citizen, url):
    client.force_login(citizen)
    text = _text(client, url)
    for words in TITLE_CASE + ["Current Password", "New Password", "Make Primary", "Add Email"]:
        assert words not in text, (url, words)
    assert "Email addresses" in text and "Change password" in text


def test_changing_the_password_asks_for_the_current_and_new_password_in_sentence_case(client, citizen):
    client.force_login(citizen)
    text = _text(client, "/akun/password/change/")
    assert "Current password" in text and "New password" in text and "New password (again)" in text


def _confirmation_key(user, email: str, *, primary: bool = True) -> str:
    address = EmailAddress.objects.create(user=user, email=email, primary=primary)
    return EmailConfirmationHMAC(address).key


def test_confirming_the_sign_up_address_names_it_once(client, city):
    from tests.conftest import make_user

    user = make_user("james.ulm@example.com")
    text = _text(client, f"/akun/confirm-email/{_confirmation_key(user, user.email)}/")
    assert "Please confirm that james.ulm@example.com is your email address." in text
    assert text.count("james.ulm@example.com") == 1
    assert "for user" not in text


def test_confirming_an_added_address_names_the_account(client, citizen):
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    text = _text(client, f"/akun/confirm-email/{_confirmation_key(citizen, 'siti.kantor@example.id', primary=False)}/")
    assert "Please confirm that siti.kantor@example.id is an email address of the account warga@example.id." in text


def test_a_dead_confirmation_link_signed_out_says_to_log_in_for_a_new_one(client, city):
    page = client.get("/akun/confirm-email/not-a-key/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = visible_text(page)
    assert "This email confirmation link has expired or is not valid." in text
    assert "we send you a new link" in text
    assert re.search(r'id="confirm-link-invalid">[^<]*<a href="/akun/login/">Log in</a>', page)


def test_a_dead_confirmation_link_signed_in_points_to_the_email_addresses_page(client, citizen):
    client.force_login(citizen)
    page = client.get("/akun/confirm-email/not-a-key/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'id="confirm-link-invalid">[^<]*<a href="/akun/email/">email addresses</a>', page)
    assert "Send the confirmation again" in visible_text(page)
    # The button it names is on that page.
    assert "Send the confirmation again" in _text(client, "/akun/email/")


def test_the_verification_page_gives_the_citys_contact(client, city, settings):
    settings.PRIVACY_CONTACT_EMAIL = "ppid@banjarmasinkota.go.id"
    page = client.get("/akun/confirm-email/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "contact us" not in page
    assert 'href="mailto:ppid@banjarmasinkota.go.id"' in page


def test_the_password_reset_sent_page_gives_the_citys_contact(client, city, settings):
    settings.PRIVACY_CONTACT_EMAIL = "ppid@banjarmasinkota.go.id"
    page = client.get("/akun/password/reset/done/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "contact us" not in page
    assert 'href="mailto:ppid@banjarmasinkota.go.id"' in page
