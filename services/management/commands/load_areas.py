from django.core.management.base import BaseCommand

from services.areas import load_areas


class Command(BaseCommand):
    help = (
        "Load Banjarmasin's 5 kecamatan and 52 kelurahan with their boundaries: creates the missing ones, brings "
        "boundaries up to the shipped file, keeps the names the administrator gave. Idempotent."
    )

    def handle(self, *args, **options):
        counts = load_areas()
        self.stdout.write(
            self.style.SUCCESS(
                f"Areas: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged."
            )
        )
