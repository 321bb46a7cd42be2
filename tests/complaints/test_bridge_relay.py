"""The SP4N-LAPOR! bridge files its citizens' reports with its Open311 key and, when the department asks the citizen
a question, relays the citizen's answer with its REST account (POST tickets/{reference}/add-info/): the key's
account (``ApiKey.account``) may, as the reporter's relay; nobody else gained anything. And the length messages of
what a citizen writes say what is refused: exactly the limit is accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.test import APIClient

from complaints.actions import add_citizen_info, file_ticket
from complaints.actions.dispatch import route_ticket
from complaints.models import Channel, EventType, Privacy, Status, Ticket, TicketEvent
from complaints.queries import can_see_reporter
from complaints.workflow import REPORTER, relations_of
from open311.models import ApiKey
from services.models import Area
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
MAWAR = "63.71.05.1003"
REFUSED = "Only the reporter and followers can add information."


@pytest.fixture
def bridge(city):
    """The bridge's REST account, and its Open311 key given that account in the admin."""
    account = make_user("integrasi@lapor.go.id", full_name="SP4N-LAPOR! bridge")
    key, raw = ApiKey.issue(name="SP4N-LAPOR bridge")
    ApiKey.objects.filter(pk=key.pk).update(account=account)
    account.key_secret = raw
    return account


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def file_through_open311(client, bridge, **extra) -> Ticket:
    area = Area.objects.get(code=MAWAR)
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": bridge.key_secret,
            "service_code": "sampah-menumpuk",
            "description": "Sampah menumpuk di depan sekolah.",
            "first_name": "Siti",
            "phone": "0812345678",
            "lat": area.label_lat,
            "long": area.label_lng,
            **extra,
        },
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    route_ticket(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert ticket.api_key.account == bridge and ticket.reporter is None and ticket.status == Status.ROUTED
    return ticket


def ask(ticket, staff):
    asked = api_as(staff).post(
        f"/api/v1/tickets/{ticket.reference}/ask-info/", {"message": "Di RT berapa?"}, format="json"
    )
    assert asked.status_code == 200 and asked.json()["waiting_for_citizen_since"], asked.content


def add_info(user, ticket, message="RT 05, depan SDN 3."):
    return api_as(user).post(
        f"/api/v1/tickets/{ticket.reference}/add-info/", {"message": message}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_bridge_relays_the_citizens_answer_and_the_wait_ends(client, bridge, staff_dlh):
    ticket = file_through_open311(client, bridge)
    ask(ticket, staff_dlh)

    response = add_info(bridge, ticket)

    assert response.status_code == 200, response.content
    assert response.json()["waiting_for_citizen_since"] is None
    assert response.json()["reporter"] is None  # the relay sees no more of the citizen than before
    answer = TicketEvent.objects.get(ticket=ticket, type=EventType.CITIZEN_INFO)
    question = TicketEvent.objects.get(ticket=ticket, type=EventType.INFO_REQUESTED)
    assert answer.payload["by"] == "reporter" and answer.payload["via"] == "SP4N-LAPOR! bridge"
    assert answer.payload["answer_to"] == question.pk and answer.actor == bridge and answer.public
    # The public page says the citizen answered, not a follower; the department's page names the bridge.
    page = client.get(f"/laporan/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "from the reporter" in page and "from a follower" not in page
    client.force_login(staff_dlh)
    staff_page = client.get(f"/staf/tiket/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "SP4N-LAPOR! bridge" in staff_page


def test_an_anonymous_report_is_relayed_without_naming_its_citizen(client, bridge, staff_dlh):
    ticket = file_through_open311(client, bridge, privacy="anonymous")
    ask(ticket, staff_dlh)
    assert add_info(bridge, ticket).status_code == 200
    answer = TicketEvent.objects.get(ticket=ticket, type=EventType.CITIZEN_INFO)
    assert answer.actor == bridge and answer.payload["by"] == "reporter" and "Siti" not in str(answer.payload)


def test_nobody_else_relays_and_the_answer_is_todays(client, bridge, staff_dlh, staff_pupr):
    ticket = file_through_open311(client, bridge)
    ask(ticket, staff_dlh)
    # Another system's account, its own key given to it.
    other = make_user("sistem.lain@example.id")
    other_key, _raw = ApiKey.issue(name="Another bridge")
    ApiKey.objects.filter(pk=other_key.pk).update(account=other)
    # An account of no key, and a key without an account filing the same kind of report.
    stranger = make_user("warga.lain@example.id")
    keyless, _raw = ApiKey.issue(name="No account")
    # Staff of another department who filed a report for a caller at the counter.
    counter = make_ticket(
        status=Status.IN_PROGRESS,
        department="dlh",
        channel=Channel.ASSISTED,
        filed_by=staff_pupr,
        waiting_for_citizen_since=None,
    )
    for user, target in ((other, ticket), (stranger, ticket), (staff_pupr, counter)):
        response = add_info(user, target)
        assert response.status_code == 403, (user, response.content)
        assert response.json()["errors"] == [{"field": None, "message": REFUSED}]
    # The bridge relays for its own key's reports only.
    by_other_key = make_ticket(status=Status.IN_PROGRESS, department="dlh", channel=Channel.OPEN311, api_key=other_key)
    by_keyless = make_ticket(status=Status.IN_PROGRESS, department="dlh", channel=Channel.OPEN311, api_key=keyless)
    for target in (by_other_key, by_keyless):
        response = add_info(bridge, target)
        assert response.status_code == 403 and response.json()["errors"][0]["message"] == REFUSED
    assert not TicketEvent.objects.filter(type=EventType.CITIZEN_INFO).exists()


def test_relaying_widens_nothing_else(client, bridge, staff_dlh):
    ticket = file_through_open311(client, bridge, email="siti@example.id")
    # Not the reporter: no confirming, reopening or rating, nor the reporter's details.
    assert REPORTER not in relations_of(bridge, ticket) and not can_see_reporter(bridge, ticket)
    assert api_as(bridge).get(f"/api/v1/tickets/{ticket.reference}/").json()["reporter"] is None
    # A confidential report: its key gets its status only through Open311, the account nothing through the API.
    secret = make_ticket(
        status=Status.IN_PROGRESS,
        department="dlh",
        channel=Channel.OPEN311,
        api_key=ticket.api_key,
        privacy=Privacy.CONFIDENTIAL,
    )
    assert api_as(bridge).get(f"/api/v1/tickets/{secret.reference}/").status_code == 404
    assert add_info(bridge, secret).status_code == 404
    client.force_login(bridge)
    assert client.get(f"/laporan/{secret.reference}/").status_code == 404


def test_the_administrator_gives_a_new_key_its_account(client, administrator):
    from django.contrib.auth.models import Permission

    account = make_user("integrasi@lapor.go.id")
    administrator.user_permissions.add(*Permission.objects.filter(content_type__app_label="open311"))
    client.force_login(administrator)
    response = client.post(
        "/admin/open311/apikey/add/",
        {"name": "SP4N-LAPOR", "rate_limit_per_hour": 300, "active": "on", "account": account.pk},
    )
    assert response.status_code == 302, response.content
    assert ApiKey.objects.get(name="SP4N-LAPOR").account == account


# --- what the length messages say ---------------------------------------------------------------------------------


def test_a_message_of_exactly_4000_characters_is_taken_and_longer_is_refused_as_at_most(city, citizen):
    ticket = make_ticket(status=Status.IN_PROGRESS, department="dlh", reporter=citizen)
    add_citizen_info(ticket=ticket, actor=citizen, message="a" * 4000)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        add_citizen_info(ticket=ticket, actor=citizen, message="a" * 4001)
    with translation.override("en"):
        assert refused.value.message_dict["message"] == ["Please keep the message to at most 4,000 characters."]


def test_the_filing_limits_say_at_most(city, citizen):
    mawar = Area.objects.get(code=MAWAR)
    filed = file_ticket(title="t" * 200, description="d" * 4000, area=mawar, reporter=citizen, channel=Channel.API)
    assert (len(filed.title), len(filed.description)) == (200, 4000)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file_ticket(title="t" * 201, description="d" * 4001, area=mawar, reporter=citizen, channel=Channel.API)
    with translation.override("en"):
        assert refused.value.message_dict["title"] == ["Please keep the title to at most 200 characters."]
        assert refused.value.message_dict["description"] == [
            "Please keep the description to at most 4,000 characters (now 4,001)."
        ]
