"""Installed apps' messages our catalogue translates (smartcity/third_party_messages.py): the admin of periodic tasks
in Indonesian, and Django's duplicate message saying "already exists", not "does not exist"."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext


def test_a_duplicate_already_exists_in_indonesian():
    with translation.override("id"):
        text = gettext("%(model_name)s with this %(field_labels)s already exists.")
    assert "sudah ada" in text and "tidak ada" not in text


@pytest.mark.django_db
def test_the_periodic_tasks_admin_speaks_indonesian(client, administrator):
    from django_celery_beat.models import PeriodicTask

    with translation.override("id"):
        assert str(PeriodicTask._meta.verbose_name_plural) == "tugas berkala"
    client.force_login(administrator)
    page = client.get("/admin/django_celery_beat/periodictask/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Tugas berkala" in page and "Periodic Tasks" not in page
