"""The reporter of a report merged into another one goes on at that one (found in the flood-surge walk).

A citizen who filed without an account follows their report with the personal link from our emails. Once the
department merged it into another report, the link opened only their merged report, whose page sends them on to the
other one, where they were a stranger: no way to add what they saw after the water rose. Now the grant of their
merged report lets them add information and photos on the report it went into, as its followers do, and nothing
more; an anonymous reporter stays unnamed to the department. A signed-in reporter whose report was merged is treated
alike, also when they had switched their report's emails off (then the merge moved no follow).

A "me too" on that report from them changed nothing (the merge counted them) but thanked them as one more voice:
it now says they are already counted.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from complaints import actions, follow
from complaints.models import Attachment, EventType, Notification, Privacy, Status, Subscription, Ticket
from tests.conftest import make_user
from tests.factories import make_ticket

from .conftest import jpeg_bytes, upload
from .test_support_confirmation import confirmation_path, me_too

pytestmark = pytest.mark.django_db

GUEST = "korban.banjir@example.id"


def merged_guest_report(staff, *, privacy=Privacy.PUBLIC, into_privacy=Privacy.PUBLIC):
    """A guest's report (followed by its reporter's address) merged into another citizen's open report."""
    into = make_ticket(reporter=make_user("pertama@example.id"), privacy=into_privacy, department="dlh")
    duplicate = make_ticket(
        reporter=None, reporter_email=GUEST, privacy=privacy, status=Status.ACKNOWLEDGED, department="dlh"
    )
    Subscription.objects.create(ticket=duplicate, email=GUEST, reason=Subscription.Reason.REPORTER)
    actions.merge_ticket(ticket=duplicate, into=into, actor=staff)
    into.refresh_from_db()
    return into, duplicate


def merged_citizen_report(citizen, staff, *, privacy=Privacy.PUBLIC, emails_off=False):
    into = make_ticket(reporter=make_user("pertama@example.id"), department="dlh")
    duplicate = make_ticket(reporter=citizen, privacy=privacy, status=Status.ACKNOWLEDGED, department="dlh")
    if emails_off:  # switched off on their report's page: the merge moves no follow
        actions.set_ticket_emails(ticket=duplicate, actor=citizen, enabled=False)
    actions.merge_ticket(ticket=duplicate, into=into, actor=staff)
    into.refresh_from_db()
    return into, duplicate


def open_follow_link(client, ticket):
    path = "/" + follow.follow_url(ticket).split("/", 3)[3]
    assert client.get(path).status_code == 302


def page(client, ticket) -> str:
    response = client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def add_info(client, ticket, message, **extra):
    return client.post(reverse("complaints:add_info", args=[ticket.reference]), {"message": message, **extra})


def test_a_guest_whose_report_was_merged_adds_information_and_photos_on_the_report_it_went_into(
    client, city, staff_dlh
):
    into, duplicate = merged_guest_report(staff_dlh)
    open_follow_link(client, duplicate)
    own = page(client, duplicate)
    assert 'id="merged-add-info"' in own and "Add your information or photos there." in own

    html = page(client, into)
    assert 'id="info-form"' in html and 'id="merged-reporter-note"' in html
    assert f"Your report {duplicate.reference} was merged into this one" in html
    # Following it is not being its reporter: nothing to confirm, reopen or rate, no "me too" (counted already), no
    # email switch this page could not work (their emails carry the link that stops them).
    assert 'id="close-loop"' not in html and 'id="support-form"' not in html and 'id="emails-form"' not in html
    assert 'id="forget-browser"' in html

    photo = upload(jpeg_bytes(), "air-naik.jpg")
    response = add_info(client, into, "Airnya naik lagi sampai lutut.", photos=photo)
    assert response.status_code == 302
    added = into.events.get(type=EventType.CITIZEN_INFO)
    assert added.payload["message"] == "Airnya naik lagi sampai lutut." and added.payload["by"] == "follower"
    assert added.actor is None  # a guest has no account to name
    assert Attachment.objects.filter(ticket=into, event=added).count() == 1
    # It reaches the department handling the report it went into.
    assert Notification.objects.filter(event=added, email=staff_dlh.email).exists()
    assert not duplicate.events.filter(type=EventType.CITIZEN_INFO).exists()


def test_forgetting_the_browser_on_the_report_it_went_into_ends_it(client, city, staff_dlh):
    into, duplicate = merged_guest_report(staff_dlh)
    open_follow_link(client, duplicate)
    assert 'id="forget-browser"' in page(client, into)
    client.post(reverse("complaints:forget_browser", args=[into.reference]))
    assert 'id="info-form"' not in page(client, into)
    assert add_info(client, into, "Masih banjir.").status_code == 404


def test_the_grant_gives_nothing_more_and_nobody_else_anything(client, city, staff_dlh, other_citizen):
    into, duplicate = merged_guest_report(staff_dlh)
    stranger = make_ticket(reporter=None, reporter_email="orang.lain@example.id", department="dlh")
    Subscription.objects.create(ticket=stranger, email="orang.lain@example.id", reason=Subscription.Reason.REPORTER)
    # Another guest's grant (on a report not merged here), a signed-in stranger, a visitor: strangers on it as before.
    open_follow_link(client, stranger)
    assert 'id="info-form"' not in page(client, into)
    assert add_info(client, into, "Bukan laporan saya.").status_code == 404
    signed_in = Client()
    signed_in.force_login(other_citizen)
    assert add_info(signed_in, into, "Bukan laporan saya.").status_code == 404
    assert add_info(Client(), into, "Bukan laporan saya.").status_code == 404
    assert not into.events.filter(type=EventType.CITIZEN_INFO).exists()

    # Its reporter's rights stay its reporter's: the merged report's guest neither confirms nor reopens it.
    guest = Client()
    open_follow_link(guest, duplicate)
    actions.resolve_ticket(ticket=into, actor=staff_dlh, note="Sudah dikeringkan.")
    assert guest.post(reverse("complaints:confirm_fixed", args=[into.reference])).status_code == 404
    assert guest.post(reverse("complaints:reopen", args=[into.reference]), {"reason": "Belum."}).status_code == 404
    into.refresh_from_db()
    assert into.status == Status.RESOLVED


def test_a_grant_signed_for_an_old_address_opens_nothing_on_it(client, city, staff_dlh):
    into, duplicate = merged_guest_report(staff_dlh)
    open_follow_link(client, duplicate)
    Ticket.objects.filter(pk=duplicate.pk).update(reporter_email="baru@example.id")
    assert add_info(client, into, "Masih banjir.").status_code == 404


def test_nobody_is_moved_into_a_confidential_report_nor_adds_to_it(client, city, staff_dlh):
    into, duplicate = merged_guest_report(staff_dlh, into_privacy=Privacy.CONFIDENTIAL)
    open_follow_link(client, duplicate)
    assert 'id="merged-add-info"' not in page(client, duplicate)
    assert add_info(client, into, "Masih banjir.").status_code == 404


def test_a_signed_in_reporter_with_their_emails_off_adds_anonymously_and_is_counted_once(client, citizen, staff_dlh):
    into, duplicate = merged_citizen_report(citizen, staff_dlh, privacy=Privacy.ANONYMOUS, emails_off=True)
    count = into.support_count
    client.force_login(citizen)
    html = page(client, into)
    assert 'id="info-form"' in html and 'id="support-form"' not in html
    assert add_info(client, into, "Rumah saya juga kebanjiran.").status_code == 302
    added = into.events.get(type=EventType.CITIZEN_INFO)
    assert added.actor is None and added.payload["by"] == "follower"  # their report was anonymous

    response = client.post(reverse("complaints:support", args=[into.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    told = page(client, into)
    assert f"You are already counted among this report&#x27;s supporters: your report {duplicate.reference}" in told
    into.refresh_from_db()
    assert into.support_count == count and not Subscription.objects.filter(ticket=into, user=citizen).exists()


def test_me_too_from_the_filing_form_says_the_merged_reporter_is_counted(client, citizen, staff_dlh):
    into, duplicate = merged_citizen_report(citizen, staff_dlh)
    count = into.support_count
    client.force_login(citizen)
    response = client.post(
        reverse("complaints:support", args=[into.reference]), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and "HX-Redirect" not in response  # they stay on the filing form
    answer = response.content.decode()
    assert "You are already counted among this report&#x27;s supporters" in answer and duplicate.reference in answer
    into.refresh_from_db()
    assert into.support_count == count


def test_a_guests_me_too_on_it_emails_no_link_and_says_they_are_counted(client, city, staff_dlh):
    into, duplicate = merged_guest_report(staff_dlh)
    count = into.support_count
    open_follow_link(client, duplicate)
    mail.outbox.clear()
    response = client.post(
        reverse("complaints:support", args=[into.reference]),
        {"reporter_email": GUEST},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "You are already counted among this report&#x27;s supporters" in response.content.decode()
    assert not Notification.objects.filter(email=GUEST, template=Notification.Template.CONFIRM_SUPPORT).exists()
    into.refresh_from_db()
    assert into.support_count == count


def test_the_confirmation_link_of_someone_counted_before_counts_nobody_again(city, staff_dlh):
    """In another browser (no grant to recognise them) the guest gets the link like anyone, telling nobody that the
    address filed a merged report; with the emails of the report it went into stopped, the link turns them back on
    and says they are counted, not that the department sees one more person affected."""
    into, _duplicate = merged_guest_report(staff_dlh)
    count = into.support_count
    Subscription.objects.filter(ticket=into, email=GUEST).update(active=False)  # "stop these emails"
    me_too(into, GUEST)
    browser = Client()
    confirmed = browser.post(confirmation_path(GUEST), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "one more person affected" not in confirmed
    assert "This “me too” is already confirmed: you are counted as a supporter" in confirmed
    into.refresh_from_db()
    assert into.support_count == count and Subscription.objects.get(ticket=into, email=GUEST).active
