"""A dashboard download agrees with the page it is downloaded from (an Inspektorat auditor's finding): right after an
escalation sweep escalations.csv listed every department at level 1 while the city page's list of escalated tickets
already showed level 2. The list was read live and the escalations table from the page's five-minute cache; and a
file was read from the cache again when downloaded, so a file saved minutes after the page could hold other figures.
Now the escalations are counted live with the list, and the page's download links name its snapshot
(``?snapshot=``): the file holds the figures the page showed while they are kept (an hour), then those of now, and
says when either was computed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Status, Ticket

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06"}


@pytest.fixture
def escalated(dataset):
    """DLH's T11 and PUPR's P2 told the head (level 1)."""
    Ticket.objects.filter(pk__in=[dataset["T11"].pk, dataset["P2"].pk]).update(escalation_level=1)
    return dataset


def _city(client):
    response = client.get(reverse("dashboards:city"), FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def _levels(rows) -> set:
    return {(row["department_code"], row["level"], row["n"]) for row in rows}


def test_right_after_a_sweep_the_escalations_count_what_the_list_beside_them_shows(client, inspector, escalated):
    client.force_login(inspector)
    with time_machine.travel(NOW, tick=False):
        before = _city(client)  # the page's other figures are now cached for five minutes
        assert _levels(before.context["tables"]["escalations"].rows) == {("dlh", 1, 1), ("pupr", 1, 1)}
    Ticket.objects.filter(pk=escalated["T11"].pk).update(escalation_level=2)  # the sweep, a minute later
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        after = _city(client)
        listed = {(ticket.department.code, ticket.escalation_level) for ticket in after.context["escalated_tickets"]}
        assert listed == {("dlh", 2), ("pupr", 1)}
        assert _levels(after.context["tables"]["escalations"].rows) == {("dlh", 2, 1), ("pupr", 1, 1)}
        # Its file, from the page's link, too: the table and the chart say when they were counted.
        links = after.context["downloads"]["escalations"]
        assert "snapshot=" in links["csv"]
        escalations = client.get(links["json"], HTTP_ACCEPT_LANGUAGE="en").json()
        assert _levels(escalations["dataset"]["rows"]) == {("dlh", 2, 1), ("pupr", 1, 1)}
        assert escalations["computed_at"] == "2026-03-06T12:01:00+08:00"
        assert escalations["dataset"]["note"].startswith("Counted when the page was opened")
        csv_file = client.get(links["csv"], HTTP_ACCEPT_LANGUAGE="en")
        assert csv_file["Content-Disposition"].endswith('-2026-03-06-1201-WITA.csv"')


def test_a_download_holds_the_figures_its_page_showed_while_they_are_kept(client, inspector, escalated):
    client.force_login(inspector)
    with time_machine.travel(NOW, tick=False):
        page = _city(client)
    links = page.context["downloads"]
    shown_open = next(row["open"] for row in page.context["tables"]["departments"].rows if row["code"] == "dlh")
    # Later, DLH resolves T4 and the sweep tells the inspectorate of T11.
    Ticket.objects.filter(pk=escalated["T4"].pk).update(status=Status.CLOSED)
    Ticket.objects.filter(pk=escalated["T11"].pk).update(escalation_level=2)

    def dlh_open(answer) -> int:
        return next(row["open"] for row in answer.json()["dataset"]["rows"] if row["code"] == "dlh")

    bare = reverse("dashboards:export", args=["city", "departments", "json"])
    # Ten minutes on: the page's cache has expired, its snapshot is kept.
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        kept = client.get(links["departments"]["json"], HTTP_ACCEPT_LANGUAGE="en")
        assert dlh_open(kept) == shown_open and kept.json()["computed_at"] == "2026-03-06T12:00:00+08:00"
        escalations = client.get(links["escalations"]["json"], HTTP_ACCEPT_LANGUAGE="en").json()
        assert _levels(escalations["dataset"]["rows"]) == {("dlh", 1, 1), ("pupr", 1, 1)}  # as the page showed
        csv_file = client.get(links["departments"]["csv"], HTTP_ACCEPT_LANGUAGE="en")
        assert csv_file["Content-Disposition"].endswith('-2026-03-06-1200-WITA.csv"')
        assert csv_file.content.decode("utf-8-sig").splitlines()[1].endswith(",2026-03-06 12:00")
        # Without the page's snapshot (an open-data script): the figures of now, which say so.
        now = client.get(bare, FILTERS, HTTP_ACCEPT_LANGUAGE="en")
        assert dlh_open(now) == shown_open - 1 and now.json()["computed_at"] == "2026-03-06T12:10:00+08:00"
    # After an hour and more the snapshot is no longer kept: the link gives the figures of then, dated.
    with time_machine.travel(NOW + dt.timedelta(minutes=70), tick=False):
        late = client.get(links["departments"]["json"], HTTP_ACCEPT_LANGUAGE="en")
        assert dlh_open(late) == shown_open - 1 and late.json()["computed_at"] == "2026-03-06T13:10:00+08:00"
        assert late["Content-Disposition"].endswith('-2026-03-06-1310-WITA.json"')


def test_a_snapshot_that_is_no_number_is_ignored(client, dataset):
    with time_machine.travel(NOW, tick=False):
        url = reverse("dashboards:export", args=["public", "summary", "csv"])
        answer = client.get(url, {**FILTERS, "snapshot": "../x-y"})
    assert answer.status_code == 200


def test_figures_kept_by_the_version_before_an_upgrade_are_computed_again(client, dataset):
    """The figures are now kept pickled once for the page's cache and its snapshot; an entry the version before kept
    as it was (a tuple of tables and time) is read as a miss, so the page after an upgrade shows its figures, not an
    error or nothing."""
    from django.core.cache import cache
    from django.utils import timezone

    from dashboards.forms import FilterForm
    from dashboards.queries.base import _full_key

    with time_machine.travel(NOW, tick=False):
        form = FilterForm(FILTERS)
        assert form.is_valid()
        cache.set(_full_key(f"public:{form.filters().cache_key()}"), ({"tables": {}}, timezone.now()), 300)
        page = client.get(reverse("dashboards:public"), FILTERS)
    assert page.status_code == 200
    assert {"summary", "kelurahan", "departments"} <= page.context["tables"].keys()
