"""Links that act without logging in, and contact details in query strings, taken out of what the logs keep.

Some addresses act without logging in: a guest's follow link (a year long, it opens a confidential report), the
confirmation of a report filed without an account, the "stop these emails" link, allauth's email confirmation and
password reset keys, an Open311 request's token, and an Open311 ``api_key`` in a query string. Whoever reads a log
(journald, a log shipper, a backup of either) could use them. ``redact`` keeps the rest of the address and puts "…"
for the secret part; the same paths inside a query string (``?next=%2Flaporan%2F…%2Fikuti%2F<token>%2F``) too. The
access log (``smartcity.gunicorn_logging``) and the application's log (``smartcity.log_filters.Redacted``: a 5xx
names its path) both use it.
"""

from __future__ import annotations

import re

REDACTED = "…"

# A slash, or one percent-encoded inside a query string (a "next" parameter).
_SLASH = r"(?:/|%2[Ff])"
# One path segment: up to the next slash (plain or encoded), query, fragment, parameter, space or quote.
_SEGMENT = r"(?:(?!%2[Ff])[^/?#&;\s\"])+"


def _path(*parts: str) -> str:
    return _SLASH + _SLASH.join(parts) + _SLASH


# The address before the secret segment; the segment itself becomes "…". Keep in step with the urls.py files:
# complaints (follow, confirm, stop_emails), allauth under /akun/ (confirm-email, password reset key), open311 (tokens).
SECRET_PATHS = re.compile(
    "(?P<keep>"
    + "|".join(
        [
            _path("laporan", _SEGMENT, "ikuti"),  # /laporan/<reference>/ikuti/<token>/: a guest's follow link
            _path("lapor", "konfirmasi"),  # /lapor/konfirmasi/<uuid>/: confirms a report filed without an account
            _path("lapor", "berhenti"),  # /lapor/berhenti/<token>/: "stop these emails"
            _path("akun", "confirm-email"),  # /akun/confirm-email/<key>/
            _path("akun", "password", "reset", "key"),  # /akun/password/reset/key/<uidb36>-<key>/
            _path("open311", "v2", "tokens"),  # /open311/v2/tokens/<token>.json: the filing's confirmation token
        ]
    )
    + ")"
    + _SEGMENT
)

# Query parameters whose value is a secret (Open311 clients put api_key in the query string, of a POST too) or a
# person's contact details (Open311's fields, which some clients send the same way).
SECRET_PARAMETERS = re.compile(
    r"(?P<keep>(?:^|(?<=[?&;]))(?:api_key|key|token|password|email|phone|first_name|last_name)=)[^&;#\s\"]*",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """``text`` (a path, a query string, a request line or a full URL) with each secret replaced by "…"."""
    if not text or not isinstance(text, str):
        return text
    text = SECRET_PATHS.sub(lambda match: match["keep"] + REDACTED, text)
    return SECRET_PARAMETERS.sub(lambda match: match["keep"] + REDACTED, text)
