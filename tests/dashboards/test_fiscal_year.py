"""The plan's year on the dashboards: chosen in the filters, by default the year still being evaluated, named in the
headings, kept by the downloads and the cache; "You asked, we did" dates each activity by its completion."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from dashboards.queries import figures
from dashboards.queries import plan as plan_figures

from .conftest import RANGE, WITA

pytestmark = pytest.mark.django_db

JANUARY_2 = dt.datetime(2027, 1, 2, 9, 0, tzinfo=WITA)
TODAY = dt.datetime(2026, 12, 6, 10, 0, tzinfo=WITA)


@pytest.fixture
def next_year(plan):
    """2027's plan, approved and with nothing done yet, as it is on 2 January. The ``plan`` fixture's 2026 is
    executed until 31 Dec 2026 and evaluated from 1 Jan to 31 Mar 2027."""
    from planning.models import FiscalYear

    d = dt.date
    return FiscalYear.objects.create(
        year=2027,
        musrenbang_start=d(2026, 1, 2),
        musrenbang_end=d(2026, 3, 31),
        rkpd_by=d(2026, 6, 30),
        kuappas_start=d(2026, 7, 1),
        kuappas_end=d(2026, 8, 31),
        apbd_by=d(2026, 11, 30),
        execution_start=d(2027, 1, 1),
        execution_end=d(2027, 12, 31),
        evaluation_start=d(2028, 1, 1),
        evaluation_end=d(2028, 3, 31),
    )


@pytest.mark.parametrize(
    "today,shown",
    [
        (dt.date(2026, 12, 6), 2026),  # still executing 2026
        (dt.date(2027, 1, 2), 2026),  # 2026 being evaluated: the calendar year has changed, the work has not
        (dt.date(2027, 3, 31), 2026),  # the evaluation's last day
        (dt.date(2027, 4, 1), 2027),
    ],
)
def test_the_default_year_is_the_one_being_evaluated_else_the_current_one(plan, next_year, today, shown):
    assert plan_figures.default_fiscal_year(today).year == shown


def test_the_days_between_execution_and_evaluation_keep_the_year_just_ended(plan, next_year):
    """The demo's evaluation starts on 4 January: 2 January must not show an empty 2027 either."""
    plan["year"].evaluation_start = dt.date(2027, 1, 4)
    plan["year"].save()
    assert plan_figures.default_fiscal_year(dt.date(2027, 1, 2)).year == 2026


def test_on_2_january_the_pages_show_the_year_being_evaluated_and_offer_the_others(client, inspector, plan, next_year):
    cache.clear()
    with time_machine.travel(JANUARY_2, tick=False):
        html = client.get(reverse("dashboards:public"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "You asked, we did: fiscal year 2026" in html and "Kegiatan A2" in html
        assert "Activities 2026: budget, realisation and physical progress" in html
        # The choice: every year there is, newest first, the one shown selected.
        assert html.index('<option value="2027">2027</option>') < html.index('<option value="2026" selected>2026')
        # The downloads hold what the page shows, even though the year was not in its address.
        assert "you_asked_we_did.csv?tahun=2026" in html

        chosen = client.get(reverse("dashboards:public"), {"tahun": "2027"}, HTTP_ACCEPT_LANGUAGE="en")
        chosen = chosen.content.decode()  # a cached 2026 page would still name 2026: the year is in the cache key
        assert "You asked, we did: fiscal year 2027" in chosen and "Kegiatan A2" not in chosen
        assert '<option value="2027" selected>2027</option>' in chosen and "you_asked_we_did.csv?tahun=2027" in chosen

        # Refused dates fall back to the default window, not to another year.
        refused = client.get(
            reverse("dashboards:public"), {"tahun": "2027", "date_from": "kemarin"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert "You asked, we did: fiscal year 2027" in refused.content.decode()
        # The downloads carry the window the page shows (the default one), not the refused date as typed; the plan's
        # only its year, which is all that narrows it.
        link = refused.content.decode().split("weekly.csv?", 1)[1].split('"', 1)[0]
        assert "kemarin" not in link and "date_from=2026-07-05" in link
        assert "you_asked_we_did.csv?tahun=2027&amp;snapshot=" in refused.content.decode()

        client.force_login(inspector)
        city = client.get(reverse("dashboards:city"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        for heading in ("The 2026 plan by stage", "Budget absorption by department, 2026", "Evaluation grades, 2026"):
            assert heading in city
        assert "Complaints and 2026 spending per kecamatan" in city  # the map's title too
        department = client.get(
            reverse("dashboards:department"), {"department": "dlh"}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        assert "Overdue milestones, 2026" in department and "Indicator achievement, 2026" in department

        def csv_rows(**filters):
            url = reverse("dashboards:export", args=["public", "you_asked_we_did", "csv"])
            return list(csv.reader(io.StringIO(client.get(url, filters).content.decode())))

        assert [r[0] for r in csv_rows()[1:]] == ["Kegiatan A2"]
        assert csv_rows(tahun="2027")[1:] == []


@pytest.mark.parametrize("asked", ["2025", "abc"])
def test_a_year_without_a_plan_shows_the_default_year_and_every_link_says_so(client, plan, asked):
    """?tahun=2025 showed 2026 while the downloads kept tahun=2025 and the JSON answered "tahun": "2025". The page
    still shows the default year and names it; a file asked for that year is refused
    (``test_download_year_refused``)."""
    cache.clear()
    with time_machine.travel(TODAY, tick=False):
        response = client.get(
            reverse("dashboards:public"),
            {"tahun": asked, "kelurahan": "", "date_from": "2026-11-01"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        html = response.content.decode()
        assert "You asked, we did: fiscal year 2026" in html
        assert f"Fiscal year “{asked}” is not available; showing 2026." in html
        assert '<option value="2026" selected>2026</option>' in html
        assert "you_asked_we_did.csv?tahun=2026" in html
        assert f"csv?tahun={asked}" not in html and f"json?tahun={asked}" not in html  # only the page's own address
        # The other filters still apply: a year without a plan refuses only itself.
        assert response.context["window"].date_from == dt.date(2026, 11, 1)

        # The page's own files: the year shown, named (and no dates: they do not narrow the plan).
        link = html.split("you_asked_we_did.json?", 1)[1].split('"', 1)[0].replace("&amp;", "&")
        answer = client.get(f"{reverse('dashboards:export', args=['public', 'you_asked_we_did', 'json'])}?{link}")
        assert answer.json()["filters"] == {"tahun": "2026"}
        assert [row["activity"] for row in answer.json()["dataset"]["rows"]] == ["Kegiatan A2"]
        stem = r"public-you_asked_we_did-tahun-2026-\d{4}-\d\d-\d\d-\d{4}-WITA"  # then when it was computed
        assert re.fullmatch(f'attachment; filename="{stem}.json"', answer["Content-Disposition"])
        url = reverse("dashboards:export", args=["public", "you_asked_we_did", "csv"])
        assert re.fullmatch(f'attachment; filename="{stem}.csv"', client.get(url)["Content-Disposition"])


def test_without_a_plan_there_is_no_year_to_choose(client, dataset):
    assert 'name="tahun"' not in client.get(reverse("dashboards:public")).content.decode()


def test_you_asked_we_did_dates_each_activity_by_its_completion(client, plan):
    """The day the work was handed over (not the planned end date), in the page's language; ISO in the downloads."""
    a2 = plan["A2"]
    type(a2).objects.filter(pk=a2.pk).update(completed_on=dt.date(2026, 9, 1))
    (row,) = figures.public_dashboard(RANGE, now=TODAY)["tables"]["you_asked_we_did"].rows
    assert row["completed_on"] == dt.date(2026, 9, 1)  # planned to end 31 Dec 2026
    cache.clear()
    with time_machine.travel(TODAY, tick=False):
        html = client.get(reverse("dashboards:public"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
        table = html.split("Kegiatan A2</a></td>")[-1].split("</tr>", 1)[0]
        assert "<td>1 Sep 2026</td>" in table and "2026-" not in table
        url = reverse("dashboards:export", args=["public", "you_asked_we_did", "csv"])
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert rows[1][0] == "Kegiatan A2" and rows[1][-2] == "2026-09-01"  # the last column: when computed


def test_the_public_maps_popups_date_reports_like_every_other_date(client, dataset):
    """The popup read "2026-02-13" on the Indonesian page; the download keeps ISO."""
    import json

    cache.clear()
    filters = {"date_from": "2026-01-01", "date_to": "2026-03-06"}
    html = client.get(reverse("dashboards:public"), filters, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    points = json.loads(html.split('id="map-points" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert {p["filed"] for p in points if p["reference"] == dataset["T1"].reference} == {"13 Feb 2026"}
    url = reverse("dashboards:export", args=["public", "map", "json"])
    rows = client.get(url, filters).json()["dataset"]["rows"]
    assert {r["filed"] for r in rows if r["reference"] == dataset["T1"].reference} == {"2026-02-13"}


def test_work_closed_unfinished_before_any_budget_was_approved_is_not_published(plan):
    """A plan that never got a budget was no promise: closing its year unfinished does not put it on the public page,
    while unfinished work that had a budget stays there, with its stage."""
    from planning.models import Activity, BudgetLine

    BudgetLine.objects.filter(activity=plan["A3"]).delete()
    Activity.objects.filter(pk__in=[plan["A1"].pk, plan["A3"].pk]).update(stage="lapsed")
    cache.clear()
    rows = figures.public_dashboard(RANGE, now=TODAY)["tables"]["activities"].rows
    assert {row["code"] for row in rows} == {"A1", "A2"}
