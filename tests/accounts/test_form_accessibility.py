"""The account forms for a screen reader: Django names a field's message and help in its aria-describedby
("id_email_error", "id_password1_helptext id_password1_error", "id_login_error"), and the page now carries exactly
those ids (the message and the help had none, so every reference pointed nowhere); a refused form loads
js/refused-form.js, which gives the first invalid field the focus (tests/e2e/test_refused_forms.py). The profile's
language choice names each language in itself, marked with its ``lang``; the account tabs say which one is open."""

from __future__ import annotations

import uuid

import pytest

from tests.aria import Page
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Kota-Seribu-Sungai-2026"
SCRIPT = "/static/js/refused-form.js"


def _fresh_ip() -> str:
    n = uuid.uuid4().int  # the sign-in limits count per address in a cache shared across runs
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def refused(client, url: str, data: dict) -> Page:
    response = client.post(url, data, REMOTE_ADDR=_fresh_ip(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (200, 400)
    page = Page(response.content.decode())
    assert page.unresolved_references() == []
    scripts = [s for s in page.find_all("script") if s.get("src") == SCRIPT]
    assert len(scripts) == 1 and "defer" in scripts[0]
    return page


def described(page: Page, field_id: str) -> list[str]:
    return [element["id"] for element in page.described_by(page.by_id[field_id])]


def test_a_refused_sign_up_ties_each_field_to_its_message_and_help(client, city):
    page = refused(client, "/akun/signup/", {"email": "bukan-alamat", "password1": "123", "password2": "456"})
    assert page.by_id["id_email"]["aria-invalid"] == "true"
    assert described(page, "id_email") == ["id_email_error"]
    assert "valid email address" in page.by_id["id_email_error"].text
    # The password too short: Django names its help, then its message.
    assert page.by_id["id_password1"]["aria-invalid"] == "true"
    assert described(page, "id_password1") == ["id_password1_helptext", "id_password1_error"]
    assert page.by_id["id_password1_error"].text.strip()


def test_a_sign_in_with_an_empty_address_ties_the_field_to_its_message(client, city):
    page = refused(client, "/akun/login/", {"login": "", "password": PASSWORD})
    assert page.by_id["id_login"]["aria-invalid"] == "true"
    assert described(page, "id_login") == ["id_login_error"]
    assert "This field is required." in page.by_id["id_login_error"].text


def test_a_refused_sign_in_with_no_field_to_blame_has_a_message_that_can_take_the_focus(client, city):
    make_user("warga.lupa@example.id")
    page = refused(client, "/akun/login/", {"login": "warga.lupa@example.id", "password": "salah-sandi-123"})
    assert not page.find_all(aria_invalid="true")
    summary = page.by_id["form-errors"]
    assert summary["role"] == "alert" and summary["tabindex"] == "-1" and summary.text.strip()


def test_a_refused_password_reset_ties_the_field_to_its_message(client, city):
    page = refused(client, "/akun/password/reset/", {"email": "bukan-alamat"})
    assert page.by_id["id_email"]["aria-invalid"] == "true"
    assert described(page, "id_email") == ["id_email_error"]


def test_a_refused_password_change_in_allauths_own_template_is_tied_too(client, citizen):
    client.force_login(citizen)
    page = refused(
        client, "/akun/password/change/", {"oldpassword": "bukan-ini", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert page.by_id["id_oldpassword"]["aria-invalid"] == "true"
    assert "id_oldpassword_error" in described(page, "id_oldpassword")


def test_a_form_not_yet_sent_loads_no_focus_script(client, city):
    page = Page(client.get("/akun/signup/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert SCRIPT not in {s.get("src") for s in page.find_all("script")}
    assert "id_password1_helptext" in described(page, "id_password1")
    assert page.unresolved_references() == []


def test_the_profiles_language_choice_names_each_language_in_its_own_language(client, citizen):
    client.force_login(citizen)
    page = Page(client.get("/akun/profil/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    options = page.by_id["id_language"].find_all("option")
    assert [(o["value"], o.get("lang"), o.text) for o in options] == [
        ("id", "id", "Bahasa Indonesia"),
        ("en", "en", "English"),
    ]


@pytest.mark.parametrize(
    "url,current",
    [("/akun/profil/", "Profile"), ("/akun/email/", "Email addresses"), ("/akun/data-saya/", "Your data")],
)
def test_the_open_account_tab_is_the_current_page(client, citizen, url, current):
    client.force_login(citizen)
    page = Page(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    (nav,) = [ul for ul in page.find_all("ul") if "nav-pills" in ul.get("class", "").split()]
    tabs = nav.find_all("a")
    assert len(tabs) == 4
    assert [a.text.strip() for a in tabs if a.get("aria-current") == "page"] == [current]
    assert all("active" in a["class"].split() for a in tabs if a.get("aria-current") == "page")
