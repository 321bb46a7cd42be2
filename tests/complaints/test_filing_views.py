import re
import uuid

import pytest
from django.core import mail

from complaints.models import Channel, EventType, Notification, Status, Subscription, Ticket

from .conftest import bomb_png, jpeg_bytes, upload


def form_data(service, pin, **extra):
    data = {
        "service": str(service.pk) if service else "unsure",
        "title": "Sampah menumpuk di gang",
        "description": "Sudah seminggu sampah tidak diangkut di Gang Mawar.",
        "lat": str(pin[0]) if pin else "",
        "lng": str(pin[1]) if pin else "",
        "address": "Gang Mawar 3",
        "privacy": "public",
        "website": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def waste(city):
    from services.models import Service

    return Service.objects.get(code="sampah-menumpuk")


@pytest.mark.parametrize("language,phrase", [("id", 'lang="id"'), ("en", "File a report")])
def test_filing_form_renders_in_both_languages(client, city, language, phrase):
    page = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    assert phrase in html
    assert 'id="service-unsure"' in html and "Saya tidak yakin / not sure" not in html
    assert 'name="website"' in html  # honeypot
    assert "hp-field" in html


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("id", ["Jalan, jembatan dan drainase", "Administrasi kependudukan"], ["Roads, bridges and drainage"]),
        ("en", ["Roads, bridges and drainage", "Civil registration"], ["Jalan, jembatan dan drainase"]),
    ],
)
def test_service_groups_are_named_in_the_pages_language(client, city, language, shown, not_shown):
    html = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert all(group in html for group in shown)
    assert not any(group in html for group in not_shown)


def test_a_group_without_an_english_name_shows_the_indonesian_one(client, city):
    from services.models import Service

    Service.objects.filter(code="jalan-rusak").update(group="Jalan kampung", group_en="")
    assert "Jalan kampung" in client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_signed_in_citizen_files_and_lands_on_the_ticket_page(client, citizen, waste, pin):
    client.force_login(citizen)
    response = client.post("/lapor/", form_data(waste, pin))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == f"/laporan/{ticket.reference}/"
    assert ticket.reporter == citizen and ticket.status == Status.SUBMITTED and ticket.email_confirmed
    assert ticket.area.code == "63.71.05.1003" and ticket.channel == Channel.WEB
    page = client.get(response.url).content.decode()
    assert ticket.reference in page


def test_visitor_without_account_must_give_email_and_confirm_it(client, waste, pin, django_capture_on_commit_callbacks):
    missing = client.post("/lapor/", form_data(waste, pin))
    assert missing.status_code == 400 and not Ticket.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/lapor/", form_data(waste, pin, reporter_email="warga.tanpa.akun@example.id"))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert not ticket.email_confirmed
    filed = client.get(response.url).content.decode()
    assert ticket.reference in filed and "mengonfirmasi" in filed  # "check your email to confirm"
    notification = Notification.objects.get(template="confirm_ticket")
    from complaints.mail import deliver_notification

    deliver_notification(notification_id=notification.pk)
    assert str(ticket.confirmation_token) in mail.outbox[-1].body
    confirm_url = f"/lapor/konfirmasi/{ticket.confirmation_token}/"
    assert client.get(confirm_url).status_code == 200
    ticket.refresh_from_db()
    assert not ticket.email_confirmed  # a GET (a mail scanner) confirms nothing
    client.post(confirm_url)
    ticket.refresh_from_db()
    assert ticket.email_confirmed
    assert ticket.events.filter(type=EventType.EMAIL_CONFIRMED).exists()


@pytest.mark.parametrize(
    "bad_photo,message",
    [
        (lambda: upload(b"not an image at all" * 100, name="palsu.jpg"), "is not a photo we can read"),
        (lambda: upload(bomb_png(), name="bom.png", content_type="image/png"), "too large in pixels"),
        (lambda: upload(b"\xff\xd8\xff" + b"1" * (11 * 1024 * 1024), name="besar.jpg"), "larger than 10 MB"),
    ],
)
def test_bad_photo_is_refused_and_the_form_keeps_every_field_and_good_photo(
    client, citizen, waste, pin, bad_photo, message
):
    client.force_login(citizen)
    data = form_data(waste, pin, title="Judul saya tetap", description="Keterangan saya tetap ada.")
    data["photos"] = [upload(jpeg_bytes(), name="bagus.jpg"), bad_photo()]
    response = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert message in html
    assert 'value="Judul saya tetap"' in html and "Keterangan saya tetap ada." in html
    assert f'value="{pin[0]}"' in html and f'value="{waste.pk}" id="service-{waste.pk}" checked' in html
    # The good photo is kept under a signed token: sending the form again files it without re-selecting.
    tokens = [part.split('"')[0] for part in html.split('name="photo_tokens" value="')[1:]]
    assert len(tokens) == 1 and "bagus.jpg" in html
    again = client.post("/lapor/", {**form_data(waste, pin), "photo_tokens": tokens})
    assert again.status_code == 302
    assert Ticket.objects.get().attachments.count() == 1


def test_pin_outside_the_city_gets_a_clear_message(client, citizen, waste):
    client.force_login(citizen)
    response = client.post("/lapor/", form_data(waste, (-6.2, 106.8)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "outside Banjarmasin" in response.content.decode()
    assert not Ticket.objects.exists()


def test_kelurahan_from_the_list_when_there_is_no_pin(client, citizen, waste, mawar):
    client.force_login(citizen)
    nothing = client.post("/lapor/", form_data(waste, None), HTTP_ACCEPT_LANGUAGE="en")
    assert nothing.status_code == 400 and "drop a pin" in nothing.content.decode()
    response = client.post("/lapor/", form_data(waste, None, area=str(mawar.pk)))
    assert response.status_code == 302
    assert Ticket.objects.get().area == mawar


def test_service_attributes_are_rendered_and_validated(client, citizen, pin, city):
    from services.models import Service

    road = Service.objects.get(code="jalan-rusak")
    partial = client.get(f"/lapor/atribut/?service={road.pk}").content.decode()
    assert 'name="attr_ukuran"' in partial
    client.force_login(citizen)
    missing = client.post("/lapor/", form_data(road, pin), HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 400 and "Please answer this question." in missing.content.decode()
    ok = client.post("/lapor/", form_data(road, pin, attr_ukuran="besar"))
    assert ok.status_code == 302
    assert Ticket.objects.get().attributes == {"ukuran": "besar"}


@pytest.mark.parametrize(
    "language,shown,not_shown",
    [
        ("en", ["How big is the damage?", "Small (< 1 m)"], ["Seberapa besar", "Kecil (< 1 m)"]),
        ("id", ["Seberapa besar kerusakannya?", "Kecil (&lt; 1 m)"], ["How big is the damage?", "Small"]),
    ],
)
def test_questions_and_answers_are_in_the_pages_language(client, city, language, shown, not_shown):
    from services.models import Service

    road = Service.objects.get(code="jalan-rusak")
    partial = client.get(f"/lapor/atribut/?service={road.pk}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert all(text.replace("<", "&lt;") in partial for text in shown)
    assert not any(text.replace("<", "&lt;") in partial for text in not_shown)


@pytest.mark.parametrize("code,answers", [("jalan-rusak", {}), ("ktp-el", {})])
def test_an_unanswered_required_question_is_summarised_with_the_other_errors(client, city, pin, code, answers):
    from services.models import Service

    service = Service.objects.get(code=code)
    question = service.attributes.get(required=True)
    # No email and no title either: every error comes in the same round, the question's among them.
    data = form_data(service, pin, title="", description="Keterangan saya tetap ada.", **answers)
    html = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    summary = html.split('id="form-errors"')[1].split('id="draft-restored"')[0]
    assert "Please check the fields marked below" in summary
    assert f'href="#id_attr_{question.code}"' in summary and question.description_en in summary
    assert f'id="id_attr_{question.code}"' in html
    assert 'href="#id_title"' in summary and 'href="#id_reporter_email"' in summary  # every refused field, linked
    assert "Please give your email address" in html or "This field is required." in html
    assert "Keterangan saya tetap ada." in html and not Ticket.objects.exists()


def test_the_form_keeps_the_answers_when_another_field_is_wrong(client, citizen, city, pin):
    from services.models import Service

    client.force_login(citizen)
    ktp = Service.objects.get(code="ktp-el")
    html = client.post("/lapor/", form_data(ktp, pin, title="", attr_masalah=["rusak", "hilang"])).content.decode()
    assert html.count("checked>") >= 2 and 'value="rusak"' in html
    bad = client.post("/lapor/", form_data(ktp, pin, attr_masalah=["dicuri"]), HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "Please choose one of the offered answers." in bad.content.decode()
    ok = client.post("/lapor/", form_data(ktp, pin, attr_masalah=["rusak", "hilang"]))
    assert ok.status_code == 302 and Ticket.objects.get().attributes == {"masalah": ["rusak", "hilang"]}


def test_honeypot_saves_nothing_but_looks_like_success(client, waste, pin):
    response = client.post("/lapor/", form_data(waste, pin, reporter_email="bot@example.id", website="http://spam"))
    assert response.status_code == 200
    assert not Ticket.objects.exists()


def test_rate_limit_stops_a_scripted_flood_without_losing_a_legitimate_ticket(client, waste, pin, settings):
    settings.FILING_IP_RATE_LIMIT = "3/h"
    settings.MAX_PENDING_UNCONFIRMED_PER_EMAIL = 100
    statuses = [
        client.post(
            "/lapor/", form_data(waste, pin, reporter_email=f"flood{i}@example.id"), REMOTE_ADDR="10.9.9.9"
        ).status_code
        for i in range(6)
    ]
    assert statuses == [302, 302, 302, 429, 429, 429]
    assert Ticket.objects.count() == 3
    # A neighbour on another connection is not affected.
    legit = client.post("/lapor/", form_data(waste, pin, reporter_email="tetangga@example.id"), REMOTE_ADDR="10.1.1.1")
    assert legit.status_code == 302
    assert Ticket.objects.filter(reporter_email="tetangga@example.id").exists()


def test_one_mobile_network_address_files_for_many_citizens_and_says_so_when_full(client, waste, pin, settings):
    # Phones on one mobile network share an address (CGNAT): eight neighbours each file a first report, and a
    # refusal speaks of the connection, not of "you", with the wait.
    settings.FILING_RATE_LIMIT = "2/h"
    settings.FILING_IP_RATE_LIMIT = "8/h"
    settings.MAX_PENDING_UNCONFIRMED_PER_EMAIL = 100
    statuses = [
        client.post(
            "/lapor/", form_data(waste, pin, reporter_email=f"warga{i}@example.id"), REMOTE_ADDR="114.122.0.9"
        ).status_code
        for i in range(8)
    ]
    assert statuses == [302] * 8
    refused = client.post(
        "/lapor/",
        form_data(waste, pin, reporter_email="warga9@example.id"),
        REMOTE_ADDR="114.122.0.9",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Many reports were sent from your internet connection" in page and "Please try again in " in page
    assert "Sudah seminggu" in page  # what was typed is still there


def test_a_filing_the_address_refuses_does_not_use_up_the_persons_allowance(client, citizen, waste, pin, settings):
    settings.FILING_RATE_LIMIT = "2/h"
    settings.FILING_IP_RATE_LIMIT = "1/h"
    client.force_login(citizen)
    codes = [
        client.post("/lapor/", form_data(waste, pin, title=f"Sampah di gang {i}"), REMOTE_ADDR="114.122.0.9")
        for i in range(4)
    ]
    assert [c.status_code for c in codes] == [302, 429, 429, 429]
    # On another connection the citizen still has the second of their two.
    other = client.post("/lapor/", form_data(waste, pin, title="Sampah di gang 9"), REMOTE_ADDR="10.0.0.1")
    assert other.status_code == 302


def test_a_guest_is_counted_by_their_email_address_across_connections(client, waste, pin, settings):
    settings.FILING_RATE_LIMIT = "2/h"
    settings.MAX_PENDING_UNCONFIRMED_PER_EMAIL = 100
    codes = [
        client.post(
            "/lapor/",
            form_data(waste, pin, reporter_email="Satu@Example.id", title=f"Sampah di gang {i}"),
            REMOTE_ADDR=f"10.0.1.{i}",
            HTTP_ACCEPT_LANGUAGE="en",
        ).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]


def test_rate_limit_per_account(client, citizen, waste, pin, settings):
    settings.FILING_RATE_LIMIT = "2/h"
    client.force_login(citizen)
    codes = [
        # Three different reports: the same one sent again would fold onto the first instead.
        client.post(
            "/lapor/",
            form_data(waste, pin, title=f"Sampah di gang {i}"),
            REMOTE_ADDR=f"10.0.0.{i}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        for i in range(3)
    ]
    assert [c.status_code for c in codes] == [302, 302, 429]
    assert "many reports in a short time" in codes[-1].content.decode()
    assert "Sudah seminggu" in codes[-1].content.decode()  # what was typed is still there


def test_pending_unconfirmed_tickets_per_email_are_capped(client, waste, pin, settings):
    settings.MAX_PENDING_UNCONFIRMED_PER_EMAIL = 2
    for i in range(2):
        data = form_data(waste, pin, reporter_email="satu@example.id", title=f"Sampah di gang {i}")
        client.post("/lapor/", data, REMOTE_ADDR=f"10.2.0.{i}")
    third = client.post(
        "/lapor/",
        form_data(waste, pin, reporter_email="satu@example.id", title="Sampah di gang 3"),
        REMOTE_ADDR="10.2.0.9",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert third.status_code == 400 and "waiting for confirmation" in third.content.decode()
    assert Ticket.objects.count() == 2


def test_the_owner_of_a_typed_address_deletes_the_reports_filed_in_their_name(client, waste, pin, settings):
    """A stranger filed two reports with satu@example.id, which kept its owner from filing without an account: the
    owner's confirmation emails let them delete the reports instead of confirming them; a confirmed one stays."""
    settings.MAX_PENDING_UNCONFIRMED_PER_EMAIL = 2
    for i in range(2):
        data = form_data(waste, pin, reporter_email="satu@example.id", title=f"Sampah palsu {i}")
        client.post("/lapor/", data, REMOTE_ADDR=f"10.3.0.{i}")
    junk, other = Ticket.objects.order_by("pk")
    # The email tells its reader how to delete it (it said "ignore this email: nothing will happen").
    from complaints.mail import _render
    from complaints.models import Notification

    _subject, body = _render(Notification.objects.get(ticket=junk, template="confirm_ticket"))  # in Indonesian
    assert "“Bukan saya: hapus laporan ini”" in body and "tidak akan terjadi apa-apa" not in body
    owner = client.__class__()
    page = owner.get(f"/lapor/konfirmasi/{junk.confirmation_token}/").content.decode()
    assert 'id="not-me"' in page and 'id="confirm-report"' in page
    deleted = owner.post(f"/lapor/konfirmasi/{junk.confirmation_token}/", {"not_me": "1"})
    assert deleted.status_code == 200 and 'id="discarded"' in deleted.content.decode()
    assert not Ticket.objects.filter(pk=junk.pk).exists()
    again = owner.get(f"/lapor/konfirmasi/{junk.confirmation_token}/")
    assert again.status_code == 404 and 'id="link-gone"' in again.content.decode()  # says why, not a bare 404

    # One slot is free again: the owner files their own report.
    mine = owner.post(
        "/lapor/", form_data(waste, pin, reporter_email="satu@example.id", title="Punya saya"), REMOTE_ADDR="10.3.1.1"
    )
    assert mine.status_code == 302

    # A confirmed report is not deleted by its link.
    owner.post(f"/lapor/konfirmasi/{other.confirmation_token}/")
    owner.post(f"/lapor/konfirmasi/{other.confirmation_token}/", {"not_me": "1"})
    assert Ticket.objects.filter(pk=other.pk, email_confirmed=True).exists()


def test_staff_files_on_behalf_of_a_citizen_without_account(client, staff_dlh, waste, pin):
    client.force_login(staff_dlh)
    page = client.get("/lapor/").content.decode()
    assert 'name="channel"' in page
    response = client.post(
        "/lapor/",
        form_data(waste, pin, channel="phone", reporter_name="Pak Amat", reporter_phone="0811500112"),
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.PHONE and ticket.filed_by == staff_dlh and ticket.reporter is None
    assert ticket.reporter_name == "Pak Amat" and ticket.email_confirmed
    assert ticket.reference in client.get(response.url).content.decode()


def test_assisted_filing_needs_the_citizens_name_and_contact(client, staff_dlh, waste, pin):
    client.force_login(staff_dlh)
    response = client.post("/lapor/", form_data(waste, pin, channel="assisted"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "citizen&#x27;s name" in html or "citizen's name" in html


def test_citizen_cannot_choose_the_assisted_channel(client, citizen, waste, pin):
    client.force_login(citizen)
    assert 'name="channel"' not in client.get("/lapor/").content.decode()
    client.post("/lapor/", form_data(waste, pin, channel="phone"))
    assert Ticket.objects.get().channel == Channel.WEB


def test_locate_endpoint_names_the_kelurahan(client, pin):
    inside = client.get(f"/lapor/lokasi/?lat={pin[0]}&lng={pin[1]}").json()
    assert inside["inside"] and inside["kelurahan"] == "Mawar"
    assert client.get("/lapor/lokasi/?lat=-6.2&lng=106.8").json()["inside"] is False


def test_photo_upload_endpoint_keeps_the_photo_and_suggests_its_gps(client, city, pin):
    response = client.post("/lapor/foto/", {"photo": upload(jpeg_bytes(gps=pin))}).json()
    assert response["token"] and response["gps"]["lat"] == pytest.approx(pin[0], abs=1e-4)
    refused = client.post(
        "/lapor/foto/", {"photo": upload(b"<?php echo 1; ?>", name="x.jpg")}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400 and "not a photo" in refused.json()["error"]


def test_boundaries_are_served_for_maps(client, city):
    data = client.get("/peta/kelurahan.geojson").json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 52


def test_subscription_for_the_reporter(client, citizen, waste, pin):
    client.force_login(citizen)
    client.post("/lapor/", form_data(waste, pin))
    assert Subscription.objects.filter(user=citizen, reason="reporter").count() == 1


def test_filer_without_account_can_stop_emails_from_the_link(client, waste, pin, staff_dlh):
    from complaints.events import record_event
    from complaints.notifications import notify_followers

    client.post("/lapor/", form_data(waste, pin, reporter_email="tanpa.akun@example.id"))
    ticket = Ticket.objects.get()
    from complaints.mail import _render

    _subject, body = _render(Notification.objects.get(template="confirm_ticket"))  # the link is made at sending
    path = re.search(r"/lapor/berhenti/\S+/", body).group(0)
    assert client.get(path).status_code == 200
    assert client.post(path[:-3] + "xx/").status_code == 404  # a tampered link does nothing
    assert client.post(path).status_code == 200
    event = record_event(ticket=ticket, type=EventType.REPLY, actor=staff_dlh, payload={"message": "Kami cek"})
    assert notify_followers(ticket=ticket, event=event) == 0


@pytest.mark.parametrize("supporters,wording", [(0, "0 supporters"), (1, "1 supporter"), (2, "2 supporters")])
def test_similar_reports_count_their_supporters_in_good_english(client, waste, supporters, wording):
    from tests.factories import make_ticket

    nearby = make_ticket(support_count=supporters)
    partial = client.get(
        "/lapor/serupa/", {"service": waste.pk, "lat": nearby.lat, "lng": nearby.lng}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert f"· {wording}</div>" in partial


def test_the_same_form_sent_twice_files_one_report_and_says_so(client, citizen, waste, pin):
    """A double click or the back button and "send" again: one report, and the second answer names it."""
    client.force_login(citizen)
    page = client.get("/lapor/").content.decode()
    key = re.search(r'name="filing_key" value="([0-9a-f-]{36})"', page).group(1)
    first = client.post("/lapor/", form_data(waste, pin, filing_key=key))
    again = client.post("/lapor/", form_data(waste, pin, filing_key=key), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    ticket = Ticket.objects.get()
    assert first.url == again.redirect_chain[-1][0] == f"/laporan/{ticket.reference}/"
    assert f"This report was already sent and received as {ticket.reference}" in again.content.decode()
    # Behind the back button the same form, now about something else, is a new report, and its own repeat folds.
    other = form_data(waste, pin, filing_key=key, title="Lampu jalan mati", description="Gelap sejak Senin.")
    second = client.post("/lapor/", other)
    assert client.post("/lapor/", other).url == second.url != first.url
    assert Ticket.objects.count() == 2
    # A form shown again after an error keeps its key; a fresh form gets a new one.
    refused = client.post("/lapor/", form_data(waste, pin, filing_key=key, title="")).content.decode()
    assert f'name="filing_key" value="{key}"' in refused
    assert f'name="filing_key" value="{key}"' not in client.get("/lapor/").content.decode()


def test_a_visitor_sending_the_form_twice_gets_the_received_page_of_one_report(client, waste, pin):
    data = form_data(waste, pin, reporter_email="warga.tanpa.akun@example.id", filing_key=str(uuid.uuid4()))
    first = client.post("/lapor/", data)
    again = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en")
    ticket = Ticket.objects.get()
    assert first.url == again.url == f"/lapor/terkirim/{ticket.reference}/"
    page = client.get(again.url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "already sent and received as" in page.content.decode()
    assert Notification.objects.filter(template="confirm_ticket").count() == 1


def test_the_same_text_about_another_place_or_service_is_a_report_of_its_own(client, citizen, waste, pin, city):
    from services.models import Area, Service

    client.force_login(citizen)
    key = str(uuid.uuid4())
    client.post("/lapor/", form_data(waste, pin, filing_key=key))
    elsewhere = Area.objects.get(code="63.71.01.1001")  # another kelurahan, chosen from the list
    client.post("/lapor/", form_data(waste, None, filing_key=key, area=str(elsewhere.pk)))
    lamp = Service.objects.get(code="pju-mati")
    client.post("/lapor/", form_data(lamp, pin, filing_key=key))
    assert Ticket.objects.count() == 3


def test_a_reloaded_form_sent_again_with_the_same_report_folds_within_minutes(
    client, citizen, waste, pin, time_machine
):
    """The browser reloaded the page behind the back button: it refilled the text, the page has a new key."""
    import datetime as dt

    from django.utils import timezone

    client.force_login(citizen)
    time_machine.move_to(timezone.now(), tick=False)
    first = client.post("/lapor/", form_data(waste, pin, filing_key=str(uuid.uuid4())))
    time_machine.shift(dt.timedelta(minutes=9))
    assert client.post("/lapor/", form_data(waste, pin, filing_key=str(uuid.uuid4()))).url == first.url
    assert Ticket.objects.count() == 1
    time_machine.shift(dt.timedelta(minutes=2))  # later it is a report of its own (routing flags the duplicate)
    client.post("/lapor/", form_data(waste, pin, filing_key=str(uuid.uuid4())))
    assert Ticket.objects.count() == 2
