"""After logging in without a ``next``, department staff land on their queue and the city's planners, finance
officers and inspectors on the city dashboard; citizens on the home page, as before; a ``next`` always wins."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Kata-sandi-yang-panjang-1"


def log_in(client, user, next_url=None):
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    data = {"login": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_login"), data)


def test_department_staff_land_on_their_queue(client, city):
    response = log_in(client, make_staff("petugas.dlh@banjarmasinkota.go.id", "dlh"))
    assert response.status_code == 302 and response["Location"] == reverse("staff:queue")


def test_a_next_still_wins_for_staff(client, city):
    response = log_in(client, make_staff("petugas.dlh@banjarmasinkota.go.id", "dlh"), next_url="/dasbor/publik/")
    assert response["Location"] == "/dasbor/publik/"


def test_a_planner_lands_on_the_city_dashboard(client, city):
    planner = make_user("perencana@banjarmasinkota.go.id")
    planner.groups.add(Group.objects.get_or_create(name="planner")[0])
    response = log_in(client, planner)
    assert response["Location"] == reverse("dashboards:city")


def test_a_citizen_lands_on_the_home_page_as_before(client, city):
    response = log_in(client, make_user("warga@example.id"))
    assert response["Location"] == reverse("home")
