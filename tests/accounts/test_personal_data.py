"""A citizen's rights over their personal data (UU 27/2022 PDP): the privacy notice, "Your data" (download, stop
showing their name), correcting their name or phone number, deleting their account, and the admin's deletion."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from complaints import actions
from complaints.actions.personal_data import copy_profile_to_reports, forget_reporter
from complaints.events import record_event
from complaints.models import EventType, Notification, Privacy, Rating, Status, Subscription, Ticket, TicketEvent
from tests.admin_forms import change_form_data
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

DATA = "/akun/data-saya/"
DOWNLOAD = "/akun/data-saya/unduh/"
DELETE = "/akun/hapus/"
PROFILE = "/akun/profil/"
PASSWORD = "rahasia-kota-123"  # tests.conftest.make_user's


def _public_name(client, ticket) -> tuple[str, str]:
    """What the public reads as the reporter: the page's "Reported by" and the REST API's public_name."""
    client.logout()
    page = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    api = client.get(f"/api/v1/tickets/{ticket.reference}/").json()["public_name"]
    return page, api


def _verified(user, email: str | None = None) -> EmailAddress:
    return EmailAddress.objects.create(user=user, email=email or user.email, verified=True, primary=email is None)


# --- the privacy notice -----------------------------------------------------------------------------------------


def test_the_privacy_notice_names_the_controller_and_contact_in_indonesian_by_default_english_on_request(
    client, settings, db
):
    settings.PRIVACY_CONTACT_EMAIL = "ppdp@banjarmasinkota.go.id"
    response = client.get("/privasi/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="id">' in page
    assert "Pemerintah Kota Banjarmasin" in page and "Diskominfotik" in page
    assert 'href="mailto:ppdp@banjarmasinkota.go.id"' in page
    english = client.get("/privasi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "Privacy notice" in english
    for section in ("controller", "collected", "purposes", "who-sees", "retention", "rights"):
        assert f'id="{section}"' in english
    # The rights lead to the pages that exercise them.
    for url in (DATA, PROFILE, DELETE):
        assert f'href="{url}"' in english


def test_the_notice_is_linked_from_the_footer_the_filing_form_near_the_privacy_choice_and_sign_up(client, city):
    assert 'href="/privasi/"' in client.get("/").content.decode()
    filing = client.get("/lapor/").content.decode()
    privacy_choice = filing.index('name="show_name"')
    notice_link = filing.index('id="filing-privacy"')
    assert privacy_choice < notice_link < filing.index('id="submit-report"')
    assert 'href="/privasi/"' in filing[notice_link : notice_link + 400]
    signup = client.get("/akun/signup/").content.decode()
    assert 'id="signup-privacy"' in signup and 'href="/privasi/"' in signup


# --- "Your data": the download ------------------------------------------------------------------------------------


def test_your_data_is_for_signed_in_citizens_and_is_linked_from_the_account_pages(client, citizen):
    assert client.get(DATA).status_code == 302
    assert client.get(DOWNLOAD).status_code == 302
    client.force_login(citizen)
    assert f'href="{DATA}"' in client.get(PROFILE).content.decode()
    page = client.get(DATA, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{DOWNLOAD}"' in page and f'href="{DELETE}"' in page


def test_the_download_holds_everything_about_the_citizen_and_nothing_of_anyone_else(
    client, citizen, other_citizen, staff_dlh
):
    citizen.phone = "0812 1111 2222"
    citizen.save()
    _verified(citizen)
    mine = make_ticket(
        reporter=citizen, show_name=True, description="Sampah di Jl. Mawar sejak Senin.", reporter_phone=citizen.phone
    )
    record_event(ticket=mine, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Kami angkut besok pagi."})
    record_event(
        ticket=mine, type=EventType.NOTE, actor=staff_dlh, payload={"message": "Catatan internal DLH"}, public=False
    )
    record_event(
        ticket=mine,
        type=EventType.ASSIGNED,
        actor=staff_dlh,
        payload={"from": "", "to": str(staff_dlh), "to_id": staff_dlh.pk},
        public=False,
    )
    Ticket.objects.filter(pk=mine.pk).update(status=Status.RESOLVED)
    Rating.objects.create(ticket=mine, score=4, comment="Cepat ditangani")
    # A report filed before signing up, from the address the account confirmed.
    guest = make_ticket(reporter_email=citizen.email, reporter_name="Siti", description="Lampu jalan mati.")
    # Someone else's report the citizen supports and added to.
    theirs = make_ticket(
        reporter=other_citizen, description="Rahasia tetangga: rumah nomor 7", reporter_phone="0899 0000 1111"
    )
    actions.support_ticket(ticket=theirs, user=citizen)
    actions.add_citizen_info(ticket=theirs, actor=citizen, message="Di depan rumah saya juga.")
    Notification.objects.create(
        dedup_key="t", ticket=mine, recipient=citizen, email=citizen.email, template="ticket_update", context={}
    )
    # Another person's report the citizen has nothing to do with.
    make_ticket(reporter=other_citizen, title="Laporan orang lain", description="Tidak ada hubungannya")

    client.force_login(citizen)
    response = client.get(DOWNLOAD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    data = json.loads(body)

    assert data["profile"]["email"] == citizen.email and data["profile"]["phone"] == "0812 1111 2222"
    assert data["email_addresses"] == [{"email": citizen.email, "verified": True, "primary": True}]
    reports = {report["reference"]: report for report in data["reports"]}
    assert set(reports) == {mine.reference, guest.reference}
    report = reports[mine.reference]
    assert report["description"] == "Sampah di Jl. Mawar sejak Senin."
    assert report["contact_on_report"] == {"name": "Siti Warga", "email": citizen.email, "phone": "0812 1111 2222"}
    assert report["name_shown_publicly"] == "Siti Warga"
    assert report["filed_with_account"] is True and reports[guest.reference]["filed_with_account"] is False
    assert [event["type"] for event in report["timeline"]] == ["reply"]
    assert report["timeline"][0]["message"] == "Kami angkut besok pagi."
    assert report["rating"]["score"] == 4 and data["ratings"][0]["comment"] == "Cepat ditangani"
    assert [(s["reference"], s["reason"]) for s in data["supports"]] == [(theirs.reference, "supporter")]
    assert {s["reference"] for s in data["subscriptions"]} == {mine.reference, theirs.reference}
    info = [event for event in data["events"] if event["type"] == "citizen_info"]
    assert info and info[0]["message"] == "Di depan rumah saya juga." and info[0]["reference"] == theirs.reference
    assert [email["reference"] for email in data["emails"]] == [mine.reference]

    # Nothing internal, no staff member, nothing of the other citizen.
    for foreign in (
        "Catatan internal DLH",
        staff_dlh.email,
        "petugas.dlh",
        other_citizen.email,
        "Budi Tetangga",
        "0899 0000 1111",
        "Rahasia tetangga",
        "Laporan orang lain",
    ):
        assert foreign not in body, foreign


def test_an_unconfirmed_address_brings_no_report_filed_without_an_account(client, citizen):
    """Anyone can sign up with someone else's address: until it is confirmed it proves nothing."""
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=False, primary=True)
    guest = make_ticket(reporter_email=citizen.email, reporter_name="Orang lain", reporter_phone="0811 000")
    client.force_login(citizen)
    data = client.get(DOWNLOAD).json()
    assert data["reports"] == [] and "0811 000" not in json.dumps(data)
    assert client.post(reverse("account_hide_name", args=[guest.reference])).status_code == 404


# --- "Your data": stop showing my name ---------------------------------------------------------------------------


def test_the_citizen_stops_showing_their_name_and_no_public_surface_names_them_any_more(
    client, citizen, other_citizen, staff_dlh
):
    named = make_ticket(reporter=citizen, show_name=True)
    unnamed = make_ticket(reporter=citizen, show_name=False)
    someone_elses = make_ticket(reporter=other_citizen, show_name=True)
    assert _public_name(client, named)[1] == "Siti Warga"
    before = Ticket.objects.get(pk=named.pk).updated_at

    client.force_login(citizen)
    page = client.get(DATA, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="named-{named.reference}"' in page
    assert unnamed.reference not in page and someone_elses.reference not in page
    response = client.post(reverse("account_hide_name", args=[named.reference]))
    assert response.status_code == 302 and response["Location"] == DATA

    named.refresh_from_db()
    assert named.show_name is False
    assert named.updated_at > before  # API clients that sync by it fetch the report again
    note = TicketEvent.objects.get(ticket=named, type=EventType.NOTE)
    assert note.public is False and note.actor == citizen and note.payload["by"] == "reporter"
    page, public_name = _public_name(client, named)
    assert public_name == "" and "Siti Warga" not in page and "A resident" in page
    for url in (f"/open311/v2/requests/{named.reference}.json", "/open311/v2/requests.xml", "/api/v1/tickets/"):
        assert "Siti Warga" not in client.get(url).content.decode(), url
    # The department still sees who reported it.
    client.force_login(staff_dlh)
    assert "Siti Warga" in client.get(f"/staf/tiket/{named.reference}/").content.decode()

    client.force_login(citizen)
    assert f'id="named-{named.reference}"' not in client.get(DATA).content.decode()
    # Again is harmless; someone else's report, or a GET, is refused.
    assert client.post(reverse("account_hide_name", args=[named.reference])).status_code == 302
    assert TicketEvent.objects.filter(ticket=named, type=EventType.NOTE).count() == 1
    assert client.post(reverse("account_hide_name", args=[someone_elses.reference])).status_code == 404
    assert client.get(reverse("account_hide_name", args=[named.reference])).status_code == 405
    someone_elses.refresh_from_db()
    assert someone_elses.show_name is True


# --- correction ----------------------------------------------------------------------------------------------------


def test_a_corrected_name_and_phone_reach_the_reports_filed_with_the_account(client, citizen, other_citizen, staff_dlh):
    citizen.phone = "0812 0000 0000"
    citizen.save()
    named = make_ticket(reporter=citizen, show_name=True, reporter_phone=citizen.phone)
    anonymous = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS, reporter_phone=citizen.phone)
    closed = make_ticket(reporter=citizen, status=Status.CLOSED, reporter_phone=citizen.phone)
    # Filed for someone else by staff, and the neighbour's: not theirs to change.
    assisted = make_ticket(reporter_name="Siti Warga", reporter_phone="0812 0000 0000", reporter_email="")
    neighbour = make_ticket(reporter=other_citizen, reporter_phone="0812 0000 0000")
    routed_at = Ticket.objects.get(pk=anonymous.pk).updated_at

    client.force_login(citizen)
    response = client.post(PROFILE, {"full_name": "Siti Rahmawati", "phone": "0813 9999 8888", "language": "id"})
    assert response.status_code == 302

    for ticket in (named, anonymous, closed):
        ticket.refresh_from_db()
        assert (ticket.reporter_name, ticket.reporter_phone) == ("Siti Rahmawati", "0813 9999 8888")
        notes = TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE)
        if ticket.privacy == Privacy.ANONYMOUS:
            # No note: its staff see no contact, and the same note at the same second as on the named reports
            # would tell them whose it is.
            assert not notes.exists()
            continue
        (note,) = notes
        assert note.public is False and note.actor == citizen
    anonymous.refresh_from_db()
    assert anonymous.updated_at == routed_at  # nothing public changed there
    for ticket in (assisted, neighbour):
        ticket.refresh_from_db()
        assert ticket.reporter_phone == "0812 0000 0000"
    assert neighbour.reporter_name == "Budi Tetangga" and assisted.reporter_name == "Siti Warga"

    # The staff read the new number; the public reads the new name.
    client.force_login(staff_dlh)
    staff_page = client.get(f"/staf/tiket/{named.reference}/").content.decode()
    assert "0813 9999 8888" in staff_page and "0812 0000 0000" not in staff_page
    page, public_name = _public_name(client, named)
    assert public_name == "Siti Rahmawati" and "Siti Rahmawati" in page

    # Saving the same profile again changes nothing and adds no note.
    client.force_login(citizen)
    client.post(PROFILE, {"full_name": "Siti Rahmawati", "phone": "0813 9999 8888", "language": "en"})
    assert TicketEvent.objects.filter(ticket=named, type=EventType.NOTE).count() == 1


# --- deleting one's account -----------------------------------------------------------------------------------------


@pytest.fixture
def citizen_with_data(citizen, other_citizen):
    """A citizen with reports (public and named, anonymous, one filed before signing up), a "me too", emails."""
    citizen.phone = "0812 1111 2222"
    citizen.save()
    _verified(citizen)
    reports = {
        "named": make_ticket(reporter=citizen, show_name=True, reporter_phone=citizen.phone),
        "anonymous": make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS, reporter_phone=citizen.phone),
        "guest": make_ticket(reporter_email=citizen.email, reporter_name="Siti", reporter_phone="0812 1111 2222"),
    }
    Subscription.objects.create(ticket=reports["guest"], email=citizen.email, reason=Subscription.Reason.REPORTER)
    theirs = make_ticket(reporter=other_citizen)
    actions.support_ticket(ticket=theirs, user=citizen)
    Notification.objects.create(
        dedup_key="a", ticket=reports["named"], recipient=citizen, email=citizen.email, template="ticket_update"
    )
    Notification.objects.create(
        dedup_key="b", ticket=reports["guest"], email=citizen.email, template="confirm_ticket", context={}
    )
    return citizen, reports, theirs


def _assert_forgotten(citizen, reports, theirs, *, note_actor=None):
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert not EmailAddress.objects.filter(email__iexact=citizen.email).exists()
    for ticket in reports.values():
        ticket.refresh_from_db()
        assert ticket.reporter_id is None
        assert (ticket.reporter_name, ticket.reporter_email, ticket.reporter_phone) == ("", "", "")
        assert ticket.show_name is False
        assert ticket.title and ticket.description  # the city keeps the report
        notes = TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE)
        if ticket.privacy == Privacy.ANONYMOUS:  # no note tying it to the citizen's named reports
            assert not notes.exists()
            continue
        (note,) = notes
        assert note.public is False and note.actor == note_actor
    assert (
        not Subscription.objects.filter(ticket__in=[*reports.values(), theirs]).exclude(user=theirs.reporter).exists()
    )
    assert not Notification.objects.filter(email__iexact=citizen.email).exists()
    theirs.refresh_from_db()
    assert theirs.reporter_email == "tetangga@example.id"  # someone else's report is untouched


def test_a_citizen_deletes_their_account_with_their_password_and_the_city_keeps_the_reports_without_them(
    client, citizen_with_data, staff_dlh
):
    citizen, reports, theirs = citizen_with_data
    client.force_login(citizen)
    page = client.get(DELETE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="delete-explanation"' in page and 'name="password"' in page

    refused = client.post(DELETE, {"password": "salah"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "not your password" in refused.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()

    response = client.post(DELETE, {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/"
    _assert_forgotten(citizen, reports, theirs)
    assert client.get(DATA).status_code == 302  # signed out
    assert "Your account is deleted" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    page, public_name = _public_name(client, reports["named"])
    assert public_name == "" and "Siti Warga" not in page
    client.force_login(staff_dlh)
    staff_page = client.get(f"/staf/tiket/{reports['named'].reference}/").content.decode()
    assert citizen.email not in staff_page and "0812 1111 2222" not in staff_page and "Siti Warga" not in staff_page


def test_staff_cannot_delete_their_own_account_and_are_sent_to_the_administrator(client, staff_dlh, administrator):
    for user in (staff_dlh, administrator):
        client.force_login(user)
        page = client.get(DELETE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'id="delete-refused"' in page and 'name="password"' not in page
        assert client.post(DELETE, {"password": PASSWORD}).status_code == 403
        assert User.objects.filter(pk=user.pk).exists()
    # A membership no longer active still is someone who worked for the city.
    staff_dlh.memberships.update(active=False)
    client.force_login(staff_dlh)
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 403


def test_an_account_without_a_password_is_asked_to_set_one_first(client, city):
    user = make_user("tanpa.sandi@example.id")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = client.get(DELETE).content.decode()
    assert 'id="delete-needs-password"' in page and 'href="/akun/password/set/"' in page
    assert client.post(DELETE, {"password": ""}).status_code == 400
    assert User.objects.filter(pk=user.pk).exists()


# --- the administrator deletes someone -------------------------------------------------------------------------------


def test_an_administrator_deleting_a_citizen_in_the_admin_removes_their_personal_data_too(
    client, citizen_with_data, administrator
):
    citizen, reports, theirs = citizen_with_data
    client.force_login(administrator)
    response = client.post(f"/admin/accounts/user/{citizen.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    _assert_forgotten(citizen, reports, theirs, note_actor=administrator)


def test_an_administrator_correcting_a_citizens_name_and_phone_in_the_admin_corrects_their_reports(
    client, citizen_with_data, administrator
):
    """As the citizen's own profile page does: staff call the number they read on the report."""
    citizen, reports, _theirs = citizen_with_data
    client.force_login(administrator)
    url = f"/admin/accounts/user/{citizen.pk}/change/"
    data = change_form_data(client.get(url)) | {"full_name": "Siti Rahmah", "phone": "0813 9999 0000"}
    assert client.post(url, data).status_code == 302
    for key in ("named", "anonymous"):
        reports[key].refresh_from_db()
        assert (reports[key].reporter_name, reports[key].reporter_phone) == ("Siti Rahmah", "0813 9999 0000")
    reports["guest"].refresh_from_db()  # filed without the account: what was typed there stays
    assert reports["guest"].reporter_phone == "0812 1111 2222"


def test_the_admins_delete_selected_action_removes_their_personal_data_too(client, citizen_with_data, administrator):
    citizen, reports, theirs = citizen_with_data
    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [citizen.pk], "post": "yes"}
    )
    assert response.status_code == 302
    _assert_forgotten(citizen, reports, theirs, note_actor=administrator)


def test_an_anonymous_report_gets_no_note_that_would_tie_it_to_the_citizens_named_reports(citizen):
    """A citizen's email change and account deletion left the same internal note, at the same second, on each of
    their reports, the anonymous one too: staff handling both (the inspectorate, one department) could tell whose
    the anonymous report was. Its contact copy follows and goes as before; only the note is left out."""
    named = make_ticket(reporter=citizen, privacy=Privacy.PUBLIC, show_name=True)
    anonymous = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS)

    def notes(ticket) -> int:
        return TicketEvent.objects.filter(ticket=ticket, type=EventType.NOTE).count()

    citizen.email = "baru@example.id"
    citizen.save(update_fields=["email"])
    assert copy_profile_to_reports(user=citizen) == 2
    anonymous.refresh_from_db()
    assert anonymous.reporter_email == "baru@example.id"  # staff never see it; the citizen's emails follow it
    assert (notes(named), notes(anonymous)) == (1, 0)

    assert forget_reporter(user=citizen) == 2
    anonymous.refresh_from_db()
    assert anonymous.reporter_email == "" and anonymous.reporter is None
    assert (notes(named), notes(anonymous)) == (2, 0)


def test_the_reporters_rating_of_an_anonymous_report_is_theirs_in_their_data(citizen):
    """The export said the citizen's own rating of their anonymous report was not theirs ("by_you": false): the
    event names no actor there, and unlike confirming and reopening it did not say it was the reporter's."""
    from complaints.actions.closing import rate_ticket
    from complaints.personal_data import _public_event

    ticket = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS, status=Status.CLOSED)
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=ticket.created_at, closed_at=ticket.created_at)
    ticket.refresh_from_db()
    rate_ticket(ticket=ticket, actor=citizen, score=4)
    rated = TicketEvent.objects.get(ticket=ticket, type=EventType.RATED)
    assert rated.actor is None  # an anonymous report never names its reporter
    assert _public_event(rated, citizen)["by_you"] is True
