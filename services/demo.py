"""Demo accounts for every role (``manage.py seed_demo``), idempotent.

Passwords are random, returned only for accounts created by this run (so the
command prints them once) and stored only as hashes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import ADMINISTRATOR, COUNCIL, FINANCE, INSPECTOR, PLANNER

from .models import Department, StaffMembership

DEMO_DOMAIN = "demo.banjarmasin.id"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str  # citizen, staff, head, planner, finance, inspector, administrator, council
    department: str = ""  # department code for staff and head


@dataclass(frozen=True)
class SeededAccount:
    account: DemoAccount
    password: str | None  # only when this run created the account


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount(f"warga@{DEMO_DOMAIN}", "Siti Aminah", "citizen"),
        DemoAccount(f"petugas.dlh@{DEMO_DOMAIN}", "Rahmat Hidayat", "staff", "dlh"),
        DemoAccount(f"kepala.dlh@{DEMO_DOMAIN}", "Hj. Noor Aisyah", "head", "dlh"),
        DemoAccount(f"petugas.pupr@{DEMO_DOMAIN}", "Ahmad Fauzi", "staff", "pupr"),
        DemoAccount(f"kepala.pupr@{DEMO_DOMAIN}", "Ir. Gusti Ramli", "head", "pupr"),
    ]
    # Every department has its head too: only the head reports the payments and progress of its activities and
    # completes them, so the demo plan's activities of Dishub, Dinkes or BPBD are told through the same actions.
    for department in Department.objects.exclude(code__in=("dlh", "pupr")).order_by("code"):
        code = department.code
        accounts.append(DemoAccount(f"petugas.{code}@{DEMO_DOMAIN}", f"Petugas {department.short_name}", "staff", code))
        accounts.append(DemoAccount(f"kepala.{code}@{DEMO_DOMAIN}", f"Kepala {department.short_name}", "head", code))
    accounts += [
        DemoAccount(f"perencana@{DEMO_DOMAIN}", "Muhammad Arsyad", PLANNER),
        DemoAccount(f"keuangan@{DEMO_DOMAIN}", "Dewi Lestari", FINANCE),
        DemoAccount(f"inspektur@{DEMO_DOMAIN}", "Budi Santoso", INSPECTOR),
        DemoAccount(f"admin@{DEMO_DOMAIN}", "Admin Diskominfotik", ADMINISTRATOR),
        DemoAccount(f"dprd@{DEMO_DOMAIN}", "H. Syahrani", COUNCIL),
    ]
    return accounts


@transaction.atomic
def seed_demo_users() -> list[SeededAccount]:
    """Create the demo accounts that do not exist yet, each with a verified primary email address."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    seeded = []
    for account in demo_accounts():
        user = User.objects.filter(email=account.email).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(9)
            is_admin = account.role == ADMINISTRATOR
            user = User.objects.create_user(
                email=account.email,
                password=password,
                full_name=account.full_name,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
        if account.department:
            StaffMembership.objects.update_or_create(
                user=user,
                department=Department.objects.get(code=account.department),
                defaults={"role": account.role, "active": True},
            )
        elif account.role != "citizen":
            user.groups.add(Group.objects.get_or_create(name=account.role)[0])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        seeded.append(SeededAccount(account, password))
    return seeded
