"""The filing form after the Ketua RT walk (58 years old, on an Android phone).

He could not tell what a service covered (the fire service's description says to call 112, the form never showed
it), and he said "me too" on a similar report halfway through his own report: he took it as sent, and the page never
said his own report was not. Now each service's description is under it on the page (shown once it is chosen, by the
stylesheet, so a form sent back refused has it too), and a "me too" from the filing form stays on the form and says
the report typed there was not sent, with "Continue my report" and "Discard my report".
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from complaints.models import Subscription
from services.models import Service
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

NOT_SENT = "The report you were writing in this form was not sent."


def service_row(page: str, service: Service) -> str:
    start = page.index(f'id="service-{service.pk}"')
    return page[start : page.index("</div>", page.index("service-description", start)) + 6]


@pytest.mark.parametrize(
    "language,expected",
    [("en", "Fire, fire hazard or broken hydrant. Emergency: call 112."), ("id", "Darurat: hubungi 112.")],
)
def test_each_service_has_its_description_under_it_in_the_pages_language(client, city, language, expected):
    fire = Service.objects.get(code="kebakaran")
    page = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    row = service_row(page, fire)
    assert expected in html.unescape(row)
    # The choice is described by it: a screen reader hears it with the service's name.
    assert f'aria-describedby="service-{fire.pk}-description"' in row


def test_a_description_is_escaped_and_kept_with_a_refused_form(client, city):
    fire = Service.objects.get(code="kebakaran")
    fire.description_en = 'Fire <script>alert("x")</script>\nEmergency: call 112.'
    fire.save()
    refused = client.post("/lapor/", {"service": fire.pk, "title": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    page = refused.content.decode()
    row = service_row(page, fire)
    assert "<script>alert" not in page
    assert "Fire &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Emergency: call 112." in row
    # Chosen again on the refused form: the stylesheet shows the chosen service's description (portal.css).
    radio = re.search(rf'<input[^>]*id="service-{fire.pk}"[^>]*>', page).group(0)
    assert " checked" in radio


def test_an_empty_description_adds_nothing(client, city):
    waste = Service.objects.get(code="sampah-menumpuk")
    Service.objects.filter(pk=waste.pk).update(description_id="", description_en="")
    page = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert f"service-{waste.pk}-description" not in page


def me_too_from_the_form(client, ticket, **data):
    """ "Me too" as the filing form's similar reports send it (htmx, _similar.html's hx-vals)."""
    return client.post(
        reverse("complaints:support", args=[ticket.reference]),
        {"from_form": "filing", **data},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_similar_reports_me_too_says_it_comes_from_the_filing_form(client, city):
    ticket = make_ticket()
    offer = client.get(
        reverse("complaints:similar"), {"service": ticket.service_id, "lat": ticket.lat, "lng": ticket.lng}
    ).content.decode()
    assert 'hx-params="reporter_email,from_form" hx-vals=\'{"from_form": "filing"}\'' in offer


def test_a_signed_in_citizens_me_too_stays_on_the_form_and_says_his_report_was_not_sent(client, citizen, other_citizen):
    ticket = make_ticket(reporter=other_citizen)
    client.force_login(citizen)

    answer = me_too_from_the_form(client, ticket)

    assert answer.status_code == 200 and "HX-Redirect" not in answer.headers
    said = html.unescape(answer.content.decode())
    link = f'<a href="/laporan/{ticket.reference}/">{ticket.reference}</a>'
    assert f"Thank you. You now support and follow {link}." in said
    assert NOT_SENT in said and "Continue my report" in said and "Discard my report" in said
    # Discarded, the form leads to the report he now follows.
    assert f'data-url="/laporan/{ticket.reference}/"' in said
    ticket.refresh_from_db()
    assert ticket.support_count == 1
    assert Subscription.objects.filter(ticket=ticket, user=citizen, reason="supporter").exists()


def test_a_guests_me_too_from_the_form_says_the_same(client, city):
    ticket = make_ticket()
    answer = me_too_from_the_form(client, ticket, reporter_email="Tamu@example.id")
    said = html.unescape(answer.content.decode())
    assert answer.status_code == 200
    assert "we sent a link to tamu@example.id" in said
    assert NOT_SENT in said and f'data-url="/laporan/{ticket.reference}/"' in said


def test_staff_filing_for_a_caller_discard_to_an_empty_form(client, city):
    operator = make_staff("operator.112@banjarmasinkota.go.id", "dishub")
    ticket = make_ticket()
    client.force_login(operator)
    answer = me_too_from_the_form(client, ticket, reporter_email="penelepon@example.id", channel="phone")
    said = html.unescape(answer.content.decode())
    assert NOT_SENT in said and 'data-url="/lapor/"' in said


def test_a_refused_me_too_says_nothing_of_the_report(client, city):
    answer = me_too_from_the_form(client, make_ticket(), reporter_email="")
    assert answer.status_code == 400
    assert NOT_SENT not in html.unescape(answer.content.decode())


def test_elsewhere_a_signed_in_me_too_still_opens_the_report(client, citizen, other_citizen):
    """Not from the filing form (no from_form): the report's page, as before."""
    ticket = make_ticket(reporter=other_citizen)
    client.force_login(citizen)
    answer = client.post(reverse("complaints:support", args=[ticket.reference]), HTTP_HX_REQUEST="true")
    assert answer.headers["HX-Redirect"] == f"/laporan/{ticket.reference}/"
