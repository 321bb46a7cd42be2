"""Someone put in the administrator group without "Admin site access" is refused at /admin/: the refusal says what
is missing and who can fix it (it said only that the account "cannot use the administration pages", and README
step 7 named the groups alone)."""

import pytest

from tests.conftest import make_city_role

pytestmark = pytest.mark.django_db


def test_the_administrator_role_without_admin_site_access_is_told_what_to_ask_for(client, city):
    colleague = make_city_role("admin2@banjarmasinkota.go.id", "administrator")  # is_staff not ticked
    client.force_login(colleague)
    client.cookies["django_language"] = "en"
    refused = client.get("/admin/", follow=True)
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "No access to the administration" in page
    assert "a role group such as administrator is not enough without it" in page
    assert "Ask an administrator to tick Admin site access on your account" in page

    colleague.is_staff = True  # what the administrator ticks on the account's page
    colleague.save(update_fields=["is_staff"])
    admitted = client.get("/admin/")
    assert admitted.status_code == 200
    assert "/admin/services/dayoff/" in admitted.content.decode()  # the role's permissions, now usable
