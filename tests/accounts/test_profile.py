"""A citizen's profile: the name a public report may show (never the email address), phone and emails' language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
PROFILE = "/akun/profil/"


@pytest.fixture
def nameless(city):
    """Signed up with an email address and a password only, as the sign-up form asks."""
    return make_user("budi.test@example.com", full_name=" ")


def _public_views(client, ticket) -> list[str]:
    client.logout()
    page = client.get(reverse("complaints:ticket", args=[ticket.reference])).content.decode()
    api = client.get(f"/api/v1/tickets/{ticket.reference}/").json()
    return [page, api["public_name"]]


def test_a_named_report_of_an_account_without_a_name_never_shows_its_email_address(client, nameless):
    nameless.full_name = ""
    nameless.save()
    ticket = make_ticket(reporter=nameless, show_name=True)
    page, public_name = _public_views(client, ticket)
    assert "budi.test@example.com" not in page and "budi.test" not in page
    assert public_name == ""
    assert "Seorang warga" in page or "A resident" in page


def test_the_profile_names_the_citizen_on_reports_that_show_their_name(client, nameless):
    assert client.get(PROFILE).status_code == 302  # signed-in users only
    client.force_login(nameless)
    page = client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{PROFILE}"' in page  # the address in the navigation bar leads here
    response = client.post(PROFILE, {"full_name": "  Budi   Santoso ", "phone": "0812 3456 7890", "language": "en"})
    assert response.status_code == 302
    nameless.refresh_from_db()
    assert (nameless.full_name, nameless.phone, nameless.language) == ("Budi Santoso", "0812 3456 7890", "en")
    shown = make_ticket(reporter=nameless, show_name=True)
    hidden = make_ticket(reporter=nameless, show_name=False)
    assert _public_views(client, shown)[1] == "Budi Santoso"
    assert _public_views(client, hidden)[1] == ""


def test_a_refused_profile_keeps_what_was_typed_and_says_why(client, nameless):
    client.force_login(nameless)
    response = client.post(
        PROFILE, {"full_name": "Budi Santoso", "phone": "telepon saya", "language": "id"}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Budi Santoso"' in page and 'value="telepon saya"' in page
    assert "0812 3456 7890" in page  # the example in the message
    nameless.refresh_from_db()
    assert nameless.full_name == " " and nameless.phone == ""
