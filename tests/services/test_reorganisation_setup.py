"""What a reorganisation's move leaves behind (found in the reorganisation walk, after "Move open reports to another
department"): the old department's canned responses and shared saved filters stayed with it, so the new department's
staff lost their ready-made replies and shared queue views; and the planning work (activities, proposals), which the
move rightly leaves alone, went unmentioned. The transfer page now offers to copy the replies and shared filters
(ticked for a merge, when all of a department's reports move) and its result names the planning work still with the
old department, linked to the planning admin's list of it; the deactivation warning's activity link lists only the
fiscal years still running, as its count does."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from complaints.actions.transfer import copy_department_setup, rewrite_department
from complaints.models import CannedResponse, SavedFilter
from complaints.queries import saved_filters_for
from services.models import Area, Department, Service
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

REASON = "Perwali No. 12 Tahun 2025 tentang SOTK Perangkat Daerah"
TRANSFER_URL = "/admin/services/department/transfer/"


@pytest.fixture
def disperkim(city):
    return Department.objects.create(
        code="disperkim",
        name="Dinas Perumahan dan Kawasan Permukiman",
        short_name="Disperkim",
        email="disperkim@banjarmasinkota.go.id",
    )


@pytest.fixture
def perkim_setup(city):
    """Perkim's replies and queue views: two canned responses, a shared filter on its own queue, a private one."""
    perkim = Department.objects.get(code="perkim")
    officer = make_staff("petugas.perkim@banjarmasinkota.go.id", "perkim")
    CannedResponse.objects.create(department=perkim, title="Survei lokasi", body="Tim {department} akan survei.")
    CannedResponse.objects.create(department=perkim, title="Diterima", body="Laporan {reference} diterima Perkim.")
    shared = SavedFilter.objects.create(
        owner=officer,
        department=perkim,
        name="RTLH terlambat",
        query=f"status=open&department={perkim.pk}&overdue=on",
        shared=True,
    )
    private = SavedFilter.objects.create(owner=officer, department=perkim, name="Punyaku", query="sort=due")
    return perkim, officer, shared, private


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_merge_copies_the_old_departments_canned_responses_and_shared_filters(admin_en, disperkim, perkim_setup):
    perkim, officer, shared, private = perkim_setup
    make_ticket(service="rumah-tidak-layak")
    # Disperkim already words its own acknowledgement: Perkim's is not copied over it.
    CannedResponse.objects.create(department=disperkim, title="diterima ", body="Laporan diterima Disperkim.")

    # All of Perkim's reports (no service chosen): a merge, so the copy is ticked, with what it would copy.
    page = admin_en.get(f"{TRANSFER_URL}?source={perkim.pk}").content.decode()
    assert re.search(r'<input type="checkbox" name="copy_setup"[^>]*checked', page)
    assert "Perkim has 2 canned responses and 1 shared saved filter." in page

    form = {"source": perkim.pk, "target": disperkim.pk, "reason": REASON, "copy_setup": "on", "move": "1"}
    shown = _messages(admin_en.post(TRANSFER_URL, form))
    assert "1 canned response of Perkim copied to Disperkim." in shown
    assert "1 canned response not copied: Disperkim already has one of the same title." in shown
    assert "1 shared saved filter of Perkim copied to Disperkim: its staff find it in their queue." in shown

    titles = dict(CannedResponse.objects.filter(department=disperkim).values_list("title", "body"))
    assert titles == {"diterima ": "Laporan diterima Disperkim.", "Survei lokasi": "Tim {department} akan survei."}
    # Copies: Perkim keeps its own.
    assert CannedResponse.objects.filter(department=perkim).count() == 2
    assert SavedFilter.objects.filter(pk__in=[shared.pk, private.pk], department=perkim).count() == 2
    (copy,) = SavedFilter.objects.filter(department=disperkim)
    assert (copy.name, copy.owner, copy.shared) == ("RTLH terlambat", officer, True)
    # The stored query filtered on Perkim's reports: the copy filters on Disperkim's, the rest as it was.
    assert parse_qs(copy.query) == {"status": ["open"], "department": [str(disperkim.pk)], "overdue": ["on"]}
    # Disperkim's staff see it among their queue's saved filters; the private one stayed private.
    colleague = make_staff("petugas.disperkim@banjarmasinkota.go.id", "disperkim")
    assert [saved.name for saved in saved_filters_for(colleague)] == ["RTLH terlambat"]


def test_moving_some_services_copies_nothing_unless_asked(admin_en, disperkim, perkim_setup):
    perkim = perkim_setup[0]
    houses = Service.objects.get(code="rumah-tidak-layak")
    make_ticket(service=houses)
    page = admin_en.get(f"{TRANSFER_URL}?source={perkim.pk}&service={houses.pk}").content.decode()
    assert re.search(r'<input type="checkbox" name="copy_setup"', page)
    assert not re.search(r'<input type="checkbox" name="copy_setup"[^>]*checked', page)
    form = {"source": perkim.pk, "services": [houses.pk], "target": disperkim.pk, "reason": REASON, "move": "1"}
    shown = _messages(admin_en.post(TRANSFER_URL, form))
    assert any("1 report moved from Perkim to Disperkim" in message for message in shown)
    assert not [message for message in shown if "copied" in message or "to copy" in message]
    assert not CannedResponse.objects.filter(department=disperkim).exists()
    assert not SavedFilter.objects.filter(department=disperkim).exists()


def test_copying_twice_copies_nothing_more(disperkim, perkim_setup):
    perkim = perkim_setup[0]
    first = copy_department_setup(source=perkim, target=disperkim)
    assert (first.canned, first.canned_skipped, first.filters) == (2, 0, 1)
    again = copy_department_setup(source=perkim, target=disperkim)
    assert (again.canned, again.canned_skipped, again.filters) == (0, 2, 0)
    assert CannedResponse.objects.filter(department=disperkim).count() == 2
    assert SavedFilter.objects.filter(department=disperkim).count() == 1


def test_a_department_without_replies_or_filters_says_so(admin_en, disperkim):
    pupr = Department.objects.get(code="pupr")
    make_ticket(service="jalan-rusak")
    form = {"source": pupr.pk, "target": disperkim.pk, "reason": REASON, "copy_setup": "on", "move": "1"}
    shown = _messages(admin_en.post(TRANSFER_URL, form))
    assert "Dinas PUPR had no canned response or shared saved filter to copy." in shown


def test_only_the_department_parameter_naming_the_old_department_is_rewritten(city):
    perkim, pupr, disperkim = (Department(pk=pk) for pk in (7, 8, 70))
    assert rewrite_department("status=open&q=jalan+7", source=perkim, target=disperkim) == "status=open&q=jalan+7"
    query = rewrite_department("department=7&department=8&service=7&page_size=50", source=perkim, target=disperkim)
    assert parse_qs(query) == {"department": ["70", "8"], "service": ["7"], "page_size": ["50"]}
    assert rewrite_department("department=8", source=perkim, target=disperkim) == "department=8"


def _fiscal_year(year: int):
    from planning.models import FiscalYear

    return FiscalYear.objects.create(
        year=year,
        musrenbang_start=dt.date(year - 1, 1, 6),
        musrenbang_end=dt.date(year - 1, 3, 31),
        rkpd_by=dt.date(year - 1, 6, 30),
        kuappas_start=dt.date(year - 1, 7, 1),
        kuappas_end=dt.date(year - 1, 8, 31),
        apbd_by=dt.date(year - 1, 11, 30),
        execution_start=dt.date(year, 1, 1),
        execution_end=dt.date(year, 12, 31),
        evaluation_start=dt.date(year + 1, 1, 1),
        evaluation_end=dt.date(year + 1, 3, 31),
    )


@pytest.fixture
def perkim_planning(city):
    """Perkim's planning work: an activity of next year (running), one of a year long ended, a proposal in review."""
    from planning.models import Activity, Proposal

    perkim = Department.objects.get(code="perkim")
    year = timezone.localdate().year
    running, ended = _fiscal_year(year + 1), _fiscal_year(year - 3)
    for fiscal_year, code, name in ((running, "1.04.01", "Bedah rumah Kuin"), (ended, "1.04.09", "Bedah rumah lama")):
        Activity.objects.create(
            fiscal_year=fiscal_year,
            code=code,
            name=name,
            department=perkim,
            start_date=dt.date(fiscal_year.year, 2, 1),
            end_date=dt.date(fiscal_year.year, 11, 30),
        )
    Proposal.objects.create(
        fiscal_year=running,
        source="department",
        title="Rehab RTLH",
        problem="Rumah tidak layak huni",
        area=Area.objects.get(code="63.71.05.1003"),
        department=perkim,
        estimated_cost=100_000_000,
    )
    return perkim, running


def test_the_transfer_result_links_to_the_planning_work_it_leaves(superuser_en, disperkim, perkim_planning):
    perkim, running = perkim_planning
    make_ticket(service="rumah-tidak-layak")
    form = {"source": perkim.pk, "target": disperkim.pk, "reason": REASON, "move": "1"}
    shown = _messages(superuser_en.post(TRANSFER_URL, form))
    (planning,) = [message for message in shown if "planning work" in message]
    assert "Perkim still has planning work" in planning and "Moving reports does not move it" in planning
    activities = f"/admin/planning/activity/?department__id__exact={perkim.pk}&amp;fiscal_year__id__in={running.pk}"
    assert f'<a href="{activities}">1 activity of a fiscal year still running</a>' in planning
    proposals = f"/admin/planning/proposal/?department__id__exact={perkim.pk}&amp;status__exact=in_review"
    assert f'<a href="{proposals}">1 proposal under review</a>' in planning
    # The link lists what the count counted: the running year's activity, not the ended year's.
    (href,) = re.findall(r'href="(/admin/planning/activity/[^"]+)"', planning)
    listing = superuser_en.get(href.replace("&amp;", "&"))
    assert listing.status_code == 200 and "?e=1" not in listing.get("Location", "")
    text = listing.content.decode()
    assert "Bedah rumah Kuin" in text and "Bedah rumah lama" not in text
    # Nothing of the planning moved.
    assert set(perkim.activities.values_list("department_id", flat=True)) == {perkim.pk}


def test_the_deactivation_warning_lists_only_the_running_years_activities(superuser_en, perkim_planning):
    perkim, running = perkim_planning
    response = superuser_en.post(
        "/admin/services/department/", {"action": "deactivate", "_selected_action": [perkim.pk], "confirmed": "yes"}
    )
    (planning,) = [message for message in _messages(response) if "planning work" in message]
    assert planning.count("still has planning work") == 1
    assert f"fiscal_year__id__in={running.pk}" in planning
    assert urlsplit(re.findall(r'href="([^"]+)"', planning)[0]).path == "/admin/planning/activity/"
