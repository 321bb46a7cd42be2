"""Contact details a citizen typed into a report's free text, hidden wherever the public reads it.

The filing form asks citizens not to write their phone number or email in the report, yet many do ("hubungi
081234567890", "email saya budi@gmail.com"). Every public output of a citizen's own words (the report's page, the
public list and map, the REST API and Open311 for readers outside the ticket's staff) passes it through
``mask_contact_details``; staff pages, the staff API and staff exports keep the text as stored, and the stored text
is never changed. Which of a timeline's texts are a citizen's: ``is_citizen_text``.

What is hidden: email addresses; Indonesian phone numbers, mobile (08…, +62 8…, 62 8…) and landline (021-…,
(0511) …, +62 511 …), with spaces, dots or dashes inside, 9 to 14 digits in all; and 16-digit numbers, the length of
a NIK (the identity card number) or a family card (KK) number, both personal. What stays: a reference
(BJM-2026-000185), a year, a house number, RT 05/RW 03, money (Rp 1.250.000), dates, times, coordinates: none of
them starts like a phone number, or they are too short, or they sit inside a longer number.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from .models import EventType

PHONE_HIDDEN = _("[phone number hidden]")
EMAIL_HIDDEN = _("[email hidden]")
NIK_HIDDEN = _("[NIK hidden]")

# The timeline events whose text a citizen (the reporter or a follower) may have written: what they added, why they
# reopened it, their rating's comment (``is_citizen_text``). The department's own replies keep the office numbers they
# give on purpose.
CITIZEN_TEXT_EVENTS = (EventType.CITIZEN_INFO, EventType.REOPENED, EventType.RATED)

# Not inside a longer word of digits or a longer number ("1.250.081234…", "BJM-2026-000185"): letters before are
# fine ("HP:0812…", "Telp.0812…", "wa0812…").
_START = r"(?<![\d_])(?<!\d[.,-])"
_END = r"(?!\d)(?![.,-]\d)"
_SEPARATOR = r"[ .-]?"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# 16 digits (a NIK starts with its province code, never 0) in one run, or four groups of four with the same
# separator ("6371 0101 0101 0001") that do not continue a row of numbers ("0812 3456 7890 0813 …" is two phones).
_NIK = re.compile(_START + r"(?:[1-9]\d{15}|(?<!\d )[1-9]\d{3}([ .-])\d{4}\1\d{4}\1\d{4})" + _END)
# The country code (+62, 62, "(+62)") or the trunk 0 (none between it and the number: "0.8123…" is a number).
_COUNTRY = r"(?:\(?\+\s?62\)?|62)" + _SEPARATOR
# A mobile number: 8 and its operator's digits (812, 8521…), then groups of digits.
# A group starting with 08 after a space is the next number ("0812 3456 7890 0813 …"), not this one's.
_MOBILE = re.compile(_START + r"(?:" + _COUNTRY + r"|0)8\d{1,3}(?:" + _SEPARATOR + r"(?!08)\d{2,5}){1,4}" + _END)
# A landline: an area code of 2 or 3 digits not starting with 0, 1 or 8 (21 Jakarta, 511 Banjarmasin), in
# brackets or not, then the subscriber's 5 to 8 digits, in groups or not (a later group starting with 0 is the next
# number).
_LANDLINE = re.compile(
    _START
    + r"(?:"
    + _COUNTRY
    + r"\(?|\(0|0)[2-79]\d{1,2}\)?"
    + _SEPARATOR
    + r"\d{2,4}(?:"
    + _SEPARATOR
    + r"(?!0)\d{2,4}){0,2}"
    + _END
)

PHONE_DIGITS = range(9, 15)


def _phone_or_kept(match: re.Match) -> str:
    """The marker for a phone number of 9 to 14 digits; anything shorter or longer is not one and stays."""
    digits = sum(character.isdigit() for character in match.group(0))
    return str(PHONE_HIDDEN) if digits in PHONE_DIGITS else match.group(0)


def mask_contact_details(text) -> str:
    """``text`` with email addresses, phone numbers and NIKs replaced by markers in the active language (e.g.
    "[phone number hidden]"). None and empty text come back as an empty string; other values as their text."""
    if not text:
        return ""
    text = str(text)
    text = _EMAIL.sub(lambda match: str(EMAIL_HIDDEN), text)
    text = _NIK.sub(lambda match: str(NIK_HIDDEN), text)
    text = _MOBILE.sub(_phone_or_kept, text)
    return _LANDLINE.sub(_phone_or_kept, text)


def has_contact_details(text) -> bool:
    """Whether ``text`` holds something ``mask_contact_details`` hides: a public search for it looks for words no
    public page shows."""
    return bool(text) and mask_contact_details(text) != str(text)


def is_citizen_text(event_type: str, payload) -> bool:
    """Whether the text of an event (its type, its payload) is a citizen's words: added information, a reopening or a
    rating by the reporter or a follower; not a head's reopening (``by: department``), whose reason is the
    department's."""
    by = payload.get("by") if isinstance(payload, dict) else None
    return event_type in CITIZEN_TEXT_EVENTS and by != "department"
