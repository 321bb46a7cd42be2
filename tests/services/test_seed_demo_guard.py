"""seed_demo creates a superuser with a known address and files hundreds of reports that email the departments:
outside demo mode it refuses before writing anything."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import User
from services.management.commands import seed_demo

pytestmark = pytest.mark.django_db


def test_outside_demo_mode_seed_demo_refuses_and_writes_nothing(settings):
    settings.DEMO_MODE = False
    with translation.override("en"), pytest.raises(CommandError, match="runs only in demo mode"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_in_demo_mode_seed_demo_creates_the_demo_accounts(settings, monkeypatch):
    settings.DEMO_MODE = True
    monkeypatch.setattr(seed_demo, "DEMO_HOOKS", [])  # the accounts are enough here; the reports are slow
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(email="admin@demo.banjarmasin.id").is_superuser
