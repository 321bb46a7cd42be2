"""A citizen's own words as a public page shows them: phone numbers, emails and NIKs hidden
(``complaints.redaction``). Staff pages never load this; the stored text stays as typed.

``{{ ticket.description|public_text }}``: hidden for everyone (the public list, a shared link's preview).
``{{ ticket.description|public_text:show_reporter }}``: as written for whoever may see who reported (the reporter,
staff in scope: ``complaints.queries.can_see_reporter``), hidden for everyone else.
``{% event_public_text event message as_written=show_reporter %}``: a timeline event's text, hidden when a citizen
wrote it (``is_citizen_text``) unless ``as_written`` and it is the reporter's own; a follower's words are another
citizen's, hidden on the report's page for everyone.
The emails to a report's supporters (``ticket_update``, ``confirm_support``) use them too: a supporter is another
citizen, who reads the report as its public page shows it; its reporter reads their own words as written.
"""

from django import template

from complaints.redaction import is_citizen_text, mask_contact_details

register = template.Library()


@register.filter
def public_text(text, as_written=False):
    if as_written:
        return text
    return mask_contact_details(text)


def _event_text_shown(event_type: str, payload, text, as_written) -> str:
    if not text:
        return ""
    if not is_citizen_text(event_type, payload):
        return text
    payload = payload if isinstance(payload, dict) else {}
    if as_written and payload.get("by") != "follower":
        return text
    return mask_contact_details(text)


@register.simple_tag
def event_public_text(event, text, *, as_written=False):
    return _event_text_shown(event.type, event.payload, text, as_written)


@register.simple_tag
def email_event_text(event_type, payload, text, *, as_written=False):
    """``event_public_text`` for an email, whose context holds the event's type and payload: a supporter's update
    about a reopening reads the reporter's reason as the report's page shows it to them."""
    return _event_text_shown(event_type, payload, text, as_written)
