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
    assert response.status_code == 403  # DRF: 403, not 401, while session authentication is listed first
    assert response.json()["errors"][0]["message"]
    assert not Ticket.objects.exists()


def test_a_deactivated_accounts_token_is_refused(city, citizen):
    token = Token.objects.create(user=citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    response = _client(token.key).get("/api/v1/tickets/?mine=true")
    assert response.status_code == 403  # DRF: 403, not 401, while session authentication is listed first
