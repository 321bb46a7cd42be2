from django.core.management.base import BaseCommand

from services.areas import load_areas


class Command(BaseCommand):
    help = "Load (or refresh) Banjarmasin's 5 kecamatan and 52 kelurahan with their boundaries. Idempotent."

    def handle(self, *args, **options):
        counts = load_areas()
        self.stdout.write(self.style.SUCCESS(f"Areas: {counts['created']} created, {counts['updated']} updated."))
