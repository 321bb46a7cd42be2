"""The admin's audit trail (/admin/admin/logentry/, was 404): every change made in the admin, for the city's
administrators alone and read-only for everyone, its messages in the page's language. Django stores the field
names of a change in English as the form labelled them ("Full name", "Active", "Default department") and the
Indonesian admin read "Default department dan Response SLA (working days) berubah."."""

import html
import json

import pytest
from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import construct_change_message
from django.utils import translation
from django.utils.text import capfirst

from accounts.models import User
from services.models import Department, Service
from tests.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db
URL = "/admin/admin/logentry/"


def logged_change(actor, obj, **changes) -> LogEntry:
    """The entry the admin writes when ``actor`` saves ``changes`` to ``obj`` (Django's own change message)."""
    form_class = forms.modelform_factory(type(obj), fields=list(changes))
    form = form_class(data=changes, instance=obj)
    assert form.is_valid(), form.errors
    form.save()
    message = construct_change_message(form, [], False)
    return LogEntry.objects.log_actions(actor.pk, [obj], CHANGE, change_message=message, single_object=True)


def _page(client, url=URL, language="id") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def _in(language: str, *msgids: str) -> list[str]:
    with translation.override(language):
        return [capfirst(translation.gettext(msgid)) for msgid in msgids]


def test_the_trail_lists_every_change_in_the_pages_language(client, administrator):
    officer = make_staff("rahmat@dlh.go.id", "dlh")
    logged_change(administrator, officer, full_name="Rahmat Hidayat", is_active="")
    service = Service.objects.get(code="sampah-menumpuk")
    quicker = 1 if service.response_sla_days != 1 else 2
    logged_change(
        administrator, service, default_department=Department.objects.get(code="pupr").pk, response_sla_days=quicker
    )
    assert json.loads(LogEntry.objects.get(object_id=service.pk).change_message) == [
        {"changed": {"fields": ["Default department", "Response SLA (working days)"]}}
    ]  # as stored: unchanged by the display
    client.force_login(administrator)

    page = _page(client)
    full_name, active, department, response_sla = _in(
        "id", "full name", "active", "default department", "response SLA (working days)"
    )
    assert f"{full_name} dan {active} berubah." in page  # "Nama lengkap dan Aktif berubah."
    assert f"{department} dan {response_sla} berubah." in page
    for english in ("Full name", "Default department", "Response SLA (working days)"):
        assert english not in page
    assert "Rahmat Hidayat" in page and "admin (admin@banjarmasinkota.go.id)" in page

    english = _page(client, language="en")
    assert "Changed Full name and Active." in english
    assert "Changed Default department and Response SLA (working days)." in english
    assert "Time (WITA)" in english


def test_only_administrators_read_it_and_nobody_changes_it(client, administrator, city):
    entry = logged_change(administrator, make_staff("rahmat@dlh.go.id", "dlh"), full_name="Rahmat Hidayat")
    client.force_login(administrator)
    assert f'href="{URL}"' in _page(client, "/admin/")
    assert client.get(f"{URL}{entry.pk}/change/").status_code == 200

    root = make_user("root@banjarmasinkota.go.id", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}{entry.pk}/change/", {"change_message": "[]"}).status_code == 403
    assert client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    selected = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    client.post(URL, selected)
    assert LogEntry.objects.filter(pk=entry.pk, change_message=entry.change_message).exists()

    head = make_staff("kepala.dlh@banjarmasinkota.go.id", "dlh", role="head")
    User.objects.filter(pk=head.pk).update(is_staff=True)
    client.force_login(head)
    assert client.get(URL).status_code == 403
