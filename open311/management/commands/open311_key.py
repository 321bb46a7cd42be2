from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from open311.models import ApiKey


class Command(BaseCommand):
    help = "Issue a new Open311/API key for another system and print its secret (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who the key is for, e.g. 'SP4N-LAPOR bridge'.")
        parser.add_argument("--rate-limit", type=int, default=1000, help="Requests per hour (default 1000).")

    def handle(self, *args, name, rate_limit, **options):
        try:
            ApiKey._meta.get_field("rate_limit_per_hour").run_validators(rate_limit)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        _key, raw = ApiKey.issue(name=name, rate_limit_per_hour=rate_limit)
        self.stdout.write(raw)
