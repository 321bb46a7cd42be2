"""Signing up, verifying, signing in: allauth inside the portal's layout, rate-limited, admin included."""

import re
import subprocess
import sys
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail

from accounts.models import User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Kota-Seribu-Sungai-2026"


def _fresh_ip() -> str:
    """A client address nobody used before: the rate-limit counters live in a cache shared across runs."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def _fresh_email(prefix="warga") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}@example.id"


def _too_many_attempts() -> str:
    """allauth's own message, in the language the page is served in (Indonesian by default)."""
    from allauth.account.adapter import DefaultAccountAdapter
    from django.utils import translation

    with translation.override("id"):
        return str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])


def _logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def _sign_up(client, email: str):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/akun/signup/", data, REMOTE_ADDR=_fresh_ip())


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/services/service/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/login/?next=%2Fadmin%2Fservices%2Fservice%2F"
    # The admin index itself sends anonymous visitors the same way.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/akun/login/?next=%2Fadmin%2F")
    assert b'name="password"' in response.content


def test_admin_login_ignores_foreign_next(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/akun/login/?next=%2Fadmin%2F"


def test_admin_login_refuses_signed_in_non_staff_without_a_loop(client, citizen, administrator):
    client.force_login(citizen)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert citizen.email in response.content.decode()
    client.force_login(administrator)
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/admin/"


def test_staff_signs_in_to_admin_through_allauth_form(client, administrator):
    EmailAddress.objects.create(user=administrator, email=administrator.email, verified=True, primary=True)
    response = client.post(
        "/akun/login/?next=/admin/",
        {"login": administrator.email, "password": "rahasia-kota-123", "next": "/admin/"},
        REMOTE_ADDR=_fresh_ip(),
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_repeated_failed_logins_are_rate_limited(client, db):
    email = _fresh_email("korban")
    user = make_user(email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    ip = _fresh_ip()
    for attempt in range(5):
        response = client.post("/akun/login/", {"login": email, "password": f"salah-{attempt}"}, REMOTE_ADDR=ip)
        assert response.status_code == 200
        assert _too_many_attempts() not in response.content.decode()
    # Sixth try, even with the right password: refused until the window passes.
    response = client.post("/akun/login/", {"login": email, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code in (200, 429)
    if response.status_code == 200:
        assert _too_many_attempts() in response.content.decode()
    assert _logged_in_as(client) is None


def test_admin_cannot_be_guessed_through_its_own_form(client, db):
    """Django admin's login form is gone: posting to it never authenticates."""
    staff = make_user(_fresh_email("staf"), password=PASSWORD, is_staff=True)
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code in (302, 405)
    assert _logged_in_as(client) is None


def test_fresh_signup_must_confirm_email_before_signing_in(client, db):
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    email = _fresh_email()
    ip = _fresh_ip()
    response = client.post(
        "/akun/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR=ip
    )
    assert response.status_code == 302
    assert response["Location"] == "/akun/confirm-email/"
    assert _logged_in_as(client) is None
    page = client.get("/akun/confirm-email/").content.decode()
    assert 'class="navbar' in page  # rendered inside the portal's layout

    response = client.post("/akun/login/", {"login": email, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert _logged_in_as(client) is None
    assert response.status_code == 302 and response["Location"] == "/akun/confirm-email/"

    body = mail.outbox[-1].body
    found = re.search(r"https?://[^/\s]+(/akun/confirm-email/[^/\s]+/)", body)
    link = found.group(1)
    # Signed by the portal at its public address, not by the host name the request came in on ("testserver").
    assert settings.PORTAL_NAME in body and "testserver" not in body.replace(found.group(0), "")
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert email in confirm_page.content.decode()
    client.post(link, REMOTE_ADDR=ip)
    assert EmailAddress.objects.get(email=email).verified

    client.post("/akun/login/", {"login": email, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert _logged_in_as(client) == str(User.objects.get(email=email).pk)


def test_with_optional_verification_a_signup_is_signed_in_at_once(client, settings, db):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    email = _fresh_email()
    _sign_up(client, email)
    assert _logged_in_as(client) == str(User.objects.get(email=email).pk)


def _setting_in_subprocess(name: str, **env) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "smartcity.settings.base", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_demo_mode_makes_email_verification_optional_and_only_demo_mode():
    assert _setting_in_subprocess("ACCOUNT_EMAIL_VERIFICATION", DEMO_MODE="true") == "optional"
    assert _setting_in_subprocess("ACCOUNT_EMAIL_VERIFICATION", DEMO_MODE="false") == "mandatory"
    assert _setting_in_subprocess("ACCOUNT_EMAIL_VERIFICATION") == "mandatory"


def test_signup_remembers_the_interface_language(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    email = _fresh_email()
    _sign_up(client, email)
    assert User.objects.get(email=email).language == "en"


@pytest.mark.parametrize(
    "url",
    [
        "/akun/login/",
        "/akun/signup/",
        "/akun/password/reset/",
        "/akun/password/reset/done/",
        "/akun/confirm-email/",
        "/akun/confirm-email/not-a-key/",
        "/akun/password/reset/key/1-set-password/",
    ],
)
def test_account_pages_use_the_portal_layout(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="navbar' in page and 'id="language-form"' in page
    assert "bootstrap.min.css" in page
    assert 'name="viewport"' in page


def test_signed_in_pages_use_the_portal_layout(client, citizen):
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    client.force_login(citizen)
    for url in ("/akun/email/", "/akun/logout/", "/akun/password/change/"):
        page = client.get(url).content.decode()
        assert 'class="navbar' in page, url
    email_page = client.get("/akun/email/").content.decode()
    assert citizen.email in email_page and "badge text-bg-success" in email_page
    client.post("/akun/logout/")
    assert _logged_in_as(client) is None


def test_password_reset_sends_a_working_link(client, citizen):
    client.post("/akun/password/reset/", {"email": citizen.email}, REMOTE_ADDR=_fresh_ip())
    link = re.search(r"https?://[^/\s]+(/akun/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    assert b'name="password1"' in form_page.content
    new = "Jembatan-Ulin-77"
    response = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    citizen.refresh_from_db()
    assert citizen.check_password(new)


def test_a_password_reset_email_speaks_the_accounts_language(client, db):
    from allauth.account.models import EmailAddress

    user = make_user("ibu.siti@example.id", language="id")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # asked from the English page
    mail.outbox.clear()
    client.post("/akun/password/reset/", {"email": user.email})
    (message,) = mail.outbox
    assert "Reset your password" not in message.subject and "kata sandi" in message.subject
    # In the portal's words: "tautan" (link) and "atur ulang" (reset), not allauth's "link" and "mereset".
    assert "tautan" in message.body and "link" not in message.body.replace("/akun/password/reset/key/", "")
    assert "mereset" not in message.body
