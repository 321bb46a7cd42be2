"""The department's actions on a ticket (complaints/actions/handling.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from complaints import actions
from complaints.models import Attachment, EventType, Notification, Status, Subscription, Ticket, TicketEvent
from services.calendar import add_working_days
from tests.conftest import make_staff, make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def event_types(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("type", flat=True))


def test_acknowledge_then_start_records_public_events_and_tells_the_citizen(dlh_ticket, staff_dlh):
    ticket = actions.acknowledge_ticket(ticket=dlh_ticket, actor=staff_dlh)
    assert ticket.status == Status.ACKNOWLEDGED and ticket.acknowledged_at is not None
    ticket = actions.start_work(ticket=ticket, actor=staff_dlh)
    assert ticket.status == Status.IN_PROGRESS
    events = TicketEvent.objects.filter(ticket=ticket, public=True)  # and the internal note that the officer took it
    assert [e.type for e in events] == [EventType.ACKNOWLEDGED, EventType.STARTED]
    assert all(e.public and e.actor == staff_dlh for e in events)
    # Verified, then work started: the citizen hears of both (the filing page promises an email at every step).
    told = Notification.objects.filter(ticket=ticket, email="warga@example.id").values_list("event__type", flat=True)
    assert sorted(told) == [EventType.ACKNOWLEDGED, EventType.STARTED]


def test_reply_with_canned_response_fills_in_the_tickets_fields(dlh_ticket, staff_dlh, canned_dlh):
    actions.reply_publicly(ticket=dlh_ticket, actor=staff_dlh, message="", canned_response=canned_dlh)
    event = TicketEvent.objects.get(ticket=dlh_ticket, type=EventType.REPLY)
    message = event.payload["message"]
    assert dlh_ticket.reference in message and "Mawar" in message and "DLH" in message
    assert dlh_ticket.service.name in message and "{" not in message
    assert event.public


def test_canned_response_of_another_department_is_refused(dlh_ticket, staff_dlh):
    from complaints.models import CannedResponse
    from services.models import Department

    other = CannedResponse.objects.create(department=Department.objects.get(code="pupr"), title="x", body="x")
    with pytest.raises(ValidationError):
        actions.reply_publicly(ticket=dlh_ticket, actor=staff_dlh, canned_response=other)
    assert not TicketEvent.objects.filter(ticket=dlh_ticket).exists()


def test_canned_response_cannot_reach_into_objects(dlh_ticket, staff_dlh, canned_dlh):
    canned_dlh.body = "{reference.__class__} {service} {unknown}"
    text = actions.render_canned_response(canned=canned_dlh, ticket=dlh_ticket)
    assert "class" not in text.replace("{reference.__class__}", "")
    assert "{unknown}" in text


def test_internal_note_is_never_public_nor_emailed(dlh_ticket, staff_dlh):
    actions.add_internal_note(ticket=dlh_ticket, actor=staff_dlh, message="Warga ini sering melapor.")
    event = TicketEvent.objects.get(ticket=dlh_ticket)
    assert event.type == EventType.NOTE and event.public is False
    assert not Notification.objects.filter(ticket=dlh_ticket).exists()


def test_assign_to_member_and_back_to_pool(dlh_ticket, staff_dlh, dlh_member):
    ticket = actions.assign_ticket(ticket=dlh_ticket, actor=staff_dlh, assignee=dlh_member)
    assert ticket.assignee == dlh_member
    ticket = actions.assign_ticket(ticket=ticket, actor=staff_dlh, assignee=None)
    assert ticket.assignee is None
    assert event_types(ticket) == [EventType.ASSIGNED, EventType.ASSIGNED]


def test_assignee_must_be_active_member_of_the_department(dlh_ticket, staff_dlh, staff_pupr):
    with pytest.raises(ValidationError) as error:
        actions.assign_ticket(ticket=dlh_ticket, actor=staff_dlh, assignee=staff_pupr)
    assert "assignee" in error.value.message_dict
    leaver = make_staff("pensiun.dlh@banjarmasinkota.go.id", "dlh")
    leaver.memberships.update(active=False)
    with pytest.raises(ValidationError):
        actions.assign_ticket(ticket=dlh_ticket, actor=staff_dlh, assignee=leaver)
    assert Ticket.objects.get(pk=dlh_ticket.pk).assignee is None


def test_set_priority_validates_choice(dlh_ticket, staff_dlh):
    ticket = actions.set_priority(ticket=dlh_ticket, actor=staff_dlh, priority=4)
    assert ticket.priority == 4
    with pytest.raises(ValidationError):
        actions.set_priority(ticket=ticket, actor=staff_dlh, priority=9)
    assert Ticket.objects.get(pk=ticket.pk).priority == 4


def test_resolve_sets_window_and_stores_photo_without_metadata(dlh_ticket, staff_dlh, photo):
    ticket = actions.resolve_ticket(ticket=dlh_ticket, actor=staff_dlh, note="Sudah diangkut.", photos=[photo])
    assert ticket.status == Status.RESOLVED
    assert ticket.close_window_ends_at == add_working_days(ticket.resolved_at, 10)
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.purpose == Attachment.Purpose.RESOLUTION and attachment.state == Attachment.State.READY
    event = TicketEvent.objects.get(ticket=ticket, type=EventType.RESOLVED)
    assert attachment.event == event and event.payload["note"] == "Sudah diangkut."
    with Image.open(attachment.image.path) as image:
        assert not image.getexif().get(0x8825)


def test_resolve_needs_a_note(dlh_ticket, staff_dlh):
    with pytest.raises(ValidationError) as error:
        actions.resolve_ticket(ticket=dlh_ticket, actor=staff_dlh, note="  ")
    assert "note" in error.value.message_dict
    assert Ticket.objects.get(pk=dlh_ticket.pk).status == Status.ROUTED
    assert not TicketEvent.objects.filter(ticket=dlh_ticket).exists()


def test_resolving_a_closed_ticket_is_refused_with_a_clear_message(citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen, status=Status.CLOSED)
    with pytest.raises(ValidationError) as error:
        actions.resolve_ticket(ticket=ticket, actor=staff_dlh, note="Selesai.")
    assert "closed" in str(error.value) and "Resolve" in str(error.value)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.resolved_at is None
    assert not TicketEvent.objects.filter(ticket=ticket).exists()


def test_reject_without_reason_is_refused_and_changes_nothing(dlh_ticket, staff_dlh):
    with pytest.raises(ValidationError) as error:
        actions.reject_ticket(ticket=dlh_ticket, actor=staff_dlh, reason="")
    assert error.value.message_dict == {"reason": ["Give the reason for rejecting it."]}
    assert Ticket.objects.get(pk=dlh_ticket.pk).status == Status.ROUTED
    assert not TicketEvent.objects.exists()


def test_reject_with_reason(dlh_ticket, staff_dlh):
    ticket = actions.reject_ticket(ticket=dlh_ticket, actor=staff_dlh, reason="Lokasi di luar kota.")
    assert ticket.status == Status.REJECTED
    assert TicketEvent.objects.get(ticket=ticket).payload == {"reason": "Lokasi di luar kota."}


def test_staff_of_another_department_may_not_act(dlh_ticket, staff_pupr):
    with pytest.raises(PermissionDenied):
        actions.acknowledge_ticket(ticket=dlh_ticket, actor=staff_pupr)
    with pytest.raises(PermissionDenied):
        actions.add_internal_note(ticket=dlh_ticket, actor=staff_pupr, message="x")


def test_inspector_sees_but_does_not_act(dlh_ticket, inspector):
    with pytest.raises(PermissionDenied):
        actions.reply_publicly(ticket=dlh_ticket, actor=inspector, message="Halo")


def test_only_head_reopens(dlh_ticket, staff_dlh, head_dlh):
    ticket = actions.resolve_ticket(ticket=dlh_ticket, actor=staff_dlh, note="Selesai.")
    with pytest.raises(PermissionDenied):
        actions.staff_reopen_ticket(ticket=ticket, actor=staff_dlh, reason="Belum beres.")
    with pytest.raises(ValidationError):
        actions.staff_reopen_ticket(ticket=ticket, actor=head_dlh, reason="")
    ticket = actions.staff_reopen_ticket(ticket=ticket, actor=head_dlh, reason="Belum beres.")
    assert ticket.status == Status.IN_PROGRESS and ticket.resolved_at is None and ticket.close_window_ends_at is None
    assert TicketEvent.objects.filter(ticket=ticket, type=EventType.REOPENED, public=True).count() == 1


def test_a_ticket_rejected_unverified_and_reopened_is_overdue_alike_in_the_queue_and_the_dashboards(
    dlh_ticket, staff_dlh, head_dlh, time_machine
):
    """Rejected straight from 'routed', reopened past its response due date: it counts as answered when it was
    rejected, so the dashboards' "overdue" (not verified in time) and the queue's (still 'routed') agree."""
    import datetime as dt

    from complaints import queries
    from dashboards.queries.tickets import overdue_condition

    rejected = actions.reject_ticket(ticket=dlh_ticket, actor=staff_dlh, reason="Bukan wewenang kami.")
    time_machine.move_to(rejected.response_due_at + dt.timedelta(days=1))
    ticket = actions.staff_reopen_ticket(ticket=rejected, actor=head_dlh, reason="Ternyata wewenang kami.")
    assert ticket.acknowledged_at == rejected.closed_at and ticket.closed_at is None
    in_dashboard = Ticket.objects.filter(overdue_condition(dt.datetime.now(dt.UTC)), pk=ticket.pk).exists()
    in_queue = queries.queue_tickets(head_dlh, overdue=True).filter(pk=ticket.pk).exists()
    assert in_dashboard is in_queue


def test_merge_moves_followers_and_supporters_and_tells_the_citizen(citizen, other_citizen, staff_dlh):
    original = make_ticket(reporter=make_user("pertama@example.id"), support_count=2)
    duplicate = make_ticket(reporter=citizen, support_count=1)
    Subscription.objects.create(ticket=duplicate, user=other_citizen, reason=Subscription.Reason.SUPPORTER)

    merged = actions.merge_ticket(ticket=duplicate, into=original, actor=staff_dlh)

    assert merged.status == Status.DUPLICATE and merged.duplicate_of == original
    original.refresh_from_db()
    assert original.support_count == 2 + 1 + 1
    followers = set(Subscription.objects.filter(ticket=original, active=True).values_list("user__email", flat=True))
    assert {"warga@example.id", "tetangga@example.id"} <= followers
    assert not Subscription.objects.filter(ticket=duplicate, active=True).exists()
    assert TicketEvent.objects.get(ticket=duplicate).type == EventType.MERGED
    assert TicketEvent.objects.get(ticket=original).type == EventType.MERGED_IN
    told = Notification.objects.filter(ticket=duplicate, event__type=EventType.MERGED)
    assert set(told.values_list("email", flat=True)) == {"warga@example.id", "tetangga@example.id"}


def test_merge_into_itself_or_a_closed_ticket_is_refused(dlh_ticket, staff_dlh, citizen):
    with pytest.raises(ValidationError):
        actions.merge_ticket(ticket=dlh_ticket, into=dlh_ticket, actor=staff_dlh)
    closed = make_ticket(status=Status.CLOSED)
    with pytest.raises(ValidationError):
        actions.merge_ticket(ticket=dlh_ticket, into=closed, actor=staff_dlh)
    assert Ticket.objects.get(pk=dlh_ticket.pk).status == Status.ROUTED


def test_merge_into_a_ticket_outside_the_users_scope_is_refused(dlh_ticket, staff_dlh):
    pupr_ticket = make_ticket(service="jalan-rusak")
    with pytest.raises(ValidationError):
        actions.merge_ticket(ticket=dlh_ticket, into=pupr_ticket, actor=staff_dlh)


def test_reassign_all_moves_open_tickets_never_deletes(staff_dlh, head_dlh, dlh_member, staff_pupr):
    open_one = make_ticket(assignee=staff_dlh)
    open_two = make_ticket(assignee=staff_dlh, status=Status.IN_PROGRESS)
    done = make_ticket(assignee=staff_dlh, status=Status.CLOSED)
    with pytest.raises(PermissionDenied):
        actions.reassign_all(from_user=staff_dlh, to_user=dlh_member, actor=staff_pupr)
    moved = actions.reassign_all(from_user=staff_dlh, to_user=dlh_member, actor=head_dlh)
    assert moved == 2
    assert set(Ticket.objects.filter(assignee=dlh_member)) == {open_one, open_two}
    assert Ticket.objects.get(pk=done.pk).assignee == staff_dlh  # history stays as it was
    assert Ticket.objects.count() == 3


def test_reassign_all_to_a_non_member_sends_to_the_pool(staff_dlh, administrator, staff_pupr):
    ticket = make_ticket(assignee=staff_dlh)
    actions.reassign_all(from_user=staff_dlh, to_user=staff_pupr, actor=administrator)
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_a_canned_reply_speaks_the_sites_language_whatever_the_officers_page_speaks(dlh_ticket, canned_dlh, settings):
    from django.utils import timezone, translation

    settings.LANGUAGE_CODE = "id"  # the city's (this folder's tests default to English)
    from django.utils.formats import date_format

    due = timezone.localtime(dlh_ticket.resolution_due_at)
    with translation.override("id"):
        service, month = dlh_ticket.service.name, date_format(due, "F")
    with translation.override("en"):  # an officer reading the English staff page
        text = actions.render_canned_response(canned=canned_dlh, ticket=dlh_ticket)
    assert service in text and f"{due.day} {month} {due.year}" in text
    assert due.strftime("%d-%m-%Y") not in text
