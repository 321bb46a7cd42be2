"""Bootstrap form rendering without a form library: add the right CSS class to a field's widget."""

from django import template
from django.forms import CheckboxInput, RadioSelect, Select

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, CheckboxInput)


@register.filter
def is_radio(bound_field) -> bool:
    return isinstance(bound_field.field.widget, RadioSelect)


def _for_widget(widget, css_class: str) -> str:
    """A select takes Bootstrap's form-select (its own arrow) where a text box takes form-control: form-control sets
    ``appearance: none`` and drew the profile's language choice as a box with no arrow, which reads as a text field.
    The size follows (form-control-lg becomes form-select-lg)."""
    if not isinstance(widget, Select):  # RadioSelect and CheckboxSelectMultiple are no Select subclasses
        return css_class
    return " ".join(word.replace("form-control", "form-select", 1) for word in css_class.split())


@register.filter
def bootstrap(bound_field, css_class: str = "form-control"):
    """Render the widget with ``css_class`` (plus ``is-invalid`` when the field has errors); a select gets the
    form-select counterpart of a form-control class."""
    classes = [bound_field.field.widget.attrs.get("class", ""), _for_widget(bound_field.field.widget, css_class)]
    if bound_field.errors:
        classes.append("is-invalid")
    attrs = {"class": " ".join(c for c in classes if c)}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)
