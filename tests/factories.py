"""Builders for test data that skip the filing flow (use the real actions when the flow itself is tested)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from complaints.models import Privacy, Status, Subscription, Ticket
from complaints.references import assign_reference
from services.models import Area, Department, Service

DEFAULT_KELURAHAN = "63.71.05.1003"  # Mawar, Banjarmasin Tengah


def make_ticket(
    *,
    service: str | Service = "sampah-menumpuk",
    kelurahan: str | Area | None = DEFAULT_KELURAHAN,
    status: str = Status.ROUTED,
    department: str | Department | None = None,
    reporter=None,
    privacy: str = Privacy.PUBLIC,
    title: str = "Sampah menumpuk di depan rumah",
    description: str = "Sudah tiga hari sampah tidak diangkut.",
    created_at: dt.datetime | None = None,
    **fields,
) -> Ticket:
    """A ticket in any state; routed-or-later tickets get the service's department and due dates unless given."""
    if isinstance(service, str):
        service = Service.objects.get(code=service)
    if isinstance(kelurahan, str):
        kelurahan = Area.objects.get(code=kelurahan)
    if isinstance(department, str):
        department = Department.objects.get(code=department)
    if department is None and status != Status.SUBMITTED and service is not None:
        department = service.default_department
    if kelurahan is not None:
        fields.setdefault("lat", kelurahan.label_lat)
        fields.setdefault("lng", kelurahan.label_lng)
    now = timezone.now()
    if status != Status.SUBMITTED:
        fields.setdefault("routed_at", now)
        fields.setdefault("response_due_at", now + dt.timedelta(days=3))
        fields.setdefault("resolution_due_at", now + dt.timedelta(days=7))
    ticket = Ticket.objects.create(
        service=service,
        kind=service.kind if service else "complaint",
        area=kelurahan,
        department=department,
        status=status,
        reporter=reporter,
        reporter_email=reporter.email if reporter else fields.pop("reporter_email", "pelapor@example.id"),
        reporter_name=reporter.full_name if reporter else fields.pop("reporter_name", "Pelapor"),
        privacy=privacy,
        title=title,
        description=description,
        priority=service.default_priority if service else 2,
        **fields,
    )
    if created_at is not None:
        Ticket.objects.filter(pk=ticket.pk).update(created_at=created_at)
        ticket.created_at = created_at
    assign_reference(ticket)
    if reporter is not None:
        Subscription.objects.create(ticket=ticket, user=reporter, reason=Subscription.Reason.REPORTER)
    return ticket
