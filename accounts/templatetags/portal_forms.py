"""Bootstrap form rendering without a form library: add the right CSS class to a field's widget."""

from django import template
from django.forms import CheckboxInput, RadioSelect

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, CheckboxInput)


@register.filter
def is_radio(bound_field) -> bool:
    return isinstance(bound_field.field.widget, RadioSelect)


@register.filter
def bootstrap(bound_field, css_class: str = "form-control"):
    """Render the widget with ``css_class`` (plus ``is-invalid`` when the field has errors)."""
    classes = [bound_field.field.widget.attrs.get("class", ""), css_class]
    if bound_field.errors:
        classes.append("is-invalid")
    attrs = {"class": " ".join(c for c in classes if c)}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)
