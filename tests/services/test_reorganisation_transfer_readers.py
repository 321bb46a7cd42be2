"""What other readers learn of a reorganisation's move (``actions.transfer``): the REST API gives the public the
departments it went from and to, as the ticket's page says, and the old department's officer who opens the moved
ticket from an old email link is told where it went instead of a bare 'not found'."""

import pytest

from complaints.actions.transfer import transfer_tickets
from complaints.models import Status
from services.models import Department
from tests.conftest import make_staff
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

REASON = "Perwali No. 12 Tahun 2025 tentang SOTK Perangkat Daerah"


@pytest.fixture
def moved(city, administrator):
    disperkim = Department.objects.create(code="disperkim", name="Dinas Perumahan", short_name="Disperkim")
    ticket = make_ticket(service="psu-permukiman", status=Status.IN_PROGRESS)
    transfer_tickets(source=ticket.department, target=disperkim, reason=REASON, actor=administrator)
    ticket.refresh_from_db()
    assert ticket.department == disperkim
    return ticket


def test_the_api_gives_the_public_where_a_moved_report_went_and_why(client, moved):
    events = client.get(f"/api/v1/tickets/{moved.reference}/events/").json()
    transferred = [event["payload"] for event in events if event["type"] == "transferred"]
    assert transferred == [{"from": "Perkim", "to": "Disperkim", "reason": REASON}]


def test_the_old_departments_officer_is_told_where_the_report_went(client, moved):
    client.force_login(make_staff("petugas.perkim@banjarmasinkota.go.id", "perkim"))
    page = client.get(f"/staf/tiket/{moved.reference}/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    # A reorganisation's move, not somebody's forward.
    assert (
        f"{moved.reference} was moved to Disperkim in the reorganisation of city departments: it is no longer in "
        "your queue." in page.content.decode()
    )
