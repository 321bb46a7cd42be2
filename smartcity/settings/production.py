"""Production mode: secure defaults that ``manage.py check --deploy`` accepts.

Requires SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, EMAIL_URL and SITE_URL from the environment.
"""

from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from smartcity.environment import read_dotenv

# Checked before base reads them (base reads the environment file too; reading it twice changes nothing): base would
# turn an empty DATABASE_URL or EMAIL_URL into a puzzle of its own ("Invalid email schema").
read_dotenv()


def _missing_message(names: list[str]) -> str:
    """The message naming every variable in ``names``: "Set the SITE_URL environment variable", "Set the EMAIL_URL
    and SITE_URL environment variables"."""
    if len(names) == 1:
        return f"Set the {names[0]} environment variable"
    return f"Set the {', '.join(names[:-1])} and {names[-1]} environment variables"


# Base has a laptop default for each of these: an insecure key, local host names, SQLite, tasks inside the web
# request, emails on the console, links to 127.0.0.1. In production a forgotten or empty one ("SECRET_KEY=" in the
# environment file) must stop the start, not be served: an empty key made every page a 500, empty hosts every
# request a 400 (/healthz too), an empty REDIS_URL tasks in the web request. All the missing ones are named at
# once, so that a new server's file is completed in one go, not one start per variable.
_REQUIRED = {
    name: environ.Env()(name, default="").strip()
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL")
}
_HOSTS = [host.strip() for host in _REQUIRED["ALLOWED_HOSTS"].split(",") if host.strip()]
_MISSING = [name for name, value in _REQUIRED.items() if not value or (name == "ALLOWED_HOSTS" and not _HOSTS)]
if _MISSING:
    raise ImproperlyConfigured(_missing_message(_MISSING))

# Emails carry absolute links made from it: a relative or schemeless one reaches nobody.
_site = urlsplit(_REQUIRED["SITE_URL"])
if _site.scheme not in ("http", "https") or not _site.hostname:
    raise ImproperlyConfigured(
        "SITE_URL must be the portal's absolute address, e.g. https://lapor.banjarmasinkota.go.id "
        f"(it is {_REQUIRED['SITE_URL']!r})"
    )

from .base import *  # noqa: E402, F403
from .base import EMAIL_BACKEND, env  # noqa: E402

# These print or keep every email instead of sending it, with its password-reset or confirmation link: with
# EMAIL_URL=consolemail:// reset keys went unredacted into the web's log. Only a staging server that must email
# nobody may use one, and it says so. dummymail:// sends and keeps nothing (load tests and benchmarks use it).
_KEEPING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}
if EMAIL_BACKEND in _KEEPING_EMAIL_BACKENDS and not env.bool("STAGING_LOCAL_EMAIL", default=False):
    raise ImproperlyConfigured(
        f"EMAIL_URL must name a mail server in production, e.g. smtp+tls://user:pass@smtp.example.id:587: "
        f"{urlsplit(_REQUIRED['EMAIL_URL']).scheme}:// prints or keeps every email, password-reset and "
        "confirmation links included (set STAGING_LOCAL_EMAIL=true on a staging server that must email nobody)"
    )

DEBUG = False
DEMO_MODE = False
SECRET_KEY = _REQUIRED["SECRET_KEY"]
ALLOWED_HOSTS = _HOSTS
ACCOUNT_EMAIL_VERIFICATION = "mandatory"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY_ENABLED = True
# A new dict: base's STORAGES must not change for whoever imported base in the same process.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405
