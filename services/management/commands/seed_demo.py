import importlib

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from services.demo import seed_demo_users
from services.models import Service

# Other apps plug their demo data in here: module -> function (called with no arguments).
DEMO_HOOKS = [
    ("complaints.demo", "seed_demo_tickets"),
    ("planning.demo", "seed_demo_evidence"),  # before the plan, which links them
    ("planning.demo", "seed_demo_planning"),
    ("complaints.demo", "catch_up_deadlines"),  # last: escalates and closes what the filed history left due
]


def run_demo_hook(module_name: str, function_name: str):
    """Call ``module_name.function_name()`` if that module exists yet; returns its result or None."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        # Only "the hook module is not written yet" is expected; a broken import inside it is a bug.
        if getattr(exc, "name", None) != module_name:
            raise
        return None
    return getattr(module, function_name)()


class Command(BaseCommand):
    help = "Create demo accounts for every role (passwords printed once) and the demo tickets and plan. Idempotent."

    def handle(self, *args, **options):
        # A known superuser and hundreds of reports that email real department addresses: never on a real city.
        if not settings.DEMO_MODE:
            raise CommandError(
                _(
                    "seed_demo runs only in demo mode (DEMO_MODE=true, which make run sets): it creates a superuser "
                    "with a known address and files demo reports that email the departments."
                )
            )
        if not Service.objects.exists():
            call_command("seed_city", verbosity=0)
        seeded = seed_demo_users()
        created = [s for s in seeded if s.password]
        if created:
            self.stdout.write(self.style.WARNING("Demo accounts created. Passwords are shown ONCE, note them now:"))
            width = max(len(s.account.email) for s in created)
            for s in created:
                where = f" {s.account.department.upper()}" if s.account.department else ""
                self.stdout.write(f"  {s.account.email:<{width}}  {s.password}  ({s.account.role}{where})")
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts: {len(created)} created, {len(seeded) - len(created)} already there.")
        )
        for module_name, function_name in DEMO_HOOKS:
            result = run_demo_hook(module_name, function_name)
            if result is not None:
                self.stdout.write(self.style.SUCCESS(f"{module_name}.{function_name}: {result}"))
