"""Ticket photos go only to who may see the page that shows them (complaints.photo_views).

A photo's random file name is no permission: the portal's /foto/<id>/ answers for a photo the asker's citizen ticket
page shows (public ticket, or their own, guest link or supported one; never a photo of an internal event) or for any
photo of a ticket their staff ticket page opens; everyone else gets the 404 of a photo that does not exist. The files
themselves are not served under /media/tickets/.
"""

from __future__ import annotations

import importlib
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from complaints import follow, photos
from complaints.events import record_event
from complaints.models import Attachment, EventType, Privacy, Status, Subscription, TicketEvent
from services.models import StaffMembership
from tests.factories import make_ticket
from tests.staff.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

GUEST = "tamu@example.id"


def add_photo(ticket, *, purpose=Attachment.Purpose.REPORT, event=None, state=Attachment.State.READY, thumb=True):
    """A photo as the photo task leaves it: re-encoded JPEG and thumbnail under MEDIA_ROOT/tickets/."""
    attachment = Attachment(ticket=ticket, event=event, purpose=purpose, state=state)
    if state == Attachment.State.READY:
        full, small, attachment.width, attachment.height = photos.reencode(jpeg_bytes(size=(400, 300)))
        name = f"{uuid.uuid4().hex}.jpg"
        attachment.image.save(name, ContentFile(full), save=False)
        if thumb:
            attachment.thumbnail.save(name, ContentFile(small), save=False)
    attachment.save()
    return attachment


def filing_event(ticket):
    return TicketEvent.objects.filter(ticket=ticket, type=EventType.SUBMITTED).first() or record_event(
        ticket=ticket, type=EventType.SUBMITTED, payload={"channel": "web"}, public=True
    )


def internal_note(ticket, actor=None):
    return record_event(ticket=ticket, type=EventType.NOTE, actor=actor, payload={"message": "x"}, public=False)


def fetch(client, url):
    """The response and its body (reading a FileResponse to the end closes it: the test client's wrapper)."""
    response = client.get(url)
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def stored_bytes(field) -> bytes:
    with field.storage.open(field.name, "rb") as file:
        return file.read()


def sees(client, attachment) -> bool:
    """Whether the client gets the photo; a refusal must be the plain 404 of a photo that does not exist."""
    response, body = fetch(client, attachment.url)
    if response.status_code == 200:
        assert body == stored_bytes(attachment.image)
        return True
    assert response.status_code == 404 and not response.has_header("X-Accel-Redirect")
    return False


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def confidential(citizen):
    ticket = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL, title="Pungutan liar di kantor kelurahan")
    return ticket, add_photo(ticket, event=filing_event(ticket))


# --- who sees a confidential report's photo ------------------------------------------------------------------------


def test_a_confidential_reports_photo_goes_to_its_reporter_department_and_inspectors_only(
    client, confidential, citizen, other_citizen, staff_dlh, head_dlh, inspector, staff_pupr, administrator
):
    _, photo = confidential
    for user in (citizen, staff_dlh, head_dlh, inspector):
        assert sees(as_user(client, user), photo), user
    # Outside: nobody signed in, another citizen, another department, an administrator of another department.
    for user in (None, other_citizen, staff_pupr, administrator):
        assert not sees(as_user(client, user), photo), user
        assert fetch(client, photo.thumbnail_url)[0].status_code == 404


def test_the_small_size_is_the_thumbnail_or_the_photo_when_it_has_none(client, citizen):
    ticket = make_ticket(reporter=citizen)
    photo = add_photo(ticket)
    old = add_photo(ticket, thumb=False)
    response, body = fetch(client, photo.thumbnail_url)
    assert response.status_code == 200 and body == stored_bytes(photo.thumbnail) != stored_bytes(photo.image)
    response, body = fetch(client, old.thumbnail_url)
    assert response.status_code == 200 and body == stored_bytes(old.image)


def test_a_guest_reporter_sees_their_confidential_photo_once_their_follow_link_was_opened(client, city):
    ticket = make_ticket(reporter=None, reporter_email=GUEST, privacy=Privacy.CONFIDENTIAL)
    Subscription.objects.create(ticket=ticket, email=GUEST, reason=Subscription.Reason.REPORTER)
    photo = add_photo(ticket, event=filing_event(ticket))
    assert not sees(client, photo)
    link = follow.follow_url(ticket)
    assert client.get("/" + link.split("/", 3)[3]).status_code == 302  # the grant is in the session now
    assert sees(client, photo)
    # The grant is for the address the link was signed for: a changed reporter address ends it.
    type(ticket).objects.filter(pk=ticket.pk).update(reporter_email="baru@example.id")
    assert not sees(client, photo)


def test_a_staff_member_who_left_the_department_loses_the_photos_with_the_tickets(client, confidential, staff_dlh):
    _, photo = confidential
    as_user(client, staff_dlh)
    assert sees(client, photo)
    StaffMembership.objects.filter(user=staff_dlh).update(active=False)
    assert not sees(client, photo)  # same session, same link from the browser history


def test_a_public_reports_photo_is_anyones(client, citizen):
    ticket = make_ticket(reporter=citizen, privacy=Privacy.ANONYMOUS)
    photo = add_photo(ticket, event=filing_event(ticket))
    assert sees(client, photo)
    assert fetch(client, photo.thumbnail_url)[0].status_code == 200


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REJECTED])
def test_a_report_not_public_yet_or_rejected_shows_its_photo_to_its_reporter_only(client, citizen, staff_dlh, status):
    ticket = make_ticket(reporter=citizen, status=status, department="dlh")
    photo = add_photo(ticket, event=filing_event(ticket))
    assert not sees(client, photo)
    assert sees(as_user(client, citizen), photo)
    assert sees(as_user(client, staff_dlh), photo)


def test_a_supporter_keeps_the_photo_of_a_report_they_support_after_it_is_rejected(client, citizen, other_citizen):
    from complaints.actions import support_ticket

    ticket = make_ticket(reporter=citizen)
    photo = add_photo(ticket, event=filing_event(ticket))
    support_ticket(ticket=ticket, user=other_citizen)
    type(ticket).objects.filter(pk=ticket.pk).update(status=Status.REJECTED)
    assert not sees(client, photo)
    assert sees(as_user(client, other_citizen), photo)


def test_a_photo_on_an_internal_event_is_for_staff_only(client, citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen)
    photo = add_photo(ticket, purpose=Attachment.Purpose.INFO, event=internal_note(ticket, staff_dlh))
    assert not sees(client, photo)
    assert not sees(as_user(client, citizen), photo)
    assert sees(as_user(client, staff_dlh), photo)


@pytest.mark.parametrize("state", [Attachment.State.PENDING, Attachment.State.REJECTED])
def test_a_photo_not_ready_is_not_found_even_for_its_department(client, citizen, staff_dlh, state):
    ticket = make_ticket(reporter=citizen)
    photo = add_photo(ticket, state=state)
    # A rejected photo that had files once (a re-run of the task) is still not served.
    photo.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(jpeg_bytes()), save=False)
    Attachment.objects.filter(pk=photo.pk).update(image=photo.image.name)
    for user in (None, citizen, staff_dlh):
        assert fetch(as_user(client, user), photo.url)[0].status_code == 404


def test_a_missing_photo_and_a_forbidden_one_get_the_same_answer(client, confidential):
    _, photo = confidential
    forbidden = client.get(photo.url)
    missing = client.get(reverse("complaints:photo", args=[photo.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404

    def page(response):  # but for the fresh CSRF token every page carries
        return re.sub(rb"\b[A-Za-z0-9]{64}\b", b"<token>", response.content)

    assert page(forbidden) == page(missing)


def test_only_reading_is_allowed(client, citizen):
    photo = add_photo(make_ticket(reporter=citizen))
    assert client.post(photo.url).status_code == 405
    assert client.head(photo.url).status_code == 200


# --- the pages and the photo view agree ------------------------------------------------------------------------------

PHOTO_LINK = re.compile(r'/foto/(\d+)/(?:kecil/)?"')


def linked_photos(client, url) -> set[int]:
    response = client.get(url)
    if response.status_code != 200:
        return set()
    return {int(pk) for pk in PHOTO_LINK.findall(response.content.decode())}


@pytest.mark.parametrize("privacy", [Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL])
def test_everyone_gets_exactly_the_photos_the_pages_they_may_open_show_them(
    privacy, client, citizen, other_citizen, staff_dlh, head_dlh, staff_pupr, inspector, administrator
):
    """Every purpose of photo on a public event, an internal event or none: what a role gets from /foto/ is what its
    citizen and staff ticket pages link to, no more, no less (and all of a ticket's ready photos for its staff)."""
    from complaints.actions import support_ticket

    ticket = make_ticket(reporter=citizen, privacy=privacy)
    public_event = filing_event(ticket)
    internal_event = internal_note(ticket, staff_dlh)
    ready = {
        add_photo(ticket, purpose=purpose, event=event).pk
        for purpose in Attachment.Purpose.values
        for event in (public_event, internal_event, None)
    }
    unready = {add_photo(ticket, state=state).pk for state in (Attachment.State.PENDING, Attachment.State.REJECTED)}
    if privacy != Privacy.CONFIDENTIAL:
        support_ticket(ticket=ticket, user=other_citizen, email="")  # a supporter sees what the public sees
    pages = (reverse("complaints:ticket", args=[ticket.reference]), reverse("staff:ticket", args=[ticket.reference]))
    for user in (None, citizen, other_citizen, staff_dlh, head_dlh, staff_pupr, inspector, administrator):
        as_user(client, user)
        shown = set().union(*(linked_photos(client, page) for page in pages))
        served = {pk for pk in ready | unready if sees(client, Attachment.objects.get(pk=pk))}
        if client.get(pages[1]).status_code == 200:
            # Who opens the staff page gets every ready photo, also one no page links to (a resolution photo whose
            # event is gone).
            assert served == ready and shown <= served, user
        else:
            assert served == shown, (user, served ^ shown)
        if user in (staff_dlh, head_dlh, inspector) or (user == administrator and privacy != Privacy.CONFIDENTIAL):
            assert client.get(pages[1]).status_code == 200, user
    as_user(client, None)
    assert bool(linked_photos(client, pages[0])) == (privacy != Privacy.CONFIDENTIAL)


def test_every_photo_on_both_ticket_pages_links_to_the_photo_view(client, citizen, staff_dlh):
    ticket = make_ticket(reporter=citizen)
    report = add_photo(ticket, event=filing_event(ticket))
    info = add_photo(ticket, purpose=Attachment.Purpose.INFO, event=filing_event(ticket))
    for user, page in ((citizen, "complaints:ticket"), (staff_dlh, "staff:ticket")):
        html = as_user(client, user).get(reverse(page, args=[ticket.reference])).content.decode()
        for photo in (report, info):
            assert f'href="{photo.url}"' in html and f'src="{photo.thumbnail_url}"' in html
        assert "/media/" not in html


def test_open311_gives_the_photo_view_as_media_url_and_it_works_without_login(client, citizen):
    ticket = make_ticket(reporter=citizen)
    photo = add_photo(ticket, event=filing_event(ticket))
    record = client.get(f"/open311/v2/requests/{ticket.reference}.json").json()[0]
    assert record["media_url"] == f"http://testserver{photo.url}"
    assert sees(client, photo)


def test_open311_offers_no_photo_link_that_would_404_for_a_keys_own_rejected_ticket(client, citizen):
    from open311.models import ApiKey

    key, raw = ApiKey.issue(name="Integrasi uji")
    ticket = make_ticket(reporter=citizen, status=Status.REJECTED, api_key=key)
    photo = add_photo(ticket, event=filing_event(ticket))
    record = client.get(f"/open311/v2/requests/{ticket.reference}.json", {"api_key": raw}).json()[0]
    assert record["status"] == "closed"  # the key sees its ticket …
    assert record["media_url"] is None  # … but no link its anonymous fetch could not open
    assert not sees(client, photo)


# --- the answer: headers, nginx, queries -----------------------------------------------------------------------------


def test_django_streams_the_jpeg_privately_when_no_proxy_is_configured(client, citizen, settings):
    settings.PROTECTED_MEDIA_REDIRECT = ""
    photo = add_photo(make_ticket(reporter=citizen))
    response, body = fetch(client, photo.url)
    assert response.streaming and body == stored_bytes(photo.image)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "max-age=" in cache_control and "public" not in cache_control
    assert not response.has_header("X-Accel-Redirect")


def test_behind_nginx_the_answer_is_an_internal_redirect_without_a_body(client, citizen, staff_dlh, settings):
    settings.PROTECTED_MEDIA_REDIRECT = "/_protected/"
    ticket = make_ticket(reporter=citizen, privacy=Privacy.CONFIDENTIAL)
    photo = add_photo(ticket)
    as_user(client, staff_dlh)
    response = client.get(photo.url)
    assert response.status_code == 200 and not response.streaming and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{photo.image.name}"
    assert response["Content-Type"] == "image/jpeg" and "private" in response["Cache-Control"]
    assert client.get(photo.thumbnail_url)["X-Accel-Redirect"] == f"/_protected/{photo.thumbnail.name}"
    # Refused: no redirect, so nginx has nothing to send.
    as_user(client, None)
    refused = client.get(photo.url)
    assert refused.status_code == 404 and not refused.has_header("X-Accel-Redirect")


def test_a_ticket_page_of_ten_thumbnails_costs_one_query_per_thumbnail(
    client, citizen, staff_dlh, django_assert_max_num_queries
):
    """Each thumbnail is its own request: one query decides and reads it (a signed-in user's session, user and roles
    come on top, as on every page)."""
    ticket = make_ticket(reporter=citizen)
    thumbnails = [add_photo(ticket).thumbnail_url for _ in range(10)]
    for url in thumbnails:
        with django_assert_max_num_queries(1):
            assert fetch(client, url)[0].status_code == 200
    as_user(client, staff_dlh)
    for url in thumbnails:
        # session, user, the user's groups and memberships (roles), departments, the photo
        with django_assert_max_num_queries(6):
            assert fetch(client, url)[0].status_code == 200


# --- the files themselves ------------------------------------------------------------------------------------------


@pytest.fixture
def demo_urls():
    """The URLs as DEMO_MODE builds them (smartcity/urls.py adds /media/ then), restored afterwards."""
    import smartcity.urls

    with override_settings(DEMO_MODE=True):
        importlib.reload(smartcity.urls)
        clear_url_caches()
        yield
    importlib.reload(smartcity.urls)
    clear_url_caches()


def test_demo_mode_serves_planning_photos_but_no_ticket_photo_file(client, citizen, settings, demo_urls):
    photo = add_photo(make_ticket(reporter=citizen))  # a public ticket's, even
    planning = settings.MEDIA_ROOT / "planning" / "proposals" / "2026" / "01" / "taman.jpg"
    planning.parent.mkdir(parents=True)
    planning.write_bytes(jpeg_bytes())
    response, body = fetch(client, "/media/planning/proposals/2026/01/taman.jpg")
    assert response.status_code == 200 and body == planning.read_bytes()
    name = photo.image.name
    assert name.startswith("tickets/")
    for path in (name, photo.thumbnail.name, f"./{name}", f"/{name}", f"planning/../{name}"):
        assert client.get(f"/media/{path}").status_code == 404, path
    assert sees(client, photo)  # through the portal, for who may see it
