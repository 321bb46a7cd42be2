"""Handing on a leaving officer's open tickets (Admin → Tickets → Reassign all tickets of a staff member) tells the
colleague who takes them: ONE email listing them, in the colleague's language, queued with the handing on and sent
after it commits, as assigning one ticket on the staff page emails its new assignee. It recorded the events and
told nobody, so the tickets sat unseen until the colleague happened to open their queue."""

import pytest
from django.core import mail

from complaints.mail import deliver_notification
from complaints.models import Notification
from services.models import Department, StaffMembership
from tests.conftest import make_user
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
URL = "/admin/complaints/ticket/reassign/"


class _Recorder:
    """Stands for the sending task: which notifications were handed to the worker."""

    name = "complaints.tasks.send_notification (recorded)"

    def __init__(self):
        self.sent: list[int] = []

    def apply_async(self, args=(), kwargs=None):
        self.sent.append(args[0])


@pytest.fixture
def sender(monkeypatch):
    import complaints.tasks

    recorder = _Recorder()
    monkeypatch.setattr(complaints.tasks, "send_notification", recorder)
    return recorder


def member(email, *codes, name, language="id"):
    user = make_user(email, full_name=name, language=language)
    for code in codes:
        StaffMembership.objects.create(user=user, department=Department.objects.get(code=code))
    return user


def test_the_colleague_gets_one_email_listing_the_tickets_after_the_commit(
    client, administrator, sender, django_capture_on_commit_callbacks
):
    leaving = member("rahmat@bjm.go.id", "dlh", "pupr", name="Rahmat Hidayat")
    colleague = member("sari@dlh.go.id", "dlh", name="Sari", language="en")
    handed = [make_ticket(assignee=leaving, title=f"Sampah menumpuk {n}") for n in range(3)]
    to_pool = make_ticket(assignee=leaving, service="jalan-rusak")  # Sari is no member of PUPR
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        answer = client.post(URL, {"from_user": leaving.pk, "to_user": colleague.pk})
        assert answer.status_code == 302
    (email,) = Notification.objects.filter(template=Notification.Template.STAFF_HANDOVER)
    assert (email.email, email.recipient, email.language) == (colleague.email, colleague, "en")
    assert sender.sent == []  # nothing leaves before the handing on commits
    for callback in after_commit:
        callback()
    assert sender.sent == [email.pk]
    assert not Notification.objects.exclude(pk=email.pk).filter(recipient=colleague).exists()

    mail.outbox.clear()
    assert deliver_notification(notification_id=email.pk)
    (message,) = mail.outbox
    assert message.to == [colleague.email]
    assert message.subject == "3 tickets of Rahmat Hidayat handed on to you"
    assert "3 open tickets of Rahmat Hidayat are now assigned to you:" in message.body
    for ticket in handed:
        assert f"[{ticket.reference}] {ticket.title} · DLH" in message.body
        assert f"/staf/tiket/{ticket.reference}/" in message.body
    assert to_pool.reference not in message.body


def test_nobody_is_emailed_for_tickets_sent_to_the_pool(client, administrator, sender):
    leaving = member("rahmat@dlh.go.id", "dlh", name="Rahmat Hidayat")
    make_ticket(assignee=leaving)
    client.force_login(administrator)
    client.post(URL, {"from_user": leaving.pk, "to_user": ""})
    assert not Notification.objects.filter(template=Notification.Template.STAFF_HANDOVER).exists()
