"""The built-in calendar (national holidays and cuti bersama, services/calendar.py) can be read in the admin: README
step 8 says to check each year's SKB against it, but "Days off and working days" lists only the administrator's
entries. A page linked from that list shows a year's built-in dates, each with its name and the entry that
overrides it, to whoever may view days off."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.utils import timezone

from services.calendar import WITA
from services.models import DayOff
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/admin/services/dayoff/built-in/"


@pytest.fixture(autouse=True)
def in_2026():
    with time_machine.travel(dt.datetime(2026, 12, 9, 10, 0, tzinfo=WITA), tick=False):
        yield


def row_of(page: str, date_text: str) -> str:
    """The table row whose date cell shows ``date_text``, tags removed, spaces collapsed."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        if date_text in text:
            return text
    raise AssertionError(f"no row for {date_text}")


def test_the_days_off_list_links_to_the_built_in_calendar_of_its_year(admin_en):
    page = admin_en.get("/admin/services/dayoff/").content.decode()
    assert f'href="{URL}?year=2026"' in page
    assert "Built-in calendar for 2026" in page
    # Narrowed to a year by its date hierarchy, the list links to that year's.
    assert f'href="{URL}?year=2027"' in admin_en.get("/admin/services/dayoff/?date__year=2027").content.decode()


def test_each_built_in_date_is_listed_with_its_name_and_the_entry_that_overrides_it(admin_en):
    cancelled = DayOff.objects.create(
        date=dt.date(2026, 12, 24), kind=DayOff.Kind.WORKING_DAY, name="Cuti bersama dibatalkan SKB"
    )
    DayOff.objects.create(date=dt.date(2026, 9, 24), name="Hari jadi kota")  # a local day: not built in
    response = admin_en.get(URL, {"year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Built-in calendar for 2026</h1>" in page
    assert row_of(page, "17 Aug 2026") == "Monday, 17 Aug 2026 Independence Day – Closed: day off"
    assert row_of(page, "24 Dec 2026") == (
        "Thursday, 24 Dec 2026 Christmas Joint Holiday Working day: Cuti bersama dibatalkan SKB "
        "Open: made a working day in the admin"
    )
    assert f'href="/admin/services/dayoff/{cancelled.pk}/change/"' in page
    assert row_of(page, "21 Mar 2026") == "Saturday, 21 Mar 2026 Eid al-Fitr – Closed: weekend"
    assert "Hari jadi kota" not in page
    assert "All your entries for 2026 (1 on a date not listed above)" in page
    table = page[page.index('<table id="built-in-days">') :]
    assert table[: table.index("</table>")].count("<tr>") == 1 + 25  # the header and 2026's 25 built-in dates


def test_another_year_is_chosen_in_the_query_string(admin_en):
    page = admin_en.get(URL, {"year": "2027"}).content.decode()
    assert "Built-in calendar for 2027" in page
    assert "1 Jan 2027" in page and "2026" not in row_of(page, "New Year")
    assert 'href="?year=2026" rel="prev"' in page and 'href="?year=2028" rel="next"' in page
    # Not a year the calendar covers: this year's, and the page says so (it showed 2026 silently).
    this_year = timezone.localdate().year
    page = admin_en.get(URL, {"year": "20x6"}).content.decode()
    assert f"Built-in calendar for {this_year}" in page
    assert f"There is no calendar for “20x6”: this is {this_year}. Type a year from 1946 to 2100." in page
    assert "There is no calendar" not in admin_en.get(URL, {"year": "2026"}).content.decode()


def test_the_names_follow_the_admin_language(client, administrator):
    client.force_login(administrator)  # the admin in Indonesian, the portal's default
    page = client.get(URL, {"year": "2026"}).content.decode()
    assert "Hari Raya Natal" in page
    assert "Hari Kemerdekaan Republik Indonesia" in page


def test_only_who_may_view_days_off_opens_it(client, city):
    client.force_login(make_user("staf.admin@banjarmasinkota.go.id", is_staff=True))  # admin access, no permission
    assert client.get(URL).status_code == 403
    client.force_login(make_user("warga.lain@example.id"))
    assert client.get(URL).status_code == 302  # to the sign-in
