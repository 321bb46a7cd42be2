"""How many REST API reads one client may make: per account when signed in (token or session), per client address
otherwise (``smartcity.client_ip``, which reads X-Forwarded-For as ALLAUTH_TRUSTED_PROXY_COUNT says).

Reads had no limit at all: one address read 300 pages of 200 tickets in 18 s. The rates (API_ANONYMOUS_READ_RATE,
API_ACCOUNT_READ_RATE) leave a citizen, a developer trying the docs page and an integration polling every minute far
below them. Past them the API answers 429 with Retry-After, in its error body (smartcity.api_errors).

Writes are not counted here: they need an account, and filing has its own limit per account (FILING_RATE_LIMIT, or
the account's own REST API filing limit), which an agency's system filing for many citizens must not meet twice.
The counters are the portal's fixed-window counters in the shared cache (Redis in production): one round trip.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from complaints import ratelimit
from smartcity.client_ip import client_ip

RATE_SETTINGS = ("API_ANONYMOUS_READ_RATE", "API_ACCOUNT_READ_RATE")


def _check_rates() -> None:
    """A mistyped rate stops the start (DRF imports this module with its views, so ``check`` and ``migrate`` say it)
    instead of making every API read a server error."""
    for name in RATE_SETTINGS:
        value = getattr(settings, name)
        try:
            count, seconds = ratelimit.parse_rate(value)
        except (ValueError, KeyError, IndexError):
            count = seconds = 0
        if count < 1 or seconds < 1:
            raise ImproperlyConfigured(
                f"{name} must be a number of requests per period, e.g. 120/m or 5000/h (it is {value!r})"
            )


_check_rates()


class ReadThrottle(BaseThrottle):
    """GET, HEAD and OPTIONS, counted per account or per client address."""

    rate = ""

    def allow_request(self, request, view) -> bool:
        if request.method not in SAFE_METHODS:
            return True
        if request.user.is_authenticated:
            self.rate = settings.API_ACCOUNT_READ_RATE
            counter = f"api-read:user:{request.user.pk}"
        else:
            self.rate = settings.API_ANONYMOUS_READ_RATE
            counter = f"api-read:ip:{client_ip(request)}"
        return ratelimit.hit(counter, self.rate)

    def wait(self) -> int:
        """Seconds until the window ends and the client may read again (the 429's Retry-After)."""
        return ratelimit.seconds_left(self.rate)
