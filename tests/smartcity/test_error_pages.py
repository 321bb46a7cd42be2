"""Error pages speak the visitor's language in the portal's look and say what to do next; the ones that may
answer a failing database or session (400, 500, a failed CSRF check) render without touching either."""

import pytest
from django.test import Client
from django.urls import path

from smartcity import urls as portal_urls

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


# The URLconf of the 500 test: the portal's, its handlers, and one view that fails.
handler500 = portal_urls.handler500
urlpatterns = [path("boom/", _boom), *portal_urls.urlpatterns]


@pytest.mark.parametrize(
    ("language", "title", "hint"),
    [("id", "Halaman tidak ditemukan", "Buat laporan"), ("en", "Page not found", "File a report")],
)
def test_a_missing_page_keeps_the_portal_around_it(client, city, language, title, hint):
    page = client.get("/laporan/BJM-1999-000001/", HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    assert page.status_code == 404
    assert title in html and hint in html
    assert 'id="language-form"' in html  # the menu and the language switch are there
    assert "BJM-1999-000001" not in html  # nothing of what was asked is repeated (a hidden ticket stays hidden)


def test_a_page_of_another_role_says_so(client, citizen):
    client.force_login(citizen)
    refused = client.get("/dasbor/kota/")
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "Tidak diizinkan" in html and "administrator portal" in html
    assert "masuk terlebih dahulu" not in html


def test_an_anonymous_visitor_refused_is_asked_to_log_in_and_come_back(rf, city):
    """The staff pages send visitors to the login form; an action refused to a visitor says why and links it."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/laporan/BJM-2026-000001/info/")
    request.user = AnonymousUser()
    html = permission_denied(request, PermissionDenied("Please log in to add information.")).content.decode()
    assert "Please log in to add information." in html and "Silakan masuk terlebih dahulu" in html
    assert "/akun/login/?next=/laporan/BJM-2026-000001/info/" in html


def test_a_form_that_fails_its_csrf_check_says_what_to_do(city):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post("/lapor/", {"title": "Jalan rusak"}, HTTP_ACCEPT_LANGUAGE="en")
    html = refused.content.decode()
    assert refused.status_code == 403
    assert "The form could not be checked" in html and "allow cookies for this site" in html
    assert "CSRF" not in html  # Django's reason is for developers, not citizens


def test_a_request_for_another_host_gets_a_plain_400(client):
    refused = client.get("/", HTTP_HOST="evil.example")
    assert refused.status_code == 400
    assert "Permintaan tidak dapat dibaca" in refused.content.decode()


@pytest.mark.urls("tests.smartcity.test_error_pages")
def test_a_server_error_asks_to_check_before_sending_again_and_touches_no_database(city, django_assert_num_queries):
    browser = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        failed = browser.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    html = failed.content.decode()
    assert failed.status_code == 500
    assert "Something went wrong on our side" in html and "look in My reports" in html
    assert "a bug" not in html and "Traceback" not in html


def test_the_portal_uses_these_handlers():
    from django.conf import settings
    from django.urls import get_resolver

    from smartcity import views

    resolver = get_resolver()
    assert resolver.resolve_error_handler(400) is views.bad_request
    assert resolver.resolve_error_handler(500) is views.server_error
    assert settings.CSRF_FAILURE_VIEW == "smartcity.views.csrf_failure"
