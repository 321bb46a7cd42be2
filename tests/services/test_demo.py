"""seed_demo: demo accounts for every role, verified, passwords printed once and stored only hashed."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import User
from accounts.roles import roles_of
from services.management.commands.seed_demo import run_demo_hook
from services.models import Department

pytestmark = pytest.mark.django_db

PASSWORD_LINE = re.compile(r"^\s+(\S+@demo\.banjarmasin\.id)\s+(\S+)\s+\(", re.M)


def test_seed_demo_creates_every_role_and_prints_passwords_once(capsys, client, settings):
    settings.DEMO_MODE = True  # make run's mode; elsewhere seed_demo refuses (tests/services/test_seed_demo_guard.py)
    call_command("seed_demo")
    out = capsys.readouterr().out
    passwords = dict(PASSWORD_LINE.findall(out))
    assert "petugas.dlh@demo.banjarmasin.id" in passwords
    roles = {email: roles_of(User.objects.get(email=email)) for email in passwords}
    assert roles["warga@demo.banjarmasin.id"] == set()
    assert roles["petugas.dlh@demo.banjarmasin.id"] == {"staff"}
    assert roles["kepala.dlh@demo.banjarmasin.id"] == {"head"}
    assert roles["petugas.pupr@demo.banjarmasin.id"] == {"staff"}
    assert roles["kepala.pupr@demo.banjarmasin.id"] == {"head"}
    assert roles["perencana@demo.banjarmasin.id"] == {"planner"}
    assert roles["keuangan@demo.banjarmasin.id"] == {"finance"}
    assert roles["inspektur@demo.banjarmasin.id"] == {"inspector"}
    assert "administrator" in roles["admin@demo.banjarmasin.id"]
    admin = User.objects.get(email="admin@demo.banjarmasin.id")
    assert admin.is_staff and admin.is_superuser
    # Every department has at least one demo member.
    assert not Department.objects.exclude(memberships__user__email__endswith="@demo.banjarmasin.id").exists()

    # Stored hashed, never in plain text; every address verified so allauth lets them in.
    for email, password in passwords.items():
        user = User.objects.get(email=email)
        assert password not in user.password and user.check_password(password)
        assert EmailAddress.objects.get(user=user).verified
    dlh = "petugas.dlh@demo.banjarmasin.id"
    response = client.post("/akun/login/", {"login": dlh, "password": passwords[dlh]})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=dlh).pk)

    users = User.objects.count()
    call_command("seed_demo")
    again = capsys.readouterr().out
    assert not PASSWORD_LINE.search(again)
    assert "0 created" in again
    assert User.objects.count() == users
    assert User.objects.get(email=dlh).check_password(passwords[dlh])


def test_demo_hooks_skip_missing_modules_but_surface_broken_ones(tmp_path, monkeypatch):
    assert run_demo_hook("services.no_such_demo_module", "seed") is None
    (tmp_path / "broken_demo_hook.py").write_text("import no_such_package_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError):
        run_demo_hook("broken_demo_hook", "seed")
    (tmp_path / "working_demo_hook.py").write_text("def seed():\n    return '3 rows'\n")
    assert run_demo_hook("working_demo_hook", "seed") == "3 rows"


def test_every_department_has_a_demo_head(city):
    """Only a department's head reports the payments and progress of its activities and completes them: the demo
    plan's Dishub, Dinkes or BPBD activities are told through the same actions as PUPR's."""
    from services.demo import seed_demo_users
    from services.models import StaffMembership

    seed_demo_users()
    heads = StaffMembership.objects.filter(role="head", active=True, user__email__endswith="@demo.banjarmasin.id")
    assert set(heads.values_list("department_id", flat=True)) == set(Department.objects.values_list("pk", flat=True))
    assert roles_of(User.objects.get(email="kepala.dishub@demo.banjarmasin.id")) == {"head"}
