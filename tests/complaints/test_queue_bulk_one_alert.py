"""The queue's bulk "Apply" with many tickets refused answered with one role="alert" box per refused ticket (up to
eleven), which a screen reader read out as eleven interruptions in a row (an accessibility walk of the staff side).
Now it is one alert: what was done, then the refused tickets as a list inside it, each with its reference and reason,
and how many more were refused past the tenth. The same after a plain (no-JavaScript) post and its redirect."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from complaints.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
HTMX_HEADERS = {"HTTP_HX_REQUEST": "true"}
CLOSED_REFUSAL = "A ticket that is closed cannot be changed with"


class _Alerts(HTMLParser):
    """Each role="alert" element: its text, and the items of the lists inside it."""

    def __init__(self):
        super().__init__()
        self.found: list[dict] = []
        self.depth = 0  # elements open inside the current alert (0: outside any)

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
            if tag == "li":
                self.found[-1]["items"].append("")
        elif ("role", "alert") in attrs:
            self.depth = 1
            self.found.append({"text": "", "items": [], "class": dict(attrs).get("class", "")})

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            alert = self.found[-1]
            alert["text"] += data
            if self.depth >= 3 and alert["items"]:  # inside <ul><li>
                alert["items"][-1] += data


def alerts(html: str) -> list[dict]:
    parser = _Alerts()
    parser.feed(html)
    for alert in parser.found:
        alert["text"] = " ".join(alert["text"].split())
    return parser.found


def acknowledge(client, tickets, **headers) -> str:
    data = {"action": "acknowledge", "ids": [t.pk for t in tickets], "query": "status=all"}
    response = client.post(reverse("staff:bulk"), data, HTTP_ACCEPT_LANGUAGE="en", follow=True, **headers)
    return response.content.decode()


@pytest.fixture
def refused_and_done(city):
    done = [make_ticket() for _ in range(3)]
    refused = [make_ticket(status=Status.CLOSED) for _ in range(12)]
    return done, refused


def test_many_refusals_are_one_alert_with_a_list_naming_each(client, staff_dlh, refused_and_done):
    done, refused = refused_and_done
    client.force_login(staff_dlh)

    html = acknowledge(client, [*done, *refused], **HTMX_HEADERS)

    [alert] = alerts(html)
    assert alert["text"].startswith("3 tickets updated. 12 were refused:")
    assert len(alert["items"]) == 10
    for item, ticket in zip(alert["items"], refused, strict=False):
        assert item.startswith(f"{ticket.reference}: {CLOSED_REFUSAL}")
    assert alert["text"].endswith("2 more tickets were refused.")
    assert "alert-warning" in alert["class"]  # some done, some refused: neither green nor all red
    for ticket in done:
        ticket.refresh_from_db()
        assert ticket.status == Status.ACKNOWLEDGED


def test_nothing_done_says_so_in_one_red_alert(client, staff_dlh, refused_and_done):
    _done, refused = refused_and_done
    client.force_login(staff_dlh)

    html = acknowledge(client, refused[:2], **HTMX_HEADERS)

    [alert] = alerts(html)
    assert "alert-danger" in alert["class"]
    assert alert["text"].startswith("2 tickets were refused:")
    assert len(alert["items"]) == 2 and "more" not in alert["text"]


def test_without_javascript_the_queue_after_the_redirect_has_the_one_alert_too(client, staff_dlh, refused_and_done):
    done, refused = refused_and_done
    client.force_login(staff_dlh)

    html = acknowledge(client, [done[0], refused[0]])

    [alert] = alerts(html)
    assert alert["text"].startswith("1 tickets updated. 1 was refused:")
    assert [item.split(":")[0] for item in alert["items"]] == [refused[0].reference]


def test_all_done_is_one_green_line_as_before(client, staff_dlh, refused_and_done):
    done, _refused = refused_and_done
    client.force_login(staff_dlh)

    html = acknowledge(client, done, **HTMX_HEADERS)

    [alert] = alerts(html)
    assert "alert-success" in alert["class"]
    assert alert["text"] == "3 tickets updated." and not alert["items"]
