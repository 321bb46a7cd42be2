"""Integrations authenticate with a token (accounts.api_auth): the right account, one query, refusals."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

FILING = {"title": "Lampu jalan mati", "description": "Sejak kemarin.", "area": "63.71.05.1003"}


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_files_as_its_own_account(city, citizen, other_citizen):
    Token.objects.create(user=other_citizen)
    token = Token.objects.create(user=citizen)
    response = _client(token.key).post("/api/v1/tickets/", FILING, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reporter"]["email"] == citizen.email


def test_the_token_costs_one_query(city, citizen, django_assert_num_queries):
    from accounts.api_auth import TokenAuthentication

    token = Token.objects.create(user=citizen)
    with django_assert_num_queries(1):
        user, auth = TokenAuthentication().authenticate_credentials(token.key)
    assert user == citizen and auth.key == token.key and auth.user_id == citizen.pk


def test_an_unknown_token_is_refused_and_files_nothing(city, citizen):
    from complaints.models import Ticket

    response = _client("0" * 40).post("/api/v1/tickets/", FILING, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"  # tells the integration what to send
    assert response.json()["errors"][0]["message"]
    assert not Ticket.objects.exists()


def test_a_deactivated_accounts_token_is_refused(city, citizen):
    token = Token.objects.create(user=citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    response = _client(token.key).get("/api/v1/tickets/?mine=true")
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
