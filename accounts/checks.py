"""Deployment checks (``manage.py check --deploy``) for settings a city's server can get wrong without a word.

The development key and the laptop settings: a server whose environment file lacks
``DJANGO_SETTINGS_MODULE`` (and ``SECRET_KEY``) started on ``smartcity.settings.base`` with the key written in the
repository, so anyone could forge sign-in sessions and password-reset links, and without HTTPS redirect or secure
cookies; Django's own key check let it pass (the key is long and lacks Django's "insecure" prefix).

The setting every per-address limit reads: allauth's sign-in limits and the portal's own (filing, "me too", API
reads: ``smartcity.client_ip``) count the client's address. Behind the README's nginx that address is in
X-Forwarded-For, read only when ALLAUTH_TRUSTED_PROXY_COUNT says how many proxies wrote it. Left at 0, every visitor
is 127.0.0.1: ten wrong passwords a minute from anyone lock the whole city out of signing in, and the city shares
one filing limit.

The rates (``manage.py check``, runserver and gunicorn's start, not only ``--deploy``): every ``…_RATE_LIMIT`` and
``…_RATE`` setting and allauth's ``ACCOUNT_RATE_LIMITS`` are read only when a request is limited, so a mistyped one
("10/mn", "ten/m", "5/5x") made every sign-in, sign-up or filing a server error while the portal seemed to run.
"""

import os
import re

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from smartcity.environment import DEFAULT_SETTINGS, DEVELOPMENT_SECRET_KEY, PRODUCTION_SETTINGS


@checks.register(checks.Tags.security, deploy=True)
def not_on_laptop_settings(app_configs, **kwargs):
    found = []
    if settings.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        found.append(
            checks.Error(
                "SECRET_KEY is the development key written in the repository: anyone can forge sign-in sessions "
                "and password-reset links.",
                hint="Set SECRET_KEY (50+ random characters) and DJANGO_SETTINGS_MODULE="
                f"{PRODUCTION_SETTINGS} in the environment file (README, Deployment step 2).",
                id="accounts.E001",
            )
        )
    if not settings.DEBUG and os.environ.get("DJANGO_SETTINGS_MODULE") == DEFAULT_SETTINGS:
        found.append(
            checks.Warning(
                f"The portal runs on the laptop settings ({DEFAULT_SETTINGS}), not {PRODUCTION_SETTINGS}: no HTTPS "
                "redirect, HSTS or secure cookies, and none of production's required settings is checked.",
                hint=f"Set DJANGO_SETTINGS_MODULE={PRODUCTION_SETTINGS} in the environment file and in the units.",
                id="accounts.W002",
            )
        )
    return found


@checks.register(checks.Tags.security, deploy=True)
def trusted_proxies_counted(app_configs, **kwargs):
    behind_proxy = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
    if behind_proxy and getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) == 0:
        return [
            checks.Warning(
                "ALLAUTH_TRUSTED_PROXY_COUNT is 0 while the portal expects a reverse proxy (SECURE_PROXY_SSL_HEADER "
                "is set): every visitor counts as the proxy's address, so a few wrong passwords lock everyone out "
                "of signing in and the whole city shares one filing limit.",
                hint="Set ALLAUTH_TRUSTED_PROXY_COUNT=1 behind nginx (2 with a load balancer in front of it).",
                id="accounts.W001",
            )
        ]
    return []


# What the portal's counters (complaints.ratelimit) and allauth's both read: "count/period", the period a unit (s, m,
# h or d) with an optional number before it ("5/15m"). The README documents it for every rate setting.
RATE = re.compile(r"(?P<count>\d+)/(?P<every>\d*)[smhd]")
# allauth's own: rates separated by commas, each counted per internet address, email address (key) or account.
ALLAUTH_RATE = re.compile(rf"{RATE.pattern}(/(ip|key|user))?")
RATES_TAG = "rate_limits"


def is_rate(value, pattern=RATE) -> bool:
    """Whether ``value`` is a rate ``pattern`` reads that lets at least one request through in a window."""
    match = pattern.fullmatch(value) if isinstance(value, str) else None
    return bool(match) and int(match["count"]) >= 1 and int(match["every"] or 1) >= 1


def rate_settings() -> list[str]:
    """The names of the portal's rate settings: every setting called ``…_RATE_LIMIT`` or ``…_RATE`` that holds text
    (one added later is checked too)."""
    # A set: with settings overridden (tests), dir() names an overridden setting twice.
    names = {name for name in dir(settings) if name.isupper() and name.endswith(("_RATE_LIMIT", "_RATE"))}
    return sorted(name for name in names if isinstance(getattr(settings, name), str))


@checks.register(checks.Tags.security, RATES_TAG)
def rates_readable(app_configs, **kwargs):
    found = []
    mistyped = set()
    for name in rate_settings():
        value = getattr(settings, name)
        if not is_rate(value):
            mistyped.add(value)
            found.append(
                checks.Error(
                    f"{name} is {value!r}, which is not a rate: every request it limits would fail with a server "
                    "error.",
                    hint=f"Write count/period, the period s, m, h or d with an optional number before it, e.g. "
                    f"{name}=10/h or {name}=5/15m.",
                    id="accounts.E002",
                )
            )
    for action, rates in (getattr(settings, "ACCOUNT_RATE_LIMITS", None) or {}).items():
        # None or empty turns the limit off (allauth); one made of a setting named above is reported there.
        if not rates or any(value in rates for value in mistyped if value):
            continue
        if not all(is_rate(rate.strip(), ALLAUTH_RATE) for rate in str(rates).split(",")):
            found.append(
                checks.Error(
                    f"ACCOUNT_RATE_LIMITS[{action!r}] is {rates!r}, which allauth cannot read: every request it limits "
                    "would fail with a server error.",
                    hint="Write rates as count/period/per, per ip, key or user, separated by commas, e.g. "
                    "'20/m/ip,5/m/key'.",
                    id="accounts.E003",
                )
            )
    return found


def refuse_mistyped_rates() -> None:
    """Stops gunicorn's start (``smartcity.wsgi``) on a mistyped rate, as ``check`` and runserver stop on the Error:
    gunicorn runs no checks, and the portal would start with every sign-in or filing a server error."""
    errors = [str(error) for error in checks.run_checks(tags=[RATES_TAG]) if error.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(errors))
