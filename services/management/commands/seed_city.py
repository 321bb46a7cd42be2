from django.core.management import call_command
from django.core.management.base import BaseCommand

from services.seeding import seed_city


class Command(BaseCommand):
    help = (
        "Create Banjarmasin's areas (load_areas), departments, role groups, service catalogue and routing rules: "
        "gives each entry and each field once (what the administrator deleted or emptied stays so; what a new "
        "release ships arrives), never overwrites a value. Idempotent."
    )

    def handle(self, *args, **options):
        call_command("load_areas", verbosity=0)
        counts = seed_city()
        self.stdout.write(
            self.style.SUCCESS(
                f"City: {counts['departments']} departments, {counts['services']} services, "
                f"{counts['rules']} routing rules."
            )
        )
