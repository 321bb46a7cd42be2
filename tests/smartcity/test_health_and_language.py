"""/healthz tells a load balancer whether this machine can serve, monitoring what is down; the language switch."""

import pytest

pytestmark = pytest.mark.django_db

CLOSED_PORT_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def test_healthz_is_ok_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {"database", "cache", "broker", "routing"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_keeps_the_machine_in_service_while_redis_is_down(client, settings):
    """The pages and filing work without Redis: a load balancer must not take every web machine out."""
    settings.REDIS_URL = CLOSED_PORT_URL
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT_URL}
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["broker"]["ok"] is False
    assert client.get("/").status_code == 200


def test_strict_healthz_is_503_when_only_the_broker_is_down(client, settings):
    settings.REDIS_URL = CLOSED_PORT_URL
    response = client.get("/healthz?strict=1")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"]["ok"] is True
    assert response.json()["checks"]["broker"]["ok"] is False


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from smartcity import views

    def database_refuses():  # an outage stands in here: the test's own database stays up
        raise ConnectionRefusedError()

    monkeypatch.setattr(views, "_database", database_refuses)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == {"ok": False, "error": "ConnectionRefusedError"}


def test_healthz_tells_monitoring_when_reports_wait_unrouted(client, city):
    """A stopped worker leaves the database, cache and broker answering while reports pile up unrouted."""
    import datetime as dt

    from complaints.models import Status
    from tests.factories import make_ticket

    ticket = make_ticket(status=Status.SUBMITTED)
    assert client.get("/healthz?strict=1").json()["checks"]["routing"] == {
        "ok": True,
        "ms": pytest.approx(0, abs=500),
        "detail": "1 waiting",
    }
    Ticket = type(ticket)
    eleven_minutes_ago = ticket.created_at - dt.timedelta(minutes=11)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=eleven_minutes_ago, updated_at=eleven_minutes_ago)
    strict = client.get("/healthz?strict=1")
    assert strict.status_code == 503 and strict.json()["checks"]["routing"] == {"ok": False, "error": "RoutingStalled"}
    plain = client.get("/healthz")  # the pages still work: the load balancer keeps the machine
    assert plain.status_code == 200 and plain.json()["status"] == "degraded"
    # A report waiting for its filer's email confirmation is not waiting for routing; once confirmed, it waits
    # from the confirmation, not from the filing hours before.
    Ticket.objects.filter(pk=ticket.pk).update(email_confirmed=False)
    assert client.get("/healthz?strict=1").status_code == 200
    from complaints.actions import confirm_email

    confirm_email(token=ticket.confirmation_token)
    assert client.get("/healthz?strict=1").status_code == 200


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


def test_switching_language_on_a_refused_form_returns_to_the_page_it_was_sent_from(client, city, citizen):
    """A refused form answers at its own address, which takes only POST: the switch used to return there (a blank
    405). It returns to the page the form was sent from, in the new language."""
    import re

    from django.urls import reverse

    from complaints.models import Status
    from tests.factories import make_ticket

    ticket = make_ticket(reporter=citizen, status=Status.RESOLVED)
    page_url = reverse("complaints:ticket", args=[ticket.reference])
    client.force_login(citizen)
    refused = client.post(
        reverse("complaints:reopen", args=[ticket.reference]),
        {"reason": ""},
        HTTP_REFERER=f"http://testserver{page_url}",
    )
    assert refused.status_code == 400
    [next_url] = re.findall(r'name="next" type="hidden" value="([^"]*)"', refused.content.decode())
    assert next_url == page_url
    switched = client.post("/i18n/setlang/", {"language": "en", "next": next_url}, follow=True)
    assert switched.status_code == 200 and switched["Content-Language"] == "en"
    # Without a Referer of this site (stripped, or another site's), the home page.
    elsewhere = client.post(
        reverse("complaints:reopen", args=[ticket.reference]), {"reason": ""}, HTTP_REFERER="https://evil.example/x"
    )
    assert re.findall(r'name="next" type="hidden" value="([^"]*)"', elsewhere.content.decode()) == ["/"]
