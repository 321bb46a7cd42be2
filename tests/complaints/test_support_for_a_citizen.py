""" "Me too" said by staff filing for a citizen, and the per-connection limit of "me too"s that email a link.

A QA walk: a call-centre operator filing for a phone caller saw the similar reports in the kelurahan, typed the
caller's email and clicked "me too". The operator's own account became the supporter (subscribed, counted, the
'supported' event theirs), the caller's address was ignored, and the browser left the half-filled form for the
report's page. Now it is the caller's "me too", confirmed from the caller's address as a guest's is, and the operator
stays on the form with the answer next to the button. And the limit per internet address, whose reason is the
confirmation emails, no longer refuses a signed-in citizen after guests on the same connection used it up.
"""

from __future__ import annotations

import html

import pytest
from django.test import Client

from complaints.actions import confirm_support, support_confirmation_token
from complaints.models import EventType, Notification, Subscription, TicketEvent
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

CALLER = "penelepon.112@example.id"
CALL_CENTRE_IP = "10.112.0.5"


@pytest.fixture
def operator(city):
    """A call-centre operator: staff of a department, filing at /lapor/ for whoever phones."""
    return make_staff("operator.112@banjarmasinkota.go.id", "dishub")


def me_too_from_the_form(client, ticket, *, channel, reporter_email="", ip=CALL_CENTRE_IP):
    """ "Me too" from the filing form's similar reports, as its script sends it (htmx): the form's email field and
    how the citizen contacted the staff member."""
    return client.post(
        f"/laporan/{ticket.reference}/dukung/",
        {"reporter_email": reporter_email, "channel": channel},
        REMOTE_ADDR=ip,
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_an_operator_filing_for_a_caller_says_me_too_for_the_caller(client, operator):
    ticket = make_ticket()
    client.force_login(operator)

    answer = me_too_from_the_form(client, ticket, channel="phone", reporter_email="Penelepon.112@example.id")

    # The operator stays on the form: the answer goes next to the button, no redirect to the report.
    assert answer.status_code == 200 and "HX-Redirect" not in answer.headers
    assert f"We emailed {CALLER} a link to confirm the citizen's “me too”" in html.unescape(answer.content.decode())
    # Nothing of it is the operator's, and nothing counts before the caller confirms.
    ticket.refresh_from_db()
    assert ticket.support_count == 0
    assert not Subscription.objects.filter(ticket=ticket, user=operator).exists()
    assert not TicketEvent.objects.filter(ticket=ticket, type=EventType.SUPPORTED).exists()
    waiting = Subscription.objects.get(ticket=ticket, email=CALLER)
    assert not waiting.email_confirmed and not waiting.active
    # The caller is emailed in the city's language: the operator's English says nothing of the caller's.
    assert waiting.language == "id"
    assert Notification.objects.filter(template="confirm_support", email=CALLER, language="id").count() == 1
    # It tells the caller who said it, not "someone, probably you".
    from complaints.mail import _render

    email = Notification.objects.get(template="confirm_support", email=CALLER)
    email.language = "en"
    _subject, body = _render(email)
    assert "A city officer you spoke to (by phone or at their office) said “me too” for you" in body
    assert "probably you" not in body

    confirm_support(token=support_confirmation_token(waiting.pk))
    ticket.refresh_from_db()
    assert ticket.support_count == 1
    assert TicketEvent.objects.get(ticket=ticket, type=EventType.SUPPORTED).actor is None
    assert not Subscription.objects.filter(ticket=ticket, user=operator).exists()


def test_without_the_callers_email_the_operator_is_told_to_type_it_first(client, operator):
    ticket = make_ticket()
    client.force_login(operator)

    answer = me_too_from_the_form(client, ticket, channel="assisted")

    assert answer.status_code == 400
    said = html.unescape(answer.content.decode())
    assert 'href="#id_reporter_email"' in said and "Type the citizen's email address below first" in said
    assert "A citizen without an email address cannot be counted." in said
    assert not Subscription.objects.filter(ticket=ticket).exists()


def test_staff_reporting_for_themselves_and_citizens_support_at_once(client, operator, citizen):
    """ "I report for myself" on the filing form: the staff member's own "me too", as a signed-in citizen's. A citizen
    sending a channel is no staff member filing for anyone."""
    ticket = make_ticket()
    client.force_login(operator)
    answer = me_too_from_the_form(client, ticket, channel="web", reporter_email=CALLER)
    assert answer.headers["HX-Redirect"] == f"/laporan/{ticket.reference}/"
    assert Subscription.objects.filter(ticket=ticket, user=operator, active=True).exists()

    client.force_login(citizen)
    answer = me_too_from_the_form(client, ticket, channel="phone", reporter_email=CALLER)
    assert answer.headers["HX-Redirect"] == f"/laporan/{ticket.reference}/"
    ticket.refresh_from_db()
    assert ticket.support_count == 2
    assert not Subscription.objects.filter(ticket=ticket, email=CALLER).exists()


def test_the_connections_limit_counts_only_me_toos_that_email_a_link(client, operator, citizen, settings):
    """After guests on one connection used up its "me too"s, a signed-in citizen there was refused with "Many 'me
    too's were sent from your internet connection": theirs sends no email, and now counts nothing."""
    settings.SUPPORT_IP_RATE_LIMIT = "2/h"
    tickets = [make_ticket() for _ in range(4)]
    for number, ticket in enumerate(tickets[:2]):
        guest = Client().post(
            f"/laporan/{ticket.reference}/dukung/", {"email": f"tamu{number}@example.id"}, REMOTE_ADDR=CALL_CENTRE_IP
        )
        assert guest.status_code == 302

    client.force_login(citizen)
    supported = client.post(f"/laporan/{tickets[2].reference}/dukung/", REMOTE_ADDR=CALL_CENTRE_IP)
    assert supported.status_code == 302
    tickets[2].refresh_from_db()
    assert tickets[2].support_count == 1

    # A caller's "me too" emails a link, as a guest's does: it is held back with the guests'.
    client.force_login(operator)
    refused = me_too_from_the_form(client, tickets[3], channel="phone", reporter_email=CALLER)
    assert refused.status_code == 400
    assert "Many “me too”s were sent from your internet connection" in refused.content.decode()
    assert not Subscription.objects.filter(ticket=tickets[3]).exists()


def test_the_similar_reports_tell_staff_whose_email_a_me_too_uses(client, operator, citizen):
    """The hint under "me too" told guests their typed address is used; staff filing for a citizen were told
    nothing, though the citizen's typed address is used and the citizen confirms."""
    ticket = make_ticket()
    ask = {"service": ticket.service_id, "area": ticket.area_id}
    hint = "we use the citizen's email address below, and they confirm it"
    client.cookies["django_language"] = "en"
    client.force_login(operator)
    assert hint in html.unescape(client.get("/lapor/serupa/", ask).content.decode())
    client.force_login(citizen)
    assert hint not in html.unescape(client.get("/lapor/serupa/", ask).content.decode())
