"""Whom to call when someone is in danger now, beyond the filing form (found in the Ketua RT walk and the storm walk):
the home page has one calm line with tap-to-call numbers, and the page and the citizen's emails of a report that may
be about a danger right now (an emergency service's: fire, disaster, fallen tree; or an urgent one) repeat them.
An ordinary report's page and emails do not."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints import emergency
from complaints.actions.dispatch import route_ticket
from complaints.mail import _render
from complaints.models import EventType, Notification, Status, TicketEvent
from tests.factories import make_ticket

from .test_filing_views import form_data

pytestmark = pytest.mark.django_db

TIMUR = "63.71.02.1001"  # Banjarmasin Timur: fallen trees go to DLH


def tel_links(page: str) -> list[str]:
    return re.findall(r'href="tel:([^"]+)"', page)


def urgent(ticket):
    type(ticket).objects.filter(pk=ticket.pk).update(priority=4)  # routing's danger words, or staff raised it
    ticket.priority = 4
    return ticket


def page(client, ticket, user=None) -> str:
    if user is not None:
        client.force_login(user)
    return client.get(reverse("complaints:ticket", args=[ticket.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


# --- home ------------------------------------------------------------------------------------------------------------


def test_the_home_page_has_one_calm_line_with_tap_to_call_numbers(client, city):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    line = html[html.index('id="emergency-line"') : html.index("</p>", html.index('id="emergency-line"'))]
    assert "Someone in danger right now? This portal is not watched around the clock: call" in line
    assert tel_links(line) == ["112", "123"] and tel_links(html) == ["112", "123"]
    assert "PLN: fallen or sparking power lines" in line
    assert 'role="alert"' not in line and "alert-" not in line  # calm: no red box on the home page


def test_the_home_line_follows_the_citys_setting(client, city, settings):
    settings.EMERGENCY_NUMBERS = [("0511 3252 112", "Damkar Banjarmasin")]
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert tel_links(html) == ["05113252112"] and ">0511 3252 112</a> (Damkar Banjarmasin)" in html


# --- which reports -----------------------------------------------------------------------------------------------


def test_emergency_services_and_urgent_reports_are_emergencies(city, citizen):
    assert emergency.is_emergency(make_ticket(service="kebakaran", reporter=citizen))
    assert emergency.is_emergency(make_ticket(service="pohon-tumbang", reporter=citizen))
    assert emergency.is_emergency(urgent(make_ticket(service="sampah-menumpuk", reporter=citizen)))
    assert not emergency.is_emergency(make_ticket(service="sampah-menumpuk", reporter=citizen))
    # Not routed yet: the danger words routing will read decide.
    words = make_ticket(service="jalan-rusak", status=Status.SUBMITTED, title="Kabel listrik putus, ada percikan")
    assert emergency.is_emergency(words)
    assert not emergency.is_emergency(make_ticket(service="jalan-rusak", status=Status.SUBMITTED))


# --- the report's page -----------------------------------------------------------------------------------------------


def test_an_emergency_services_report_page_says_whom_to_call_to_everyone(client, citizen):
    ticket = make_ticket(service="pohon-tumbang", reporter=citizen)
    for html in (page(client, ticket, citizen), page(client.__class__(), ticket)):
        start = html.index('id="emergency-reminder"')
        reminder = html[start : html.index("</div>", start)]
        assert "If anyone is in danger, call now: this report reaches the department" in reminder
        assert tel_links(reminder) == ["112", "123"]


def test_an_urgent_report_page_says_whom_to_call_in_indonesian_too(client, citizen):
    ticket = urgent(make_ticket(service="sampah-menumpuk", reporter=citizen))
    client.force_login(citizen)
    html = client.get(reverse("complaints:ticket", args=[ticket.reference])).content.decode()
    assert 'id="emergency-reminder"' in html and tel_links(html) == ["112", "123"]


def test_an_ordinary_or_finished_report_page_does_not(client, citizen):
    assert 'id="emergency-reminder"' not in page(client, make_ticket(service="sampah-menumpuk", reporter=citizen))
    closed = make_ticket(service="pohon-tumbang", reporter=citizen, status=Status.CLOSED)
    assert 'id="emergency-reminder"' not in page(client, closed, citizen)


# --- the citizen's emails --------------------------------------------------------------------------------------------


def test_a_guests_confirmation_email_of_a_fallen_tree_says_not_to_wait_and_whom_to_call(client, city, pin):
    from services.models import Service

    tree = Service.objects.get(code="pohon-tumbang")
    data = form_data(tree, pin, title="Pohon tumbang di jalan", reporter_email="warga.badai@example.id")
    assert client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    _subject, body = _render(Notification.objects.get(template="confirm_ticket"))
    assert "If anyone is in danger, do not wait for it: call now:" in body
    assert "112 · Emergencies (police, fire, ambulance, disasters)" in body
    assert "123 · PLN: fallen or sparking power lines" in body
    assert body.index("112 ·") < body.index("Please confirm your email address")


def test_a_guests_confirmation_email_of_an_ordinary_report_names_no_number(client, city, pin):
    from services.models import Service

    waste = Service.objects.get(code="sampah-menumpuk")
    data = form_data(waste, pin, reporter_email="warga.sampah@example.id")
    assert client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    _subject, body = _render(Notification.objects.get(template="confirm_ticket"))
    assert "112" not in body and "If anyone is in danger" not in body
    assert "\n\nPlease confirm your email address" in body  # the email reads as before


def _update_email(ticket, event_type) -> str:
    event = TicketEvent.objects.get(ticket=ticket, type=event_type)
    row = Notification.objects.get(event=event, template=Notification.Template.TICKET_UPDATE)
    return _render(row)[1]


def test_the_routed_email_of_an_urgent_report_says_whom_to_call(city, citizen):
    citizen.language = "en"
    citizen.save(update_fields=["language"])
    storm = "Pohon besar tumbang menimpa kabel listrik, ada percikan api"
    ticket = make_ticket(service="jalan-rusak", kelurahan=TIMUR, status="submitted", reporter=citizen, title=storm)
    route_ticket(ticket_id=ticket.pk)
    body = _update_email(ticket, EventType.ROUTED)
    assert "If anyone is in danger, call now: this report reaches the department" in body
    assert "112 · Emergencies" in body and "123 · PLN" in body


def test_an_ordinary_routed_email_and_a_resolved_one_name_no_number(city, citizen, staff_dlh):
    from complaints import actions

    citizen.language = "en"
    citizen.save(update_fields=["language"])
    ticket = make_ticket(service="sampah-menumpuk", kelurahan=TIMUR, status="submitted", reporter=citizen)
    route_ticket(ticket_id=ticket.pk)
    assert "112" not in _update_email(ticket, EventType.ROUTED)

    tree = make_ticket(service="pohon-tumbang", reporter=citizen, status=Status.IN_PROGRESS, department="dlh")
    actions.resolve_ticket(ticket=tree, actor=staff_dlh, note="Pohon sudah dipotong dan diangkut.")
    body = _update_email(tree, EventType.RESOLVED)
    assert "112" not in body and "If anyone is in danger" not in body
