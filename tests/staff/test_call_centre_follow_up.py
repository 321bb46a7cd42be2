"""The call centre's follow-up of reports filed for phone callers, and what the ticket page tells staff: who reads
an action's text, a citizen only reachable by phone, a ticket forwarded away since the email's link was sent."""

from __future__ import annotations

import html as markup
import re

import pytest
from django.urls import reverse

from complaints import actions
from complaints.models import Channel, EventType, Privacy, Status, TicketEvent
from services.models import Department
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _phone_report(filer, **fields):
    """A report a call-centre operator typed for a phone caller: no account, no email."""
    fields.setdefault("privacy", Privacy.CONFIDENTIAL)
    return make_ticket(
        reporter_email="",
        reporter_name="Pak Amat",
        reporter_phone="0811500112",
        channel=Channel.PHONE,
        filed_by=filer,
        title="Sampah di belakang rumah Pak Amat",
        **fields,
    )


def _page(client, url):
    return markup.unescape(client.get(url).content.decode())


# --- 1. the operator finds the report they filed ------------------------------------------------------------------


@pytest.fixture
def operator(city):
    """A call-centre operator: staff of another department than the one handling the report (DLH)."""
    return make_staff("operator.112@banjarmasinkota.go.id", "dishub")


def test_the_operator_finds_a_confidential_report_they_filed_and_reads_its_status_and_public_timeline(
    client, operator, staff_dlh
):
    ticket = _phone_report(operator)
    actions.acknowledge_ticket(ticket=ticket, actor=staff_dlh)
    actions.add_internal_note(ticket=ticket, actor=staff_dlh, message="Catatan rahasia petugas")
    TicketEvent.objects.create(
        ticket=ticket, type=EventType.CITIZEN_INFO, payload={"message": "Jawaban pribadi pelapor"}, public=True
    )
    client.force_login(operator)

    mine = _page(client, reverse("complaints:my_reports"))
    assert 'id="filed-for-others-link"' in mine and ticket.reference not in mine
    listed = _page(client, reverse("complaints:my_reports") + "?role=for_others")
    assert ticket.reference in listed and "filed for a citizen" in listed

    response = client.get(reverse("complaints:ticket", args=[ticket.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ticket.title in html and str(Status.ACKNOWLEDGED.label) in html
    assert "Catatan rahasia petugas" not in html  # internal
    assert "Jawaban pribadi pelapor" not in html  # what the reporter adds later
    assert "0811500112" not in html and "Pak Amat" not in html.replace(ticket.title, "")

    # Their staff link to it opens that page, not a 404.
    staff_page = client.get(reverse("staff:ticket", args=[ticket.reference]))
    assert staff_page.status_code == 302 and staff_page.url == reverse("complaints:ticket", args=[ticket.reference])


def test_nobody_else_gains_access_to_a_report_filed_for_someone(client, operator, citizen):
    ticket = _phone_report(operator)
    colleague = make_staff("operator.lain@banjarmasinkota.go.id", "dishub")  # same department, did not file it
    for user in (colleague, citizen, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(reverse("complaints:ticket", args=[ticket.reference])).status_code == 404
    client.force_login(colleague)
    assert client.get(reverse("staff:ticket", args=[ticket.reference])).status_code == 404
    assert ticket.reference not in _page(client, reverse("complaints:my_reports") + "?role=for_others")


def test_the_filer_sees_the_photos_they_filed_but_not_those_the_reporter_adds_later(operator, citizen):
    from complaints.models import Attachment
    from complaints.queries import visible_photo

    ticket = _phone_report(operator)
    filed = TicketEvent.objects.create(ticket=ticket, type=EventType.SUBMITTED, actor=operator, public=True)
    answer = TicketEvent.objects.create(ticket=ticket, type=EventType.CITIZEN_INFO, public=True)
    report_photo = Attachment.objects.create(ticket=ticket, event=filed, state=Attachment.State.READY)
    info_photo = Attachment.objects.create(
        ticket=ticket, event=answer, purpose=Attachment.Purpose.INFO, state=Attachment.State.READY
    )
    assert visible_photo(operator, report_photo.pk) == report_photo
    assert visible_photo(operator, info_photo.pk) is None
    assert visible_photo(citizen, report_photo.pk) is None


# --- 2. a citizen reachable only by phone ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "field", "said"),
    [
        ("ask_info", "message", "Question saved on the report's page, but not sent"),
        ("reply", "message", "Reply saved on the report's page, but not sent"),
    ],
)
def test_a_question_or_reply_to_a_caller_without_email_says_to_phone_them(client, staff_dlh, action, field, said):
    ticket = _phone_report(staff_dlh, privacy=Privacy.PUBLIC)
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[ticket.reference, action])
    html = markup.unescape(client.post(url, {f"{action}-{field}": "Di mana tepatnya?"}, follow=True).content.decode())
    assert said in html and "Phone them at 0811500112." in html
    assert "sent to the citizen" not in html
    assert 'id="ticket-no-email"' in html and "Phone them at 0811500112" in html
    ticket.refresh_from_db()
    if action == "ask_info":  # the clock still waits, as for any question
        assert ticket.waiting_for_citizen_since is not None
        assert "the wait ends when you move the ticket on" in html


def test_an_anonymous_callers_number_stays_hidden(client, staff_dlh):
    ticket = _phone_report(staff_dlh, privacy=Privacy.ANONYMOUS)
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[ticket.reference, "ask_info"])
    html = client.post(url, {"ask_info-message": "Di mana tepatnya?"}, follow=True).content.decode()
    assert "not sent" in html and "0811500112" not in html


def test_a_citizen_with_email_is_still_told_it_was_sent(client, staff_dlh, dlh_ticket):
    client.force_login(staff_dlh)
    url = reverse("staff:ticket_action", args=[dlh_ticket.reference, "ask_info"])
    html = client.post(url, {"ask_info-message": "Di mana tepatnya?"}, follow=True).content.decode()
    assert "Question sent to the citizen." in html and 'id="ticket-no-email"' not in html


# --- 3. the link to a ticket forwarded away -------------------------------------------------------------------------


def test_the_forwarding_departments_link_says_where_the_ticket_went_and_nothing_more(client, staff_dlh, staff_pupr):
    ticket = make_ticket(privacy=Privacy.CONFIDENTIAL, title="Rahasia: saluran tersumbat")
    actions.forward_ticket(ticket=ticket, actor=staff_dlh, department=Department.objects.get(code="pupr"), reason="x")
    colleague = make_staff("rekan.dlh@banjarmasinkota.go.id", "dlh")  # same department, never touched it
    client.force_login(colleague)
    response = client.get(reverse("staff:ticket", args=[ticket.reference]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:queue")
    html = response.content.decode()
    assert f"{ticket.reference} was forwarded to Dinas PUPR" in html and "Rahasia" not in html

    client.force_login(make_staff("orang.dinkes@banjarmasinkota.go.id", "dinkes"))
    assert client.get(reverse("staff:ticket", args=[ticket.reference])).status_code == 404


# --- 4. who reads an action's text ----------------------------------------------------------------------------------


def _described(html: str, form_field: str) -> str:
    """The hint a field's aria-describedby points at."""
    field = re.search(rf'<textarea[^>]*name="{form_field}"[^>]*>', html).group(0)
    target = re.search(r'aria-describedby="([^" ]+)', field).group(1)
    return re.search(rf'id="{target}">([^<]*)<', html).group(1)


@pytest.mark.parametrize(
    ("privacy", "hint"),
    [
        (Privacy.PUBLIC, "Everyone reads this on the report's public page, and the citizen in their email."),
        (Privacy.CONFIDENTIAL, "The citizen reads this in their email and on their report's page."),
    ],
)
def test_each_text_the_citizen_reads_says_so_and_describes_its_field(client, staff_dlh, head_dlh, privacy, hint):
    ticket = make_ticket(privacy=privacy, status=Status.IN_PROGRESS)
    client.force_login(head_dlh)
    html = _page(client, reverse("staff:ticket", args=[ticket.reference]))
    for field in ("reply-message", "ask_info-message", "resolve-note", "reject-reason", "forward-reason"):
        assert _described(html, field) == hint, field
    note = re.search(r'<textarea[^>]*name="note-message"[^>]*>', html).group(0)
    assert "aria-describedby" not in note  # an internal note is for staff only
