"""Admin → Tickets → Reassign all tickets of a staff member: the confirmation says where the tickets really went
(to the chosen person, or to a department's pool where that person is no active member), and the pickers tell
namesakes apart by email and department. Reassigning a DLH officer's tickets to a PUPR officer used to say
"12 open tickets of … were reassigned" while all of them went to the DLH pool."""

import pytest

from complaints.models import Status, Ticket
from services.models import Department, StaffMembership
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
URL = "/admin/complaints/ticket/reassign/"


def officer(email, *departments, name="Rahmat Hidayat"):
    user = make_user(email, full_name=name)
    for code in departments:
        StaffMembership.objects.create(user=user, department=Department.objects.get(code=code))
    return user


@pytest.fixture
def admin_client(client, city):
    client.force_login(make_user("root@banjarmasinkota.go.id", is_staff=True, is_superuser=True))
    return client


def reassign(client, from_user, to_user=None) -> list[str]:
    data = {"from_user": from_user.pk, "to_user": to_user.pk if to_user else ""}
    response = client.post(URL, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain, response.content.decode()
    return [str(message) for message in response.context["messages"]]


def test_to_someone_of_another_department_says_they_went_to_the_pool(admin_client):
    leaving = officer("rahmat@dlh.go.id", "dlh")
    pupr = officer("budi@pupr.go.id", "pupr", name="Budi Santoso")
    tickets = [make_ticket(assignee=leaving) for _ in range(3)]
    assert reassign(admin_client, leaving, pupr) == [
        "3 open tickets of Rahmat Hidayat (rahmat@dlh.go.id) went to the pool of DLH: "
        "Budi Santoso (budi@pupr.go.id) is not an active member of it."
    ]
    assert [Ticket.objects.get(pk=t.pk).assignee for t in tickets] == [None, None, None]


def test_a_split_says_how_many_went_where(admin_client):
    leaving = officer("rahmat@bjm.go.id", "dlh", "pupr")
    colleague = officer("sari@dlh.go.id", "dlh", name="Sari")
    to_colleague = [make_ticket(assignee=leaving), make_ticket(assignee=leaving, status=Status.IN_PROGRESS)]
    to_pool = make_ticket(assignee=leaving, service="jalan-rusak")
    closed = make_ticket(assignee=leaving, status=Status.CLOSED)
    assert reassign(admin_client, leaving, colleague) == [
        "2 open tickets of Rahmat Hidayat (rahmat@bjm.go.id) went to Sari (sari@dlh.go.id).",
        "1 open ticket of Rahmat Hidayat (rahmat@bjm.go.id) went to the pool of Dinas PUPR: "
        "Sari (sari@dlh.go.id) is not an active member of it.",
    ]
    assert {t.assignee for t in Ticket.objects.filter(pk__in=[t.pk for t in to_colleague])} == {colleague}
    assert Ticket.objects.get(pk=to_pool.pk).assignee is None
    assert Ticket.objects.get(pk=closed.pk).assignee == leaving


def test_to_the_pool_and_with_nothing_open(admin_client):
    leaving = officer("rahmat@dlh.go.id", "dlh")
    make_ticket(assignee=leaving)
    assert reassign(admin_client, leaving) == [
        "1 open ticket of Rahmat Hidayat (rahmat@dlh.go.id) went to the pool of DLH."
    ]
    assert reassign(admin_client, leaving) == [
        "Rahmat Hidayat (rahmat@dlh.go.id) had no open tickets: nothing was reassigned."
    ]


def test_the_pickers_tell_namesakes_apart(admin_client):
    officer("rahmat@dlh.go.id", "dlh")
    officer("rahmat@pupr.go.id", "pupr")
    html = admin_client.get(URL).content.decode()
    for label in (
        "Rahmat Hidayat (rahmat@dlh.go.id) · DLH",
        "Rahmat Hidayat (rahmat@pupr.go.id) · Dinas PUPR",
    ):
        assert html.count(f">{label}</option>") == 2  # who leaves, and who gets the tickets
