"""A DLH staff member works the queue in Debian's chromium: filters, verifies, replies with a canned
response, forwards a ticket that is not theirs (it leaves DLH's queue and appears in PUPR's), merges
a duplicate and resolves the original with a photo. The citizen's page shows the public parts of
all of it and none of the internal notes."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import make_ticket
from tests.staff.conftest import jpeg_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, user):
    """A browser context with a session for ``user`` (the login form is tested elsewhere)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(TIMEOUT_MS)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
    )
    page = context.new_page()
    page.on("pageerror", lambda error: print("page error:", error))
    page.on("response", lambda r: r.status >= 400 and print("http", r.status, r.url))
    return page


def queue_references(page) -> set[str]:
    return set(
        page.eval_on_selector_all("#queue-table tr[data-reference]", "rows => rows.map(r => r.dataset.reference)")
    )


def run_action(page, name: str) -> None:
    page.click(f"#action-{name} .accordion-button")
    page.wait_for_selector(f"#action-body-{name}.show")


def submit_action(page, name: str) -> None:
    with page.expect_navigation():
        page.click(f"#form-{name} button[type=submit]")


def test_staff_member_works_the_queue(live_server, browser, city, citizen, other_citizen, staff_dlh, staff_pupr):
    from complaints.models import CannedResponse, EventType, Status, Ticket, TicketEvent
    from services.models import Area, Department

    base = live_server.url
    dlh = Department.objects.get(code="dlh")
    CannedResponse.objects.create(
        department=dlh,
        title="Sedang ditangani",
        body="Laporan {reference} tentang {service} di {kelurahan} sedang ditangani {department}.",
    )
    original = make_ticket(reporter=citizen, title="Sampah menumpuk di Gang Mawar")
    duplicate = make_ticket(reporter=other_citizen, title="Tumpukan sampah Gang Mawar lagi")
    wrong = make_ticket(title="Jalan berlubang di Gang Mawar", description="Lubang besar di tengah jalan.")
    elsewhere = Area.objects.filter(level="kelurahan").exclude(code="63.71.05.1003").first()
    other = make_ticket(kelurahan=elsewhere, title="Sampah di tempat lain")

    # 1. Filter the queue (htmx swaps the table, the page does not reload).
    page = signed_in_page(browser, live_server, staff_dlh)
    page.goto(f"{base}/staf/antrian/")
    assert {original.reference, duplicate.reference, wrong.reference, other.reference} <= queue_references(page)
    page.evaluate("window.__notReloaded = true")
    page.select_option("#filter-kelurahan", str(original.area_id))
    page.wait_for_function(
        "ref => !document.querySelector(`#queue-table tr[data-reference='${ref}']`)", arg=other.reference
    )
    assert queue_references(page) == {original.reference, duplicate.reference, wrong.reference}
    assert page.evaluate("window.__notReloaded") is True

    # 2. Open the original and verify it.
    with page.expect_navigation():
        page.click(f"#queue-table a:text-is('{original.reference}')")
    run_action(page, "acknowledge")
    submit_action(page, "acknowledge")
    assert Ticket.objects.get(pk=original.pk).status == Status.ACKNOWLEDGED

    # 3. Reply with the department's canned response, filled in for this ticket.
    run_action(page, "reply")
    page.select_option("#id_reply-canned_response", label="Sedang ditangani")
    page.wait_for_function(
        "ref => document.getElementById('id_reply-message').value.includes(ref)", arg=original.reference
    )
    submit_action(page, "reply")
    reply = TicketEvent.objects.get(ticket=original, type=EventType.REPLY)
    assert "Mawar" in reply.payload["message"] and "DLH" in reply.payload["message"]

    # 4. An internal note the citizen must never see.
    run_action(page, "note")
    page.fill("#id_note-message", "Catatan internal: truk rusak minggu ini.")
    submit_action(page, "note")
    assert page.locator("#timeline li.internal").count() == 1

    # 5. Forward the ticket that is not DLH's, with a reason: it leaves this queue and reaches PUPR's.
    page.goto(f"{base}/staf/tiket/{wrong.reference}/")
    run_action(page, "forward")
    page.select_option("#id_forward-department", label="Dinas PUPR – Dinas Pekerjaan Umum dan Penataan Ruang")
    page.fill("#id_forward-reason", "Bukan wewenang DLH: jalan rusak ditangani Dinas PUPR.")
    submit_action(page, "forward")
    assert page.url.endswith("/staf/antrian/")
    assert wrong.reference not in queue_references(page)
    pupr_page = signed_in_page(browser, live_server, staff_pupr)
    pupr_page.goto(f"{base}/staf/antrian/")
    assert wrong.reference in queue_references(pupr_page)
    pupr_page.context.close()

    # 6. Merge the duplicate into the original.
    page.goto(f"{base}/staf/tiket/{duplicate.reference}/")
    run_action(page, "merge")
    page.fill("#id_merge-into", original.reference)
    submit_action(page, "merge")
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE and duplicate.duplicate_of_id == original.pk
    assert Ticket.objects.get(pk=original.pk).support_count == 1

    # 7. Resolve the original with a photo.
    page.goto(f"{base}/staf/tiket/{original.reference}/")
    run_action(page, "resolve")
    page.fill("#id_resolve-note", "Sampah sudah diangkut dan lokasi dibersihkan.")
    page.set_input_files(
        "#id_resolve-photos", files=[{"name": "bersih.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    submit_action(page, "resolve")
    original.refresh_from_db()
    assert original.status == Status.RESOLVED and original.attachments.filter(purpose="resolution").count() == 1
    page.context.close()

    # 8. The citizen sees the public parts and none of the internal note.
    public_events = TicketEvent.objects.filter(ticket=original, public=True).values_list("type", flat=True)
    assert set(public_events) >= {EventType.ACKNOWLEDGED, EventType.REPLY, EventType.MERGED_IN, EventType.RESOLVED}
    assert not TicketEvent.objects.filter(ticket=original, public=True, type=EventType.NOTE).exists()
    citizen_page = signed_in_page(browser, live_server, citizen)
    citizen_page.goto(f"{base}/laporan/{original.reference}/")
    text = citizen_page.locator("main").inner_text()
    assert reply.payload["message"] in text
    assert "Sampah sudah diangkut dan lokasi dibersihkan." in text
    assert "truk rusak" not in text
    # The resolution photo, through the portal's checked address, and it loads for the reporter.
    photo = citizen_page.locator("#timeline img[src*='/foto/']").first
    photo.wait_for()
    citizen_page.wait_for_function("img => img.complete", arg=photo.element_handle())
    assert photo.evaluate("img => img.naturalWidth") > 0, photo.get_attribute("src")
    assert citizen_page.locator("main img[src*='/media/']").count() == 0
    citizen_page.goto(f"{base}/laporan/{duplicate.reference}/")
    assert citizen_page.locator(f"main a[href='/laporan/{original.reference}/']").count() >= 1  # merged into
    citizen_page.goto(f"{base}/laporan/{wrong.reference}/")
    wrong_text = citizen_page.locator("main").inner_text()
    assert "Bukan wewenang DLH" in wrong_text


def test_queue_keeps_its_page_size_and_fits_a_phone(live_server, browser, city, staff_dlh):
    """The "Rows" selector shows the 50 rows the queue shows by default, and changing the sort keeps them (the
    selector said 25, and the sort change sent page_size=25). At 390 px the page does not scroll sideways: the
    save-filter form wraps instead of clipping its button and squashing the name box."""
    for _ in range(30):
        make_ticket()
    page = signed_in_page(browser, live_server, staff_dlh)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/staf/antrian/?status=all")
    assert len(queue_references(page)) == 30
    assert page.input_value("#filter-page_size") == "50"
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
    button = page.locator("#save-filter-form button[type=submit]").bounding_box()
    name = page.locator("#save-filter-form input[name=name]").bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= 390
    assert name["width"] >= 150
    page.click("#queue-filters-toggle")  # folded on a phone
    page.select_option("#filter-sort", "-age")
    page.wait_for_url("**sort=-age**")
    assert "page_size=50" in page.url
    page.wait_for_function("() => document.querySelectorAll('#queue-table tr[data-reference]').length === 30")
    assert page.input_value("#filter-page_size") == "50"
    page.context.close()
