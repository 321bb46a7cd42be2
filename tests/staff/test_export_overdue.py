"""The export's "Overdue" column follows the queue's rule (complaints.queries.missed_deadlines), in words."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_the_export_of_overdue_only_marks_every_row_overdue(client, staff_dlh):
    now = timezone.now()
    unverified = make_ticket(response_due_at=now - dt.timedelta(hours=1))  # routed, nobody verified it in time
    late = make_ticket(status=Status.IN_PROGRESS, resolution_due_at=now - dt.timedelta(hours=1))
    on_time = make_ticket(status=Status.ACKNOWLEDGED, response_due_at=now - dt.timedelta(hours=1))
    client.force_login(staff_dlh)
    response = client.get("/staf/antrian/ekspor/?format=csv&status=all", HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    marked = {row["Reference"]: row["Overdue"] for row in rows}
    assert marked == {unverified.reference: "Yes", late.reference: "Yes", on_time.reference: "No"}
    overdue_only = client.get("/staf/antrian/ekspor/?format=csv&overdue=1", HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.DictReader(io.StringIO(overdue_only.content.decode("utf-8-sig"))))
    assert sorted(row["Reference"] for row in rows) == sorted([unverified.reference, late.reference])
    assert all(row["Overdue"] == "Yes" for row in rows)
