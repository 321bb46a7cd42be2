"""Merging reports never widens who sees one: followers of a public report merged into a confidential one do not
follow it (no page, no emails), and the public report's page, timeline and feeds do not name it; a confidential
report merged into a public one stays confidential (its text, reporter and reference are nowhere public)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from complaints import actions
from complaints.events import record_event
from complaints.models import EventType, Notification, Privacy, Status, Subscription, Ticket
from complaints.queries import my_tickets, tickets_visible_to
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Pungli petugas angkut sampah"
SECRET_TEXT = "Petugas meminta Rp 50.000 per rumah setiap bulan."
GUEST_SUPPORTER = "tetangga.tamu@example.id"


@pytest.fixture
def reporter_of_secret(city):
    return make_user("pelapor.rahasia@example.id", full_name="Rahmat Pelapor")


@pytest.fixture
def public_report(citizen, other_citizen):
    """A public DLH report with two "me too"s: a citizen with an account and a guest."""
    ticket = make_ticket(reporter=citizen, title="Sampah tidak diangkut di Gang Mawar")
    actions.support_ticket(ticket=ticket, user=other_citizen)
    guest = actions.support_ticket(ticket=ticket, email=GUEST_SUPPORTER)
    actions.confirm_support(token=actions.support_confirmation_token(guest.pk))  # from the emailed link
    return ticket


@pytest.fixture
def secret_report(reporter_of_secret):
    return make_ticket(
        reporter=reporter_of_secret, privacy=Privacy.CONFIDENTIAL, title=SECRET_TITLE, description=SECRET_TEXT
    )


def merge_by_api(client, staff, ticket, into):
    client.force_login(staff)
    response = client.post(
        f"/api/v1/tickets/{ticket.reference}/merge/", {"into": into.reference}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    client.logout()


def test_followers_of_a_public_report_merged_into_a_confidential_one_do_not_get_to_it(
    client, citizen, other_citizen, staff_dlh, public_report, secret_report
):
    merge_by_api(client, staff_dlh, public_report, secret_report)
    public_report.refresh_from_db()
    assert public_report.status == Status.DUPLICATE and public_report.duplicate_of == secret_report

    # Neither the supporter nor the public report's reporter opens the confidential report.
    for person in (other_citizen, citizen):
        client.force_login(person)
        assert client.get(reverse("complaints:ticket", args=[secret_report.reference])).status_code == 404
        assert client.get(f"/api/v1/tickets/{secret_report.reference}/").status_code == 404
        assert secret_report not in my_tickets(person)
        assert not tickets_visible_to(person).filter(pk=secret_report.pk).exists()
    # They stay on the merged report, and the department's replies to the confidential one reach none of them.
    followers = Subscription.objects.filter(ticket=public_report, active=True)
    assert {s.user_id or s.email for s in followers} == {citizen.pk, other_citizen.pk, GUEST_SUPPORTER}
    assert not Subscription.objects.filter(ticket=secret_report).exclude(user=secret_report.reporter).exists()
    actions.reply_publicly(ticket=secret_report, actor=staff_dlh, message="Kami sedang memeriksa petugas tersebut.")
    told = set(
        Notification.objects.filter(ticket=secret_report, template="ticket_update").values_list("email", flat=True)
    )
    assert told == {"pelapor.rahasia@example.id"}


def test_the_merged_public_report_does_not_name_the_confidential_one(
    client, other_citizen, staff_dlh, public_report, secret_report
):
    merge_by_api(client, staff_dlh, public_report, secret_report)
    for person in (None, other_citizen):
        if person is not None:
            client.force_login(person)
        page = client.get(reverse("complaints:ticket", args=[public_report.reference]))
        html = page.content.decode()
        assert page.status_code == 200 and secret_report.reference not in html
        assert "merged into a report that is not public" in html or "laporan yang tidak publik" in html
        for url in (
            f"/api/v1/tickets/{public_report.reference}/events/",
            f"/api/v1/events/?ticket={public_report.reference}",
            f"/open311/v2/requests/{public_report.reference}.json?extensions=true",
        ):
            body = client.get(url).content.decode()
            assert secret_report.reference not in body and SECRET_TITLE not in body, url
        client.logout()
    # The merge email to the followers does not name it either.
    from complaints.mail import _render

    for notification in Notification.objects.filter(ticket=public_report, event__type=EventType.MERGED):
        subject, body = _render(notification)
        assert secret_report.reference not in subject + body
    # Staff who may open it read where it went.
    client.force_login(staff_dlh)
    html = client.get(reverse("complaints:ticket", args=[public_report.reference])).content.decode()
    assert f'href="/laporan/{secret_report.reference}/"' in html


def test_followers_an_older_merge_moved_into_a_confidential_report_lose_it(
    client, other_citizen, staff_dlh, secret_report
):
    """Rows left by merges before this rule: a supporter's subscription on a confidential report opens nothing and
    brings no emails; the follower cannot add information to it either."""
    Subscription.objects.create(ticket=secret_report, user=other_citizen, reason=Subscription.Reason.SUPPORTER)
    Subscription.objects.create(ticket=secret_report, email=GUEST_SUPPORTER, reason=Subscription.Reason.SUPPORTER)
    client.force_login(other_citizen)
    assert client.get(reverse("complaints:ticket", args=[secret_report.reference])).status_code == 404
    with pytest.raises(PermissionDenied):
        actions.add_citizen_info(ticket=secret_report, actor=other_citizen, message="Saya juga dimintai uang.")
    actions.reply_publicly(ticket=secret_report, actor=staff_dlh, message="Sedang kami periksa.")
    told = set(
        Notification.objects.filter(ticket=secret_report, template="ticket_update").values_list("email", flat=True)
    )
    assert told == {"pelapor.rahasia@example.id"}


def test_followers_move_into_a_public_or_anonymous_report_which_they_may_see(other_citizen, staff_dlh, public_report):
    anonymous = make_ticket(reporter=make_user("anonim@example.id"), privacy=Privacy.ANONYMOUS)
    actions.merge_ticket(ticket=public_report, into=anonymous, actor=staff_dlh)
    assert Subscription.objects.filter(ticket=anonymous, user=other_citizen, active=True).exists()
    assert Subscription.objects.filter(ticket=anonymous, email=GUEST_SUPPORTER, active=True).exists()
    merged = public_report.events.get(type=EventType.MERGED)
    assert merged.payload["into"] == anonymous.reference


def test_a_confidential_report_merged_into_a_public_one_stays_confidential(
    client, citizen, reporter_of_secret, staff_dlh, public_report, secret_report
):
    merge_by_api(client, staff_dlh, secret_report, public_report)
    secret_report.refresh_from_db()
    assert secret_report.privacy == Privacy.CONFIDENTIAL and secret_report.status == Status.DUPLICATE
    public_report.refresh_from_db()
    assert public_report.title != SECRET_TITLE and public_report.description != SECRET_TEXT
    # Nothing of the confidential report is public: not on the public report's page and timeline, the lists, the
    # map, the APIs; its own page stays closed to the public.
    assert client.get(reverse("complaints:ticket", args=[secret_report.reference])).status_code == 404
    for url in (
        reverse("complaints:ticket", args=[public_report.reference]),
        "/laporan/",
        "/laporan/peta.json",
        "/api/v1/tickets/",
        f"/api/v1/tickets/{public_report.reference}/",
        f"/api/v1/tickets/{public_report.reference}/events/",
        f"/api/v1/events/?ticket={public_report.reference}",
        "/open311/v2/requests.json?extensions=true",
        f"/open311/v2/requests/{public_report.reference}.json?extensions=true",
    ):
        for viewer in (None, citizen):
            client.logout()
            if viewer is not None:
                client.force_login(viewer)
            body = client.get(url).content.decode()
            for secret in (SECRET_TITLE, SECRET_TEXT, "Rahmat Pelapor", "pelapor.rahasia", secret_report.reference):
                assert secret not in body, (url, viewer, secret)
    # Its reporter follows the public report (which everyone may see) and is one more voice for it.
    assert Subscription.objects.filter(ticket=public_report, user=reporter_of_secret, active=True).exists()
    assert public_report.support_count == 2 + 1


def test_older_merged_events_no_longer_name_a_confidential_target(staff_dlh, public_report, secret_report):
    Ticket.objects.filter(pk=public_report.pk).update(status=Status.DUPLICATE, duplicate_of=secret_report)
    old = record_event(
        ticket=public_report,
        type=EventType.MERGED,
        actor=staff_dlh,
        payload={"into": secret_report.reference, "into_id": secret_report.pk},
    )
    other_public = make_ticket()
    kept = make_ticket()
    Ticket.objects.filter(pk=kept.pk).update(status=Status.DUPLICATE, duplicate_of=other_public)
    kept_event = record_event(
        ticket=kept, type=EventType.MERGED, payload={"into": other_public.reference, "into_id": other_public.pk}
    )
    migration = importlib.import_module("complaints.migrations.0024_merged_events_name_no_confidential_report")
    migration.forget_confidential_targets(apps, None)
    old.refresh_from_db()
    kept_event.refresh_from_db()
    assert old.payload == {"into_id": secret_report.pk}
    assert kept_event.payload["into"] == other_public.reference
