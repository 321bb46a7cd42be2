"""REST API tokens in the admin (Accounts → API tokens): the whole key is shown once, when the token is created;
lists, pages, messages and the admin's history name a token by its first characters only. DRF's own token admin
listed every user's whole key and its history read "Added: <the whole key>"."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from rest_framework.authtoken.models import Token

from accounts.tokens import issue_token, stored_form
from tests.conftest import make_staff, make_user

NOTICE = re.compile(r"The new API token is ([0-9a-f]{40})\. Copy it now: it will not be shown again\.")

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(city):
    return make_user("root@banjarmasinkota.go.id", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_new_token_is_shown_once(admin_client, citizen):
    created = admin_client.post(
        "/admin/accounts/apitoken/add/", {"user": citizen.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert created.status_code == 200
    shown = [str(message) for message in created.context["messages"]]
    (key,) = [match.group(1) for message in shown if (match := NOTICE.fullmatch(message))]
    assert sum(message.count(key) for message in shown) == 1
    assert Token.objects.get(user=citizen).key == stored_form(key)  # the table keeps no key
    # It works, and no page of the admin shows it again.
    api = admin_client.get("/api/v1/tickets/", {"mine": "true"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 200
    for url in (
        "/admin/accounts/apitoken/",
        f"/admin/accounts/apitoken/{citizen.pk}/change/",
        f"/admin/accounts/apitoken/{citizen.pk}/history/",
        f"/admin/accounts/apitoken/{citizen.pk}/delete/",
        "/admin/",
    ):
        html = page(admin_client, url)
        assert key not in html, url
    assert f"{key[:8]}…" in page(admin_client, "/admin/accounts/apitoken/")


def test_the_admins_history_never_records_a_whole_key(admin_client, citizen):
    created = admin_client.post(
        "/admin/accounts/apitoken/add/", {"user": citizen.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    (key,) = [m.group(1) for message in created.context["messages"] if (m := NOTICE.fullmatch(str(message)))]
    admin_client.post(f"/admin/accounts/apitoken/{citizen.pk}/delete/", {"post": "yes"})
    assert not Token.objects.filter(user=citizen).exists()
    entries = list(LogEntry.objects.values_list("object_repr", "object_id", "change_message"))
    assert len(entries) == 2
    assert not [entry for entry in entries if any(key in str(part) for part in entry)]
    assert {repr_ for repr_, _id, _message in entries} == {f"{key[:8]}…"}


def test_tokens_made_elsewhere_are_listed_by_their_first_characters(admin_client, citizen, other_citizen):
    keys = [issue_token(user) for user in (citizen, other_citizen)]
    html = page(admin_client, "/admin/accounts/apitoken/")
    for key in keys:
        assert key not in html and f"{key[:8]}…" in html
    assert admin_client.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_the_user_picker_tells_namesakes_apart(admin_client, citizen):
    for email, department in (("rahmat@dlh.go.id", "dlh"), ("rahmat@pupr.go.id", "pupr")):
        namesake = make_staff(email, department)
        namesake.full_name = "Rahmat Hidayat"
        namesake.save(update_fields=["full_name"])
    issue_token(citizen)
    html = page(admin_client, "/admin/accounts/apitoken/add/")
    assert ">Rahmat Hidayat (rahmat@dlh.go.id) · DLH</option>" in html
    assert ">Rahmat Hidayat (rahmat@pupr.go.id) · Dinas PUPR</option>" in html
    assert citizen.email not in html  # has a token already
