"""The personal-data pages (/akun/data-saya/, /akun/hapus/) for every role: signed in only, each person's own data only,
no staff work in a staff member's download, CSRF on their forms."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from complaints.events import record_event
from complaints.models import EventType, Privacy
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

DATA, DOWNLOAD, DELETE = "/akun/data-saya/", "/akun/data-saya/unduh/", "/akun/hapus/"
PASSWORD = "rahasia-kota-123"


@pytest.mark.parametrize("url", [DATA, DOWNLOAD, DELETE])
def test_visitors_are_asked_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/akun/login/")


def test_every_role_reads_its_own_data_and_only_citizens_may_delete_themselves(client, roles):
    for role, user in roles.items():
        if user is None:
            continue
        client.force_login(user)
        assert client.get(DATA).status_code == 200, role
        data = client.get(DOWNLOAD).json()
        assert data["profile"]["email"] == user.email, role
        page = client.get(DELETE).content.decode()
        may_delete = role == "citizen"
        assert ('name="password"' in page) == may_delete, role
        if not may_delete:
            assert client.post(DELETE, {"password": PASSWORD}).status_code == 403, role
            assert User.objects.filter(pk=user.pk).exists(), role


def test_a_staff_members_download_holds_no_report_they_only_worked_on(client, staff_dlh, citizen):
    """Their replies on other people's reports are the city's work, and a confidential report's text is not theirs:
    the download says what they did and when, not what the reports or their replies said."""
    secret = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL, title="Dugaan pungli", description="Rahasia")
    record_event(ticket=secret, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Kami periksa Pak Siti"})
    client.force_login(staff_dlh)
    body = client.get(DOWNLOAD).content.decode()
    data = json.loads(body)
    assert data["reports"] == [] and data["subscriptions"] == []
    assert [(event["reference"], event["type"]) for event in data["events"]] == [(secret.reference, "reply")]
    for foreign in ("Dugaan pungli", "Rahasia", "Kami periksa", citizen.email, "Siti Warga"):
        assert foreign not in body, foreign


def test_the_personal_data_forms_refuse_a_post_without_the_csrf_token(citizen):
    ticket = make_ticket(reporter=citizen, show_name=True)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    for url in (reverse("account_hide_name", args=[ticket.reference]), DELETE):
        assert browser.post(url, {"password": PASSWORD}).status_code == 403, url
    ticket.refresh_from_db()
    assert ticket.show_name is True and User.objects.filter(pk=citizen.pk).exists()
    page = browser.get(DATA).content.decode()
    assert page.count("csrfmiddlewaretoken") >= 2  # the language switch's and each "stop showing my name"
