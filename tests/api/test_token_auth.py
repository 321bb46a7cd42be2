"""Integrations authenticate with a token (accounts.api_auth): the right account, one query, refusals."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tokens import issue_token, stored_form

FILING = {"title": "Lampu jalan mati", "description": "Sejak kemarin.", "area": "63.71.05.1003"}


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_files_as_its_own_account(city, citizen, other_citizen):
    issue_token(other_citizen)
    key = issue_token(citizen)
    response = _client(key).post("/api/v1/tickets/", FILING, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reporter"]["email"] == citizen.email


def test_the_token_costs_one_query(city, citizen, django_assert_num_queries):
    from accounts.api_auth import TokenAuthentication

    key = issue_token(citizen)
    with django_assert_num_queries(1):
        user, auth = TokenAuthentication().authenticate_credentials(key)
    assert user == citizen and auth.key == stored_form(key) and auth.user_id == citizen.pk


def test_the_database_never_holds_a_key_only_its_first_characters_and_a_digest(city, citizen):
    """A backup or a developer's copy of the database does not let anyone call the API as an integration."""
    key = issue_token(citizen)
    (stored,) = Token.objects.filter(user=citizen).values_list("key", flat=True)
    assert stored != key and stored[:8] == key[:8] and key[8:] not in stored
    # The stored form itself is not a key: sent as one, it is refused.
    assert _client(stored).get("/api/v1/tickets/?mine=true").status_code == 401
    assert _client(key).get("/api/v1/tickets/?mine=true").status_code == 200
    # Issuing again replaces the old key.
    new_key = issue_token(citizen)
    assert _client(key).get("/api/v1/tickets/?mine=true").status_code == 401
    assert _client(new_key).get("/api/v1/tickets/?mine=true").status_code == 200


def test_an_unknown_token_is_refused_and_files_nothing(city, citizen):
    from complaints.models import Ticket

    response = _client("0" * 40).post("/api/v1/tickets/", FILING, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"  # tells the integration what to send
    assert response.json()["errors"][0]["message"]
    assert not Ticket.objects.exists()


def test_a_deactivated_accounts_token_is_refused(city, citizen):
    key = issue_token(citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    response = _client(key).get("/api/v1/tickets/?mine=true")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_filing_without_credentials_asks_for_them(city):
    response = APIClient().post("/api/v1/tickets/", FILING, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["errors"][0]["message"]


def test_a_signed_in_browser_still_files_with_its_session_and_needs_its_csrf_token(city, citizen):
    """Token first changes nothing for the browser: its session signs in, and without the CSRF token a write is
    refused (403), so another site cannot file in the citizen's name."""
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(citizen)
    refused = browser.post("/api/v1/tickets/", FILING, format="json")
    assert refused.status_code == 403
    browser.get("/")  # the page sets the CSRF cookie, as the portal's pages do
    token = browser.cookies["csrftoken"].value
    filed = browser.post("/api/v1/tickets/", FILING, format="json", HTTP_X_CSRFTOKEN=token)
    assert filed.status_code == 201, filed.content
    assert filed.json()["reporter"]["email"] == citizen.email


def test_keys_issued_before_the_upgrade_keep_working_once_the_migration_stored_their_digests(city, citizen):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0003_store_api_tokens_as_digests")
    old_key = "a" * 8 + "0123456789abcdef0123456789abcdef"  # as DRF stored it: the key itself
    Token.objects.create(user=citizen, key=old_key)
    migration.store_digests(apps, None)
    assert not Token.objects.filter(key=old_key).exists()
    assert _client(old_key).get("/api/v1/tickets/?mine=true").status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer {key}", "bearer {key}", "Basic dXNlcjpwYXNz", "Token{key}", "Token", "Token {key} extra", "{key}"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/tickets/?mine=true"), ("get", "/api/v1/services/"), ("post", "/api/v1/tickets/")],
)
def test_a_header_the_api_does_not_read_is_refused_on_every_method(city, citizen, header, method, path):
    """`Bearer <key>` on a GET ran as anonymous: mine=true answered 200 with no tickets, as if the citizen had
    filed none, while a POST was a 401."""
    from complaints.models import Ticket

    key = issue_token(citizen)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.format(key=key))
    response = getattr(client, method)(path, FILING, format="json") if method == "post" else client.get(path)
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["errors"][0]["message"]
    assert not Ticket.objects.exists()


def test_the_refusal_says_how_to_send_the_key(city, citizen):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}")
    response = client.get("/api/v1/tickets/?mine=true", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"] == [
        {"field": None, "message": "The API reads only Authorization: Token <key>; send the key that way."}
    ]


def test_a_browser_without_the_header_keeps_its_session(city, citizen):
    from tests.factories import make_ticket

    mine = make_ticket(reporter=citizen)
    browser = APIClient()
    browser.force_login(citizen)
    response = browser.get("/api/v1/tickets/?mine=true")
    assert response.status_code == 200
    assert [ticket["reference"] for ticket in response.json()["results"]] == [mine.reference]
