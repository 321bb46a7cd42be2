"""Put an action's ``ValidationError`` on the form the user filled in, so the page can come back with what was
typed and each reason next to its field (the staff ticket page and the planning pages share this)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def add_action_errors(form, error: ValidationError) -> None:
    """Errors keyed by a field of ``form`` go next to that field; the rest (and unkeyed ones) above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        for item in errors:
            form.add_error(target, item)
