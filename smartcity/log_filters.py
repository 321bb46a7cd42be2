"""Logging filters named in settings.LOGGING."""

import logging

from .redaction import redact


class Redacted(logging.Filter):
    """The message without the secrets of links that act without logging in (``smartcity.redaction``): Django logs
    a 5xx as "Internal Server Error: <path>", and the failing page may be a guest's follow link."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
