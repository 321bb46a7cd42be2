"""Permissions a page shows read-only (a user's own permissions to an administrator who is not a superuser, a group's to
someone who may view groups but not change them) are named as the pickers name them: in the page's language, each
once, none of DRF's token tables. Django's read-only display listed ``str(permission)``: "Tickets | ticket | Can add
ticket" on Indonesian pages, and DRF's "Auth Token | Token | Can add Token" twice."""

import html
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation

from accounts.admin import permission_label
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

READ_ONLY = re.compile(r'<div class="readonly">(.*?)</div>', re.S)


def read_only_lines(client, url: str, language: str, field: str) -> list[str]:
    """The lines of the page's read-only permission list, as a reader sees them; the page has no picker ``field``."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="{field}"' not in page
    blocks = [html.unescape(block) for block in READ_ONLY.findall(page) if " | " in block]
    assert len(blocks) == 1, blocks
    return [line.strip() for line in re.split(r"<br>|, ", blocks[0]) if line.strip()]


@pytest.fixture
def held():
    """A ticket permission, a permission a model declares itself, and DRF's token permissions (from Token and from
    its admin proxy, which both read "Auth Token | Token | Can add Token")."""
    add_ticket = Permission.objects.get(content_type__app_label="complaints", codename="add_ticket")
    custom = Permission.objects.create(
        content_type=add_ticket.content_type, codename="reopen_any_ticket", name="May reopen any ticket"
    )
    tokens = list(
        Permission.objects.filter(content_type__app_label="authtoken", codename__in=["add_token", "add_tokenproxy"])
    )
    assert len(tokens) == 2
    return [add_ticket, custom, *tokens]


def expected(permissions, language: str) -> list[str]:
    with translation.override(language):
        return [permission_label(permission) for permission in permissions]


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_administrator_reads_a_users_own_permissions_as_the_picker_names_them(
    client, administrator, citizen, held, language
):
    citizen.user_permissions.set(held)
    client.force_login(administrator)
    lines = read_only_lines(client, f"/admin/accounts/user/{citizen.pk}/change/", language, "user_permissions")
    assert lines == expected(held[:2], language)
    if language == "id":
        assert "tiket" in lines[0].rpartition("|")[2] and "Can add" not in lines[0]


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_group_viewed_without_the_right_to_change_it_lists_its_permissions_as_the_picker(
    client, city, held, language
):
    group = Group.objects.create(name="pengawas")
    group.permissions.set(held)
    viewer = make_user("pemeriksa@banjarmasinkota.go.id", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(content_type__app_label="auth", codename="view_group"))
    client.force_login(viewer)
    lines = read_only_lines(client, f"/admin/auth/group/{group.pk}/change/", language, "permissions")
    assert lines == expected(held[:2], language)
