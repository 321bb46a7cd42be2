"""When someone is in danger now, the portal is the wrong place: the emergency notice (the filing form, the
"received" page, the guest's "check your email" page) names whom to call, and so do the home page, and the page and
the emails of a report that may be about a danger right now (``is_emergency``). The numbers are the city's setting
(``EMERGENCY_NUMBERS``); which services and which words make the filing form raise the notice is kept here, in one
place, and given to the page's script (static/js/filing-form.js), which only compares."""

from django.conf import settings

from complaints import routing

# The services that raise the notice are the catalogue's (services/catalogue.py), given on from here.
from services.catalogue import EMERGENCY_SERVICES

__all__ = ["DANGER_WORDS", "EMERGENCY_SERVICES", "dial_string", "emergency_numbers", "is_emergency"]

# Words in a report's title or description that suggest a danger right now, in Indonesian and English. The script
# matches each at the start of a word, lower case, accents ignored: "api" matches "api" and "apinya" but not "tapi"
# or "sapi", "danger" also "dangerous", "evacuat" "evacuate" and "evacuation".
DANGER_WORDS = (
    # Fallen trees and power lines. A pole or a cable alone is no danger: a street light is "on the electricity pole"
    # ("lampu di tiang listrik depan rumah mati"); a broken cable or a fallen pole is.
    "pohon tumbang",
    "pohon roboh",
    "kabel putus",
    "kabel listrik putus",
    "kabel listrik jatuh",
    "kabel listrik menjuntai",
    "tiang listrik roboh",
    "tiang listrik tumbang",
    "tiang listrik patah",
    "tiang roboh",
    "tiang tumbang",
    "korslet",
    "korsleting",
    "percikan",
    "kesetrum",
    "tersetrum",
    "sengatan listrik",
    # Fire and gas
    "kebakaran",
    "terbakar",
    "api",
    "asap tebal",
    "bocor gas",
    "gas bocor",
    "ledakan",
    # Water and people in danger
    "banjir setinggi",
    "banjir sepinggang",
    "banjir sedada",
    "tenggelam",
    "hanyut",
    "terjebak",
    "terperangkap",
    "evakuasi",
    "korban",
    "luka parah",
    "pingsan",
    "bahaya",
    "berbahaya",
    "darurat",
    "runtuh",
    "longsor",
    # English
    "fallen tree",
    "power line down",
    "power lines down",
    "downed power line",
    "fallen power line",
    "sparks",
    "sparking",
    "live wire",
    "electrocut",
    "fire",
    "smoke",
    "gas leak",
    "explosion",
    "drowning",
    "trapped",
    "evacuat",
    "injured",
    "unconscious",
    "danger",
    "emergency",
    "collapse",
)


def emergency_numbers() -> list[tuple[str, str]]:
    """The numbers to call, as the city set them: (number, label in the page's language)."""
    return [(str(number), str(label)) for number, label in settings.EMERGENCY_NUMBERS]


def dial_string(number: str) -> str:
    """The number for a tel: link: digits and a leading + only ("0511 123" dials as 0511123)."""
    return "".join(char for char in number if char.isdigit() or char == "+")


def is_emergency(ticket) -> bool:
    """Whether ``ticket`` may be about a danger right now, so that its page and its emails repeat whom to call: a
    report of an emergency service (fire, disaster, fallen tree), or an urgent one (routing's danger words, or staff
    raised it). A report not routed yet has no priority of its own: the words routing will read decide."""
    service = getattr(ticket, "service", None)
    if service is not None and service.code in EMERGENCY_SERVICES:
        return True
    if (ticket.priority or 0) >= routing.PRIORITY_URGENT:
        return True
    return not ticket.routed_at and routing.urgent_keyword(f"{ticket.title} {ticket.description}") is not None
