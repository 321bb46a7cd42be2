"""The admin's permission pickers (a group's page, a user's page for a superuser): each permission once, named in the
page's language. DRF's token tables listed every token permission twice ("Auth Token | Token | Can add Token", from
DRF's Token and its admin proxy), beside Users and access › API token's own; and Django's four permissions of every
model read in English on Indonesian pages ("Can add ticket")."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext

from complaints.models import Ticket
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]*)</option>')


@pytest.fixture
def superuser_client(client, city):
    client.force_login(make_user("root@banjarmasinkota.go.id", is_staff=True, is_superuser=True))
    return client


def picker(client, url: str, name: str, language: str) -> dict[int, str]:
    """The picker's options as the page shows them, label by permission id; a label shown twice fails here."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    select = page[page.index(f'<select name="{name}"') :]
    select = select[: select.index("</select>")]
    labels = {int(value): html.unescape(label) for value, label in OPTION.findall(select)}
    assert labels and len(set(labels.values())) == len(labels), sorted(labels.values())
    return labels


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_permission_is_listed_once_and_tokens_as_api_tokens(superuser_client, language):
    labels = picker(superuser_client, "/admin/auth/group/add/", "permissions", language)
    token_labels = [label for label in labels.values() if "token" in label.lower()]
    with translation.override(language):
        api_token = f"{ContentType.objects.get(app_label='accounts', model='apitoken')} | "
    assert len(token_labels) == 4 and all(label.startswith(api_token) for label in token_labels), token_labels


@pytest.mark.parametrize(
    "page,name",
    [("/admin/auth/group/add/", "permissions"), ("/admin/accounts/user/{citizen}/change/", "user_permissions")],
)
def test_permissions_are_named_in_the_pages_language_and_stored_unchanged(superuser_client, citizen, page, name):
    add_ticket = Permission.objects.get(content_type__app_label="complaints", codename="add_ticket")
    custom = Permission.objects.create(
        content_type=add_ticket.content_type, codename="reopen_any_ticket", name="May reopen any ticket"
    )
    url = page.format(citizen=citizen.pk)
    for language in ("id", "en"):
        labels = picker(superuser_client, url, name, language)
        with translation.override(language):
            can_add = gettext("Can add %(model)s") % {"model": Ticket._meta.verbose_name}
            assert labels[add_ticket.pk] == f"{add_ticket.content_type} | {can_add}"
            assert labels[custom.pk] == f"{add_ticket.content_type} | May reopen any ticket"
    assert "tiket" in picker(superuser_client, url, name, "id")[add_ticket.pk].rpartition("|")[2]
    assert labels[add_ticket.pk] == "Tickets | ticket | Can add ticket"
    add_ticket.refresh_from_db()
    assert add_ticket.name == "Can add ticket"  # the table keeps Django's name
