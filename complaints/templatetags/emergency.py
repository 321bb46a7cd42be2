"""``{% emergency_notice %}``: whom to call when someone is in danger now (complaints/emergency.py).
``{% emergency_notice "form" %}`` is the filing form's notice, with the services and words that raise it;
``{% emergency_notice "brief" %}`` the one-line reminder of the pages a citizen sees after sending a report, and of
the page of a report that may be about a danger (``ticket|is_emergency``); ``{% emergency_line %}`` the home page's
calm line; ``{% emergency_numbers_for reference event_type as numbers %}`` the numbers a citizen's email repeats."""

from django import template

from complaints import emergency
from complaints.emergency import DANGER_WORDS, EMERGENCY_SERVICES, dial_string, emergency_numbers
from complaints.models import EventType, Ticket

register = template.Library()

# The citizen's emails that repeat the numbers for a report about a danger: the confirmation email (no event) and the
# updates while the department is still on it. Not the ones that end the work (resolved, closed, rejected, merged).
STILL_WORKED_EVENTS = frozenset(
    {
        EventType.ROUTED,
        EventType.FORWARDED,
        EventType.TRANSFERRED,
        EventType.ACKNOWLEDGED,
        EventType.STARTED,
        EventType.REPLY,
        EventType.INFO_REQUESTED,
        EventType.REOPENED,
    }
)


def _numbers() -> list[tuple[str, str, str]]:
    return [(number, dial_string(number), label) for number, label in emergency_numbers()]


@register.inclusion_tag("complaints/_emergency_notice.html")
def emergency_notice(variant: str = "brief", awaiting_email: bool = False) -> dict:
    """``awaiting_email``: a guest's report that is not sent until the link in the email is opened."""
    return {
        "variant": variant,
        "awaiting_email": awaiting_email,
        "numbers": _numbers(),
        "danger_words": list(DANGER_WORDS),
        "emergency_services": list(EMERGENCY_SERVICES),
    }


@register.inclusion_tag("complaints/_emergency_line.html")
def emergency_line() -> dict:
    """The home page's one calm line: whom to call instead of filing, as tap-to-call links."""
    return {"numbers": _numbers()}


@register.filter
def is_emergency(ticket) -> bool:
    """``{% if ticket|is_emergency %}``: an emergency service's report or an urgent one (``emergency.is_emergency``)."""
    return emergency.is_emergency(ticket)


@register.simple_tag
def emergency_numbers_for(reference: str, event_type: str = "") -> list[tuple[str, str]]:
    """The numbers (number, label) a citizen's email about report ``reference`` repeats, or none: only for a report
    that may be about a danger, in its confirmation email (no ``event_type``) and its updates while the department is
    still on it (``STILL_WORKED_EVENTS``). The email's stored context names the report by its reference."""
    if event_type and event_type not in STILL_WORKED_EVENTS:
        return []
    ticket = (
        Ticket.objects.select_related("service")
        .only("priority", "routed_at", "title", "description", "service__code")
        .filter(reference=reference)
        .first()
        if reference
        else None
    )
    if ticket is None or not emergency.is_emergency(ticket):
        return []
    return emergency_numbers()
