"""Behind the README's nginx every filing comes from 127.0.0.1: the web filing limit counts each citizen by the
address the proxy forwards (smartcity/client_ip.py), not the whole city at once."""

import pytest

from complaints.models import Ticket

from .test_filing_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_filing_an_hour(settings, city):
    from services.models import Service

    settings.FILING_RATE_LIMIT = "1/h"
    settings.FILING_IP_RATE_LIMIT = "1/h"
    settings.MAX_PENDING_UNCONFIRMED_PER_EMAIL = 100
    return Service.objects.get(code="sampah-menumpuk")


def file_from(client, service, pin, email, forwarded, title="Sampah menumpuk di gang") -> int:
    data = form_data(service, pin, reporter_email=email, title=title)
    return client.post("/lapor/", data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code


def test_two_citizens_behind_one_proxy_each_file(client, settings, one_filing_an_hour, pin):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert file_from(client, one_filing_an_hour, pin, "satu@example.id", "203.0.113.7") == 302
    assert file_from(client, one_filing_an_hour, pin, "dua@example.id", "203.0.113.8") == 302
    # Another report (the same one again would fold onto the first without counting).
    assert file_from(client, one_filing_an_hour, pin, "satu@example.id", "203.0.113.7", title="Got mampet") == 429
    assert Ticket.objects.count() == 2


def test_a_forged_header_is_ignored_without_a_trusted_proxy(client, settings, one_filing_an_hour, pin):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert file_from(client, one_filing_an_hour, pin, "satu@example.id", "203.0.113.7") == 302
    assert file_from(client, one_filing_an_hour, pin, "dua@example.id", "203.0.113.8") == 429
    assert Ticket.objects.count() == 1
