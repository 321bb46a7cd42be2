"""An export file holds the owner's queue of the moment it was built: its owner downloads it only while they still see
all of it (the same departments, the same city-wide role), not after moving to another department."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from complaints import exports
from complaints.models import ExportJob
from complaints.tasks import build_export
from services.models import Department, StaffMembership
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def built_export(client, monkeypatch):
    """Log ``user`` in, ask for an export too large to send at once, and build it."""

    def build(user) -> ExportJob:
        monkeypatch.setattr(exports, "INLINE_LIMIT", 1)
        make_ticket(), make_ticket()
        client.force_login(user)
        assert client.get("/staf/antrian/ekspor/?format=csv").status_code == 302
        job = ExportJob.objects.get(owner=user)
        if job.state != ExportJob.State.READY:  # with Redis the task is queued, not run
            build_export(job.pk)
            job.refresh_from_db()
        assert job.state == ExportJob.State.READY
        return job

    return build


def download(client, job):
    return client.get(f"/staf/antrian/ekspor/{job.pk}/unduh/")


def test_an_owner_moved_to_another_department_no_longer_downloads_the_old_ones_export(client, staff_dlh, built_export):
    job = built_export(staff_dlh)
    dlh, pupr = Department.objects.get(code="dlh"), Department.objects.get(code="pupr")
    assert job.scope == {"roles": [], "departments": [dlh.pk]}
    assert download(client, job).status_code == 200

    StaffMembership.objects.create(user=staff_dlh, department=pupr)  # a second department: still sees DLH's
    assert download(client, job).status_code == 200

    StaffMembership.objects.filter(user=staff_dlh, department=dlh).update(active=False)  # moved to PUPR
    refused = download(client, job)
    assert refused.status_code == 403
    assert "reports of a department or role you no longer have" in refused.content.decode()
    # The status page still opens (it shows no ticket); a new export holds what they see now.
    assert client.get(f"/staf/antrian/ekspor/{job.pk}/").status_code == 200


def test_an_inspector_who_leaves_the_inspectorate_no_longer_downloads_a_city_wide_export(
    client, inspector, built_export
):
    job = built_export(inspector)
    assert job.scope["roles"] == ["inspector"]
    assert download(client, job).status_code == 200
    inspector.groups.remove(Group.objects.get(name="inspector"))
    StaffMembership.objects.create(user=inspector, department=Department.objects.get(code="dlh"))
    assert download(client, job).status_code == 403


def test_an_export_built_before_scopes_were_recorded_is_refused(client, staff_dlh, built_export):
    job = built_export(staff_dlh)
    ExportJob.objects.filter(pk=job.pk).update(scope={})
    assert download(client, job).status_code == 403


def test_scope_rules():
    dlh, pupr = 1, 2
    staff = {"roles": [], "departments": [dlh]}
    cases = [
        # (built with, now, may download)
        (staff, {"roles": [], "departments": [dlh, pupr]}, True),
        (staff, {"roles": [], "departments": [pupr]}, False),
        (staff, {"roles": ["inspector"], "departments": []}, True),
        ({"roles": ["administrator"], "departments": []}, {"roles": ["administrator"], "departments": []}, True),
        ({"roles": ["administrator"], "departments": []}, {"roles": [], "departments": [dlh]}, False),
        ({"roles": ["administrator"], "departments": [dlh]}, {"roles": ["administrator"], "departments": []}, False),
        ({"roles": ["inspector"], "departments": []}, {"roles": ["administrator"], "departments": [dlh]}, False),
    ]
    for then, now, allowed in cases:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(exports, "staff_scope", lambda user, now=now: now)
            assert exports.may_download(object(), ExportJob(scope=then)) is allowed, (then, now)
