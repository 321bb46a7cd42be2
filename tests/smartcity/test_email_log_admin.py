"""The admin's email log (Tickets › Notifications) is read-only for everyone, a superuser included, as README says,
and names each email to staff by what it reports: an escalation was labelled "New report (to the department's
staff)", the label of the template every staff email shares."""

import pytest

from complaints.models import EventType, Notification, TicketEvent
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

LOG = "/admin/complaints/notification/"


@pytest.fixture
def escalation_email(city):
    ticket = make_ticket()
    event = TicketEvent.objects.create(ticket=ticket, type=EventType.ESCALATED, payload={"level": 1}, public=False)
    return Notification.objects.create(
        dedup_key="escalated-1", ticket=ticket, event=event, email="kepala.dlh@example.id", template="staff_ticket"
    )


def test_an_escalation_email_is_named_as_one(superuser_en, escalation_email):
    listing = superuser_en.get(LOG).content.decode()
    assert "To staff: Escalated" in listing
    assert "A report&#x27;s news (to the department&#x27;s staff)</td>" not in listing
    detail = superuser_en.get(f"{LOG}{escalation_email.pk}/change/").content.decode()
    assert "To staff: Escalated" in detail


def test_a_superuser_cannot_delete_from_the_email_log(superuser_en, escalation_email):
    listing = superuser_en.get(LOG).content.decode()
    assert "delete_selected" not in listing
    assert superuser_en.get(f"{LOG}{escalation_email.pk}/delete/").status_code == 403
    refused = superuser_en.post(LOG, {"action": "delete_selected", "_selected_action": [escalation_email.pk]})
    assert refused.status_code in (200, 302)
    assert Notification.objects.filter(pk=escalation_email.pk).exists()


def test_deleting_a_person_still_takes_their_emails(superuser_en, escalation_email):
    """The log's rows are the person's (accounts.admin): a superuser deleting an account is not stopped by them."""
    person = make_user("pergi@example.id")
    Notification.objects.filter(pk=escalation_email.pk).update(recipient=person)
    confirm = superuser_en.get(f"/admin/accounts/user/{person.pk}/delete/")
    assert confirm.status_code == 200
    assert "have permission to delete the following" not in confirm.content.decode()
    superuser_en.post(f"/admin/accounts/user/{person.pk}/delete/", {"post": "yes"})
    assert not Notification.objects.filter(pk=escalation_email.pk).exists()
