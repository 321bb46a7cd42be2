"""A deployment check (``manage.py check --deploy``) for the setting every per-address limit reads.

allauth's sign-in limits and the portal's own (filing, "me too", API reads: ``smartcity.client_ip``) count the
client's address. Behind the README's nginx that address is in X-Forwarded-For, read only when
ALLAUTH_TRUSTED_PROXY_COUNT says how many proxies wrote it. Left at 0, every visitor is 127.0.0.1: ten wrong
passwords a minute from anyone lock the whole city out of signing in, and the city shares one filing limit.
"""

from django.conf import settings
from django.core import checks


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
