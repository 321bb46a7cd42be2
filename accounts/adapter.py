from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dashboards.queries.access import can_see_city
from smartcity.site_links import absolute_url

from . import mail
from .models import User
from .roles import ADMINISTRATOR, CITY_ROLES, DEPARTMENT_ROLES, roles_of

# The emails a citizen waits for to go on (confirm the address, reset the password, sign in by code). When one can
# neither be queued nor sent, the page says so instead of "we have sent you an email"; the other emails (notices of a
# change already made) are only logged.
AWAITED_EMAILS = frozenset(
    {
        "account/email/email_confirmation",
        "account/email/email_confirmation_signup",
        "account/email/account_already_exists",
        "account/email/unknown_account",
        "account/email/password_reset_key",
        "account/email/password_reset_code",
        "account/email/login_code",
    }
)
CONFIRMATION_EMAILS = frozenset(
    {
        "account/email/email_confirmation",
        "account/email/email_confirmation_signup",
        "account/email/account_already_exists",
        "account/email/unknown_account",
    }
)


def at_site_url(url: str) -> str:
    """The link allauth built, at the portal's public address (SITE_URL) instead of the request's.

    allauth builds its links from the request's Host header, port included: ALLOWED_HOSTS ignores ports and names
    more than the public address (a health check's IP), so a reset asked with ``Host: localhost:9999`` emailed a key
    link to ``http://localhost:9999/...``. Only the path, query and fragment are kept from allauth's link."""
    return absolute_url(urlsplit(url)._replace(scheme="", netloc="").geturl())


class PortalAccountAdapter(DefaultAccountAdapter):
    """Saves the interface language the citizen signed up in, so emails speak it too; signs emails as the portal."""

    def get_login_redirect_url(self, request):
        """Where a login without ``next`` lands: department staff on their ticket queue and the city's planners,
        finance officers and inspectors on the city dashboard they work from (the menu was the only way there);
        citizens and administrators on the home page, as before."""
        roles = roles_of(request.user)
        if roles & DEPARTMENT_ROLES:
            return reverse("staff:queue")
        if roles & (CITY_ROLES.keys() - {ADMINISTRATOR}) and can_see_city(request.user):
            return reverse("dashboards:city")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = (getattr(request, "LANGUAGE_CODE", None) or "id")[:2]
        if commit:
            user.save()
        return user

    def get_reset_password_from_key_url(self, key: str) -> str:
        return at_site_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return at_site_url(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without the sites framework allauth names the site after the request's host: emails greeted citizens
        # "Hello from 127.0.0.1:8000!". They come from the portal, at its public address.
        portal = SimpleNamespace(name=settings.PORTAL_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        # In the language the account chose for our emails (a password reset asked from an English page for an
        # Indonesian account came in English); a new address without an account keeps the page's language.
        user = context.get("user")
        if user is None:
            user = User.objects.filter(email__iexact=email).only("language").first()
        request = allauth_context.request
        # The other links allauth emails (sign up, ask for a reset: in "account already exists" and "unknown account")
        # are built from the request with no adapter hook: moved to SITE_URL here. The key links above already are.
        context = {
            name: at_site_url(value) if name.endswith("_url") and isinstance(value, str) else value
            for name, value in context.items()
        }
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            message = self.render_mail(
                template_prefix, email, {"request": request, "email": email, **context, "current_site": portal}
            )
        # Sent by a worker, retried while the mail server is away: a mail server that refuses or hangs no longer turns
        # a sign-up or a password reset into an error page (accounts.mail).
        if not mail.sends_locally() and transaction.get_connection().in_atomic_block:
            # Queued once the change that asked for it is saved (a rolled back one sends nothing).
            transaction.on_commit(
                lambda: self._deliver(message, template_prefix, email, request, can_interrupt=False), robust=True
            )
            return
        self._deliver(message, template_prefix, email, request, can_interrupt=True)

    def _deliver(self, message, template_prefix: str, email: str, request, *, can_interrupt: bool) -> None:
        if mail.deliver(message, kind=template_prefix) or request is None:
            return
        if template_prefix in CONFIRMATION_EMAILS:
            # allauth counted this confirmation email against its limit (one per 3 minutes per address): the citizen
            # may ask again at once.
            ratelimit.clear(request, action="confirm_email", key=email.lower())
        if can_interrupt and template_prefix in AWAITED_EMAILS:
            # Instead of the page that says the email was sent (the account, the address, the typed email stay).
            raise ImmediateHttpResponse(self._email_not_sent_page(request, email))
        messages.error(
            request,
            gettext("We could not send the email to %(email)s just now. Please try again in a few minutes.")
            % {"email": email},
            fail_silently=True,
        )

    def _email_not_sent_page(self, request, email: str):
        match = getattr(request, "resolver_match", None)
        return render(
            request,
            "account/email_not_sent.html",
            {"email": email, "page": match.url_name if match else "", "again_url": request.get_full_path()},
        )
