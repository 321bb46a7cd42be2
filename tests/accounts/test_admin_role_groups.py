"""A city role's group keeps its name: the code finds the role's members by it (accounts.roles). An administrator
renamed ``planner`` to ``perencana`` ("no English leftovers") and every Bappeda planner got 403 on the plan and the
city dashboard. The group's page shows its name read-only with the role and what it may do, and refuses to delete
it (its delete page and the list's "Delete selected groups"); any other group stays editable and deletable."""

import html

import pytest
from django.contrib.auth.models import Group

from accounts.admin import ROLE_DUTIES
from accounts.roles import CITY_ROLES
from tests.conftest import make_city_role, make_user
from tests.planning.conftest import fiscal_year  # noqa: F401 - the planning board needs a fiscal year

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(city):
    """Only a superuser manages groups (the administrator role holds no permission on them)."""
    return make_user("root@banjarmasinkota.go.id", is_staff=True, is_superuser=True)


@pytest.fixture
def planner_group(city):
    return Group.objects.get(name="planner")


def _change_url(group) -> str:
    return f"/admin/auth/group/{group.pk}/change/"


def test_renaming_a_role_group_is_refused_and_the_role_still_works(client, superuser, planner_group, fiscal_year):  # noqa: F811
    planner = make_city_role("perencana@banjarmasinkota.go.id", "planner")
    client.force_login(superuser)
    page = html.unescape(client.get(_change_url(planner_group), HTTP_ACCEPT_LANGUAGE="id").content.decode())
    assert 'name="name"' not in page  # shown, not offered for editing
    assert "Perencana (Bappeda)" in page
    client.post(_change_url(planner_group), {"name": "perencana", "permissions": []})
    assert Group.objects.filter(pk=planner_group.pk, name="planner").exists()
    client.force_login(planner)
    assert client.get("/perencanaan/").status_code == 200
    assert client.get("/dasbor/kota/").status_code == 200


def test_the_role_groups_page_names_the_role_and_what_it_may_do(client, superuser, planner_group):
    client.force_login(superuser)
    page = html.unescape(client.get(_change_url(planner_group), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert (
        "Planner (Bappeda): Plans the city's development: Musrenbang reviews, proposals into the plan, indicators, "
        "progress and evaluation, the city dashboard. The portal finds the role's members by this group's name, so it "
        "cannot be renamed or deleted; add or remove people on their own pages."
    ) in page
    assert 'class="deletelink"' not in page


def test_every_role_says_what_it_may_do():
    assert set(ROLE_DUTIES) == set(CITY_ROLES)


def test_deleting_a_role_group_is_refused_on_its_delete_page_and_in_the_list(client, superuser, planner_group):
    planner = make_city_role("perencana@banjarmasinkota.go.id", "planner")
    client.force_login(superuser)
    client.cookies["django_language"] = "en"
    refused = [
        "The group planner is the role Planner (Bappeda): the portal finds its members by this name, so it stays."
    ]
    delete_url = f"/admin/auth/group/{planner_group.pk}/delete/"
    for answer in (client.get(delete_url, follow=True), client.post(delete_url, {"post": "yes"}, follow=True)):
        assert answer.redirect_chain == [(_change_url(planner_group), 302)]
        assert [str(message) for message in answer.context["messages"]] == refused
    selected = {"action": "delete_selected", "_selected_action": [planner_group.pk], "post": "yes"}
    answer = client.post("/admin/auth/group/", selected, follow=True)
    assert [str(message) for message in answer.context["messages"]] == refused
    assert Group.objects.filter(pk=planner_group.pk).exists()
    assert planner.groups.filter(name="planner").exists()


def test_another_group_is_renamed_and_deleted_as_before(client, superuser, city):
    flood_team = Group.objects.create(name="tim-banjir")
    client.force_login(superuser)
    assert 'name="name"' in client.get(_change_url(flood_team)).content.decode()
    client.post(_change_url(flood_team), {"name": "tim-banjir-2026", "permissions": []})
    flood_team.refresh_from_db()
    assert flood_team.name == "tim-banjir-2026"
    client.post("/admin/auth/group/", {"action": "delete_selected", "_selected_action": [flood_team.pk], "post": "yes"})
    assert not Group.objects.filter(pk=flood_team.pk).exists()
