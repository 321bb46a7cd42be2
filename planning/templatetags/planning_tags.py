"""Small helpers for the planning templates."""

from django import template

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with Bootstrap's class."""
    kind = getattr(field.field.widget, "input_type", "")
    css = {"select": "form-select form-select-sm", "checkbox": "form-check-input"}.get(
        kind, "form-control form-control-sm"
    )
    return field.as_widget(attrs={"class": css})


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
