"""``{{ event.payload|event_message:event.type }}``, ``|event_reason`` and ``|event_details``, and
``{% event_details_for event to_reporter=is_reporter as lines %}``: see ``complaints.event_text``."""

from django import template

from complaints import event_text

register = template.Library()


@register.filter
def event_message(payload, event_type) -> str:
    return event_text.event_message(event_type, payload)


@register.filter
def event_reason(payload, event_type) -> str:
    return event_text.event_reason(event_type, payload)


@register.filter
def event_details(payload, event_type) -> list[str]:
    return event_text.event_details(event_type, payload)


@register.simple_tag
def event_details_for(event, *, to_reporter=False) -> list[str]:
    """``event_details`` that says "you" to the reporter reading their own report (a filter takes one argument)."""
    return event_text.event_details(event.type, event.payload, to_reporter=bool(to_reporter))
