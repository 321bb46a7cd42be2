"""Values read from query strings the way clients send them, shared by the REST API and Open311."""

import re

# A "+" written as such in a query string arrives as a space: 2026-11-27T09:30:00+08:00 unencoded reads
# "2026-11-27T09:30:00 08:00". Nothing else puts a space before an offset, so it is read back as the "+" it was.
_UNENCODED_PLUS = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)")


def with_offset_plus(value: str) -> str:
    """A date and time from a query string, stripped, with a "+" sent unencoded before its offset put back."""
    return _UNENCODED_PLUS.sub(r"\1+\2", value.strip())
