"""Finding one's way: the staff menu offers each user the pages they may open, and only those; a section typed
without its page leads to its main page."""

import re

import pytest

from tests.planning.conftest import fiscal_year  # noqa: F401 - the planning board needs a fiscal year

pytestmark = pytest.mark.django_db

STAFF_PAGES = {
    "/staf/antrian/": "queue",
    "/dasbor/dinas/": "department",
    "/dasbor/kota/": "city",
    "/perencanaan/": "plan",
}


def _menu(client) -> set[str]:
    html = client.get("/").content.decode()
    dropdown = re.search(r'<ul class="dropdown-menu">(.*?)</ul>', html, re.S)
    if dropdown is None:
        return set()
    return {STAFF_PAGES[href] for href in re.findall(r'href="([^"]+)"', dropdown.group(1)) if href in STAFF_PAGES}


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("citizen", set()),
        ("staff_dlh", {"queue", "department", "plan"}),
        ("head_dlh", {"queue", "department", "plan"}),
        ("planner", {"department", "city", "plan"}),
        ("inspector", {"queue", "department", "city", "plan"}),
        ("finance", {"city", "plan"}),
    ],
)
def test_the_menu_offers_what_the_user_may_open(client, request, fiscal_year, who, offered):  # noqa: F811
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert _menu(client) == offered
    for href, page in STAFF_PAGES.items():
        status = client.get(href).status_code
        if page in offered:
            assert status == 200, (who, href)
        else:
            assert status in (403, 302), (who, href)  # refused, or sent to log in


@pytest.mark.parametrize(("typed", "lands_on"), [("/dasbor/", "/dasbor/publik/"), ("/staf/", "/staf/antrian/")])
def test_a_section_typed_without_its_page_leads_to_its_main_page(client, typed, lands_on):
    answer = client.get(typed)
    assert answer.status_code == 302 and answer["Location"] == lands_on


@pytest.mark.django_db
def test_pages_name_an_icon_that_exists(client):
    from django.contrib.staticfiles import finders

    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', client.get("/").content.decode()).group(1)
    assert finders.find(icon)
    assert client.get("/favicon.ico")["Location"] == f"/static/{icon}"
