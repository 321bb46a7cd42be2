"""The admin names a city role's group as the product does, in the page's language, beside the group's own name (which
the code reads, so it is never renamed): a user's groups picker, the same groups shown read-only to someone who may
view users but not change them, and the list of groups. They read "administrator", "planner", "finance"."""

import html
import re

import pytest
from django.contrib.auth.models import Group, Permission

from tests.conftest import make_city_role, make_user

pytestmark = pytest.mark.django_db

NAMES = {
    "id": {
        "planner": "Perencana (Bappeda) · planner",
        "administrator": "Administrator (Diskominfotik) · administrator",
    },
    "en": {"planner": "Planner (Bappeda) · planner", "administrator": "Administrator (Diskominfotik) · administrator"},
}
ROLE_COLUMN = {"id": "Perencana (Bappeda)", "en": "Planner (Bappeda)"}


def _page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_groups_picker_names_each_city_role(client, administrator, language):
    planner = make_city_role("perencana@banjarmasinkota.go.id", "planner")
    Group.objects.create(name="tim-banjir")
    client.force_login(administrator)
    page = _page(client, f"/admin/accounts/user/{planner.pk}/change/", language)
    (picker,) = re.findall(r'<select name="groups".*?</select>', page, re.S)
    labels = re.findall(r'<option value="\d+"(?: selected)?>(.*?)</option>', picker)
    assert NAMES[language]["administrator"] in labels
    assert "tim-banjir" in labels  # a group that is no role keeps its name
    assert re.findall(r'<option value="\d+" selected>(.*?)</option>', picker) == [NAMES[language]["planner"]]


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_users_groups_shown_read_only_are_named_as_the_picker_names_them(client, city, language):
    planner = make_city_role("perencana@banjarmasinkota.go.id", "planner")
    planner.groups.add(Group.objects.get(name="administrator"))
    viewer = make_user("pemeriksa@banjarmasinkota.go.id", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(content_type__app_label="accounts", codename="view_user"))
    client.force_login(viewer)
    page = _page(client, f"/admin/accounts/user/{planner.pk}/change/", language)
    assert 'name="groups"' not in page
    names = NAMES[language]
    assert f"{names['administrator']}<br>{names['planner']}" in page


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_list_of_groups_names_the_role_each_stands_for(client, city, language):
    viewer = make_user("pemeriksa@banjarmasinkota.go.id", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(content_type__app_label="auth", codename="view_group"))
    client.force_login(viewer)
    page = _page(client, "/admin/auth/group/", language)
    row = re.search(r"<tr>.*?>planner<.*?</tr>", page, re.S).group(0)
    assert ROLE_COLUMN[language] in row
