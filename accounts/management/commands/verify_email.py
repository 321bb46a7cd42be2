"""Mark an account's email address as confirmed, for the first administrator.

Production requires a confirmed address before anyone signs in, and ``createsuperuser`` does not confirm one: the
first administrator would wait for a confirmation email from a portal whose mail may not be set up yet, with no
one able to tick "verified" in the admin for them.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Mark the email address of an existing account as confirmed (e.g. after createsuperuser)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the email address {email}.")
        address, _ = EmailAddress.objects.get_or_create(user=user, email__iexact=email, defaults={"email": user.email})
        address.verified = True
        if not EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).exists():
            address.primary = True
        address.save()
        self.stdout.write(f"{address.email}: confirmed; the account can sign in.")
