"""What a screen reader and a low-vision citizen met on their own reports (an accessibility walk): "My reports" did
not say which reports wait for her answer to the department's question (she had to open every one), the report's
photos were all called "Photo of the report" and the rating's stars read "1 black star"."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from complaints.actions import add_citizen_info, ask_for_information, resolve_ticket, support_ticket
from complaints.events import record_event
from complaints.models import Attachment, EventType, Status
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

QUESTION = "The department asked you a question — answer it"


def _my_reports(client) -> str:
    return client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def _question_links(html: str) -> list[str]:
    return re.findall(r'<a class="[^"]*my-report-question"[^>]*href="([^"]+)"', html)


def test_my_reports_says_which_report_waits_for_her_answer_and_links_to_the_answer_box(
    client, citizen, other_citizen, django_assert_max_num_queries
):
    staff = make_staff("petugas.dlh@banjarmasinkota.go.id", "dlh")
    asked = make_ticket(reporter=citizen, title="Sampah di Gang Mawar")
    ask_for_information(ticket=asked, actor=staff, message="Di RT berapa tepatnya?")
    make_ticket(reporter=citizen, title="Tidak ditanya")
    # A neighbour's report she follows: the question is the neighbour's to answer, not hers.
    followed = make_ticket(reporter=other_citizen, title="Punya tetangga")
    support_ticket(ticket=followed, user=citizen)
    ask_for_information(ticket=followed, actor=staff, message="Di mana persisnya?")
    for _ in range(10):
        make_ticket(reporter=citizen, title="Lagi")
    client.force_login(citizen)
    with django_assert_max_num_queries(12):  # as many as without the line (test_ticket_pages)
        html = _my_reports(client)
    assert _question_links(html) == [f"/laporan/{asked.reference}/#info-form"]
    assert html.count(QUESTION) == 1
    assert f'<span class="visually-hidden"> ({asked.reference})</span>' in html
    # The link's target is there: the answer box on the report's page.
    assert 'id="info-form"' in client.get(f"/laporan/{asked.reference}/").content.decode()

    add_citizen_info(ticket=asked, actor=citizen, message="RT 05.")
    assert QUESTION not in _my_reports(client)


def test_the_line_goes_when_the_department_stops_waiting(client, citizen):
    staff = make_staff("petugas.dlh@banjarmasinkota.go.id", "dlh")
    ticket = make_ticket(reporter=citizen)
    ask_for_information(ticket=ticket, actor=staff, message="Di RT berapa tepatnya?")
    client.force_login(citizen)
    assert QUESTION in _my_reports(client)
    resolve_ticket(ticket=ticket, actor=staff, note="Sudah diangkut.")
    assert QUESTION not in _my_reports(client)


def test_the_report_photos_are_numbered_and_the_later_ones_name_their_step(client, citizen):
    ticket = make_ticket(reporter=citizen)
    filed = record_event(ticket=ticket, type=EventType.SUBMITTED, actor=citizen)
    for _ in range(3):
        Attachment.objects.create(ticket=ticket, event=filed, state=Attachment.State.READY)
    added = add_citizen_info(ticket=ticket, actor=citizen, message="Dari sisi lain.")
    for _ in range(2):
        Attachment.objects.create(
            ticket=ticket, event=added, purpose=Attachment.Purpose.INFO, state=Attachment.State.READY
        )
    client.force_login(citizen)
    html = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    names = re.findall(r'<a href="[^"]+"><img src="[^"]+" alt="([^"]+)"', html)
    when = timezone.localtime(added.created_at).strftime("%-d %b %Y")
    assert names == [
        "Photo 1 of 3 of the report",
        "Photo 2 of 3 of the report",
        "Photo 3 of 3 of the report",
        f"Photo 1 of 2: Your information, {when}",
        f"Photo 2 of 2: Your information, {when}",
    ]


def test_the_rating_stars_are_named_in_words_and_the_star_is_hidden(client, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.RESOLVED, resolved_at=timezone.now())
    record_event(ticket=ticket, type=EventType.RESOLVED, payload={"note": "Sudah diangkut."})
    client.force_login(citizen)
    html = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    labels = re.findall(r'<label class="btn btn-outline-warning" for="score-\d">(.*?)</label>', html)
    assert labels == [
        f'<span aria-hidden="true">{score} ★</span><span class="visually-hidden">{score} of 5 stars</span>'
        for score in range(1, 6)
    ]
    client.post(f"/laporan/{ticket.reference}/nilai/", {"score": "4", "comment": "Cepat"})
    html = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert '<span aria-hidden="true">4 ★</span><span class="visually-hidden">4 of 5 stars</span> Cepat' in timeline
