"""gunicorn's access log without the secrets some links carry (gunicorn.conf.py names ``RedactingLogger``): each
text the format reads (the request line, the path, the query string, the Referer, whose next page and static files
repeat the address, any other header or environment value) goes through ``smartcity.redaction.redact``.
"""

from __future__ import annotations

from gunicorn.glogging import Logger, SafeAtoms

from .redaction import redact


class RedactingAtoms(SafeAtoms):
    """gunicorn's atoms as the access log format reads them, each text redacted when read."""

    def __getitem__(self, key):
        return redact(super().__getitem__(key))


class RedactingLogger(Logger):
    atoms_wrapper_class = RedactingAtoms
