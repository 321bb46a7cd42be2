"""Links that leave the request (emails, personal-data exports): always at the portal's public address, SITE_URL,
never at the Host a request named (ALLOWED_HOSTS ignores ports and names more than the public address)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``, a media URL) at SITE_URL."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
