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
them starts like a phone number, or they are too short, or they sit inside a longer number; and a number written
after a phone number ("0812 3456 7890 12 orang"), which would make it too long for one. The public search does not
find a report by a piece of a hidden number either (``number_on_its_own``).
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
# The most digits a phone number has after its country code (62) or its trunk 0: a mobile's 8xx and up to 9 more
# (0812 3456 78901), a landline's area code and subscriber number (0511 325 1234, 021 5555 1234). A row of groups
# longer than that is a number followed by the text's next number: "0812 3456 7890 12 orang" (12 people).
MOBILE_NATIONAL_DIGITS = 12
LANDLINE_NATIONAL_DIGITS = 10
_LAST_GROUP = re.compile(r"[ .-]\d+$")


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


def _national_digits(text: str) -> int:
    digits = _digits(text)
    return len(digits) - (1 if digits.startswith("0") else 2 if digits.startswith("62") else 0)


def _phone_or_kept(longest: int):
    """The replacement for a match of a phone pattern whose national number has at most ``longest`` digits: the
    marker for the phone number (9 to 14 digits in all; anything shorter or longer is not one and stays), and after
    it, as typed, the groups that made the row too long for one (the patterns take every group they can)."""

    def replace(match: re.Match) -> str:
        number, after = match.group(0), ""
        while _national_digits(number) > longest and (last := _LAST_GROUP.search(number)):
            number, after = number[: last.start()], number[last.start() :] + after
        return (str(PHONE_HIDDEN) if len(_digits(number)) in PHONE_DIGITS else number) + after

    return replace


def mask_contact_details(text) -> str:
    """``text`` with email addresses, phone numbers and NIKs replaced by markers in the active language (e.g.
    "[phone number hidden]"). None and empty text come back as an empty string; other values as their text."""
    if not text:
        return ""
    text = str(text)
    text = _EMAIL.sub(lambda match: str(EMAIL_HIDDEN), text)
    text = _NIK.sub(lambda match: str(NIK_HIDDEN), text)
    text = _MOBILE.sub(_phone_or_kept(MOBILE_NATIONAL_DIGITS), text)
    return _LANDLINE.sub(_phone_or_kept(LANDLINE_NATIONAL_DIGITS), text)


def has_contact_details(text) -> bool:
    """Whether ``text`` holds something ``mask_contact_details`` hides: a public search for it looks for words no
    public page shows."""
    return bool(text) and mask_contact_details(text) != str(text)


# What joins the groups of a hidden number: the separators the patterns above read, the brackets and plus of an area
# or country code, and the slash between two numbers ("0812-3456-7890/0813-1111-2222").
_ROW_JOINT = r"[ .()+/-]"


def number_on_its_own(number: str) -> str:
    """A regular expression, the same in PostgreSQL and in Python, that finds ``number`` (digits) where it stands on
    its own ("RT 05", "12 orang", "tahun 2026"), not as a group of a row of numbers joined by one or two of a space,
    a dot, a dash, a bracket, a plus or a slash ("3456" of "0812 3456 7890", "0511" of "(0511) 325-1234").

    Every piece of a number ``mask_contact_details`` hides is a group of such a row, so a text where ``number``
    stands on its own shows it on the public pages. The converse does not hold: a row that is no contact detail
    ("12-03-2026", "km 4.5 - 6") is a row too, so its groups are not found this way (the public search,
    ``queries.matching_public_words``, misses them rather than reveal a piece of someone's number)."""
    if not number.isascii() or not number.isdigit():
        raise ValueError(f"not a number: {number!r}")
    # The number first, then what may not stand before it (looking back over it) and after it: PostgreSQL looks for
    # a pattern's leading text fast, and tries a leading look-behind at every character (several times slower).
    # Python's look-behinds are of a fixed width: one for each number of joints.
    joint = _ROW_JOINT
    before = rf"(?<!\w{number})(?<!\d{joint}{number})(?<!\d{joint}{{2}}{number})"
    return rf"{number}{before}(?!\w)(?!{joint}{{1,2}}\d)"


def is_citizen_text(event_type: str, payload) -> bool:
    """Whether the text of an event (its type, its payload) is a citizen's words: added information, a reopening or a
    rating by the reporter or a follower; not a head's reopening (``by: department``), whose reason is the
    department's."""
    by = payload.get("by") if isinstance(payload, dict) else None
    return event_type in CITIZEN_TEXT_EVENTS and by != "department"
