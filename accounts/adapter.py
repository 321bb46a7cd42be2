from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from .models import User


class PortalAccountAdapter(DefaultAccountAdapter):
    """Saves the interface language the citizen signed up in, so emails speak it too; signs emails as the portal."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = (getattr(request, "LANGUAGE_CODE", None) or "id")[:2]
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without the sites framework allauth names the site after the request's host: emails greeted citizens
        # "Hello from 127.0.0.1:8000!". They come from the portal, at its public address.
        portal = SimpleNamespace(name=settings.PORTAL_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        # In the language the account chose for our emails (a password reset asked from an English page for an
        # Indonesian account came in English); a new address without an account keeps the page's language.
        user = context.get("user")
        if user is None:
            user = User.objects.filter(email__iexact=email).only("language").first()
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            super().send_mail(template_prefix, email, {**context, "current_site": portal})
