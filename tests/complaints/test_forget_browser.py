"""A reporter without an account who opened their personal link on a shared phone or an internet café computer makes
that browser forget it: the next person there can no longer open the report (a confidential one included), add to
it, reopen or rate it. The personal link in the emails still works."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from complaints import follow
from complaints.models import EventType, Privacy, Rating, Status
from tests.conftest import make_user
from tests.factories import make_ticket

from .test_guest_follow import guest_ticket, path_of

pytestmark = pytest.mark.django_db


def _open_link(client, ticket) -> str:
    response = client.get(path_of(follow.follow_url(ticket)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()


def _forget_form(html: str) -> tuple[str, str]:
    """The button's form: where it posts and its CSRF token."""
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*id="forget-browser">(.*?)</form>', html, re.S)
    assert form, "no 'Forget this browser' on the page"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    return form.group(1), token


def test_after_forgetting_the_browser_opens_no_confidential_report_and_posts_nothing(city):
    client = Client(enforce_csrf_checks=True)
    ticket = guest_ticket(privacy=Privacy.CONFIDENTIAL, status=Status.RESOLVED)
    # A second report of the same guest opened in this browser: forgetting takes every grant of the session.
    other = guest_ticket(privacy=Privacy.CONFIDENTIAL, status=Status.IN_PROGRESS, title="Laporan kedua")
    _open_link(client, other)
    html = _open_link(client, ticket)
    assert 'id="close-loop"' in html
    action, token = _forget_form(html)
    assert action == f"/laporan/{ticket.reference}/lupakan/"
    assert "Forget this browser" in html

    assert client.post(action).status_code == 403  # no CSRF token: refused, nothing forgotten
    assert client.get(f"/laporan/{ticket.reference}/").status_code == 200

    response = client.post(action, {"csrfmiddlewaretoken": token}, HTTP_ACCEPT_LANGUAGE="en")
    # Visitors may not open a confidential report: the home page, saying the personal link still works.
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This browser no longer opens your reports" in home and "personal link in our emails" in home

    for report in (ticket, other):
        assert client.get(f"/laporan/{report.reference}/").status_code == 404
        posted = client.post(
            f"/laporan/{report.reference}/info/", {"message": "Tambahan dari orang lain", "csrfmiddlewaretoken": token}
        )
        assert posted.status_code == 404
        assert not report.events.filter(type=EventType.CITIZEN_INFO).exists()
    for step, data in (("nilai", {"score": "1"}), ("buka-kembali", {"reason": "Belum beres."}), ("selesai", {})):
        posted = client.post(f"/laporan/{ticket.reference}/{step}/", {**data, "csrfmiddlewaretoken": token})
        assert posted.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and not Rating.objects.filter(ticket=ticket).exists()

    # The personal link from the email opens it again.
    assert 'id="close-loop"' in _open_link(client, ticket)


def test_a_public_report_shows_as_a_visitor_sees_it_after_forgetting(client, city):
    ticket = guest_ticket(privacy=Privacy.PUBLIC, status=Status.RESOLVED)
    html = _open_link(client, ticket)
    action, _ = _forget_form(html)
    response = client.post(action, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == f"/laporan/{ticket.reference}/"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This browser no longer opens your reports" in page
    for reporters_only in ('id="close-loop"', 'id="emails-form"', 'id="forget-browser"', 'id="info-form"'):
        assert reporters_only not in page
    assert 'id="reporter-hint"' in page  # where a reporter finds their report: the link in the emails
    # ...or signing in, back to this page (the hint said "log in" without a link).
    assert f'<a class="alert-link" href="/akun/login/?next=/laporan/{ticket.reference}/">log in</a>' in page


def test_only_a_reporter_by_the_personal_link_is_offered_to_forget_it(client, city):
    ticket = guest_ticket(privacy=Privacy.PUBLIC, status=Status.IN_PROGRESS)
    assert 'id="forget-browser"' not in client.get(f"/laporan/{ticket.reference}/").content.decode()
    # A reporter with an account signs out instead.
    citizen = make_user("pelapor.akun@example.id")
    own = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL)
    client.force_login(citizen)
    page = client.get(f"/laporan/{own.reference}/").content.decode()
    assert 'id="emails-form"' in page and 'id="forget-browser"' not in page
