"""/healthz tells a load balancer whether the database, cache and broker answer; the language switch works."""

import pytest

pytestmark = pytest.mark.django_db

CLOSED_PORT_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def test_healthz_is_ok_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {"database", "cache", "broker"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_cache_and_broker_are_unreachable(client, settings):
    settings.REDIS_URL = CLOSED_PORT_URL
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT_URL}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["broker"]["ok"] is False


def test_healthz_is_503_when_only_the_broker_is_down(client, settings):
    settings.REDIS_URL = CLOSED_PORT_URL
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is True
    assert response.json()["checks"]["broker"]["ok"] is False


def test_home_is_indonesian_until_the_visitor_switches_to_english(client):
    page = client.get("/")
    assert page["Content-Language"] == "id"
    assert '<html lang="id">' in page.content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    english = client.get("/")
    assert english["Content-Language"] == "en"
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert "Report a problem in Banjarmasin" in html
    assert 'value="en" class="btn btn-light"' in html  # the switcher shows English as the current language
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert client.get("/")["Content-Language"] == "id"
