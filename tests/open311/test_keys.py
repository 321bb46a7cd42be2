"""API keys: issued in the admin or by the management command, secret shown once, only a hash kept."""

import io

import pytest
from django.core.management import call_command

from open311.keys import key_from_secret
from open311.models import ApiKey

pytestmark = pytest.mark.django_db


def test_open311_key_command_prints_a_working_key(client, city):
    out = io.StringIO()
    call_command("open311_key", "Command centre", "--rate-limit", "50", stdout=out)
    raw = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert key.name == "Command centre" and key.rate_limit_per_hour == 50
    assert raw not in (key.key_hash, key.prefix) and key.key_hash == ApiKey.hash(raw)
    assert key_from_secret(raw) == key
    assert client.get("/open311/v2/services.json", {"api_key": raw}).status_code == 200


def test_administrator_issues_a_key_in_the_admin_and_sees_it_once(client, administrator):
    from django.contrib.auth.models import Permission

    administrator.user_permissions.add(*Permission.objects.filter(content_type__app_label="open311"))
    client.force_login(administrator)
    response = client.post(
        "/admin/open311/apikey/add/", {"name": "SP4N-LAPOR", "rate_limit_per_hour": 300, "active": "on"}, follow=True
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="SP4N-LAPOR")
    shown = [str(m) for m in response.context["messages"]]
    raw = next(word.rstrip(".") for m in shown for word in m.split() if word.startswith(key.prefix))
    assert key_from_secret(raw) == key
    page = client.get(f"/admin/open311/apikey/{key.pk}/change/").content.decode()
    assert raw not in page


def test_a_key_with_no_requests_per_hour_is_refused_with_a_reason(client, administrator):
    """A limit of 0 used to be saved, and the key then refused every request it made."""
    from django.contrib.auth.models import Permission
    from django.core.management.base import CommandError

    reason = (
        "A key needs at least 1 request per hour: with 0 it could not make any request. To stop a key, untick “active”."
    )
    administrator.user_permissions.add(*Permission.objects.filter(content_type__app_label="open311"))
    client.force_login(administrator)
    response = client.post(
        "/admin/open311/apikey/add/",
        {"name": "SP4N-LAPOR", "rate_limit_per_hour": 0, "active": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"rate_limit_per_hour": [reason]}
    with pytest.raises(CommandError, match="at least 1 request per hour"):
        call_command("open311_key", "SP4N-LAPOR", "--rate-limit", "0", stdout=io.StringIO())
    assert not ApiKey.objects.exists()
