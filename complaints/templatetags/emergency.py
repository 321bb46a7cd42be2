"""``{% emergency_notice %}``: whom to call when someone is in danger now (complaints/emergency.py).
``{% emergency_notice "form" %}`` is the filing form's notice, with the services and words that raise it;
``{% emergency_notice "brief" %}`` the one-line reminder of the pages a citizen sees after sending a report."""

from django import template

from complaints.emergency import DANGER_WORDS, EMERGENCY_SERVICES, dial_string, emergency_numbers

register = template.Library()


@register.inclusion_tag("complaints/_emergency_notice.html")
def emergency_notice(variant: str = "brief", awaiting_email: bool = False) -> dict:
    """``awaiting_email``: a guest's report that is not sent until the link in the email is opened."""
    return {
        "variant": variant,
        "awaiting_email": awaiting_email,
        "numbers": [(number, dial_string(number), label) for number, label in emergency_numbers()],
        "danger_words": list(DANGER_WORDS),
        "emergency_services": list(EMERGENCY_SERVICES),
    }
