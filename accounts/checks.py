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
"""

import os

from django.conf import settings
from django.core import checks

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
