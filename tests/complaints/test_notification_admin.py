"""The administrator reads the outgoing email log in words, not in template codes."""

import pytest

from complaints.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_email_log_names_each_kind_of_email_and_language(client, city):
    Notification.objects.create(dedup_key="a", email="warga@example.id", template="confirm_ticket", language="en")
    Notification.objects.create(dedup_key="b", email="staf@example.id", template="staff_ticket")
    client.force_login(make_user("super@banjarmasinkota.go.id", is_staff=True, is_superuser=True))
    html = client.get("/admin/complaints/notification/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Laporan diterima (kepada warga)" in html and "Kabar laporan (kepada staf dinas)" in html
    assert ">confirm_ticket<" not in html and ">staff_ticket<" not in html
    # The filters on the side name them too.
    assert "?template__exact=ticket_update" in html and "Kabar laporan (kepada warga)" in html
    assert "?language__exact=en" in html and ">English<" in html
